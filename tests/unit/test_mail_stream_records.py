"""Reading stream records: which make mail, under which idempotency key, and image decoding."""

from __future__ import annotations

import pytest

from chalicelib.mail.stream import plain, source_of


def record(image: dict, event_name: str = "INSERT") -> dict:
    return {"eventID": "1", "eventName": event_name, "dynamodb": {"SequenceNumber": "7", "NewImage": image}}


EVENT = {
    "pk": {"S": "TICKET#3"},
    "sk": {"S": "EVT#x"},
    "type": {"S": "event"},
    "id": {"S": "abc"},
    "number": {"N": "3"},
    "kind": {"S": "updated"},
    "internal": {"BOOL": False},
    "changes": {"M": {"tags": {"M": {"to": {"L": [{"S": "Bug"}, {"S": "Question"}]}}}}},
}


def test_images_decode_to_plain_values():
    assert plain(
        {
            "a": {"S": "x"},
            "n": {"N": "42"},
            "f": {"N": "1.5"},
            "b": {"BOOL": True},
            "z": {"NULL": True},
            "m": {"M": {"S": {"S": "a key named S"}}},
            "l": {"L": [{"N": "1"}, {"S": "two"}]},
            "ss": {"SS": ["p", "q"]},
        }
    ) == {
        "a": "x",
        "n": 42,
        "f": 1.5,
        "b": True,
        "z": None,
        "m": {"S": "a key named S"},
        "l": [1, "two"],
        "ss": ["p", "q"],
    }


def test_an_inserted_ticket_event_is_a_source_keyed_by_its_event_id():
    source = source_of(record(EVENT))
    assert source is not None
    assert source.kind == "event" and source.key == "event:abc"
    assert source.item["changes"] == {"tags": {"to": ["Bug", "Question"]}} and source.item["number"] == 3


def test_an_internal_note_is_a_source_for_the_assignee():
    source = source_of(record({**EVENT, "kind": {"S": "noted"}, "internal": {"BOOL": True}}))
    assert source is not None and source.item["internal"] is True


def test_an_inserted_reminder_is_a_source_keyed_by_its_item():
    image = {"pk": {"S": "LICENSE#acme_x"}, "sk": {"S": "REMINDER#7#2026-12-01"}, "type": {"S": "license_reminder"}}
    source = source_of(record(image))
    assert source is not None and source.key == "reminder:LICENSE#acme_x:REMINDER#7#2026-12-01"


@pytest.mark.parametrize(
    "image,event_name",
    [
        (EVENT, "MODIFY"),
        (EVENT, "REMOVE"),
        ({**EVENT, "kind": {"S": "follower_added"}}, "INSERT"),
        ({**EVENT, "kind": {"S": "follower_removed"}}, "INSERT"),
        ({"pk": {"S": "TICKET#3"}, "sk": {"S": "#TICKET"}, "type": {"S": "ticket"}}, "INSERT"),
        ({"pk": {"S": "NOTIFY#event:abc"}, "sk": {"S": "#SENT"}, "type": {"S": "notification_marker"}}, "INSERT"),
        ({"pk": {"S": "COUNTER"}, "sk": {"S": "TICKET"}}, "INSERT"),
    ],
)
def test_everything_else_makes_no_mail(image, event_name):
    assert source_of(record(image, event_name)) is None
