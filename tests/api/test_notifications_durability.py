"""Delivery is durable: SES outages never fail the API, retries and replays never mail twice,
and what keeps failing is parked in the dead-letter queue, from where it replays once."""

from __future__ import annotations

import json
import subprocess
import sys

import boto3
import pytest

from tests.support import ROOT
from tests.support.mail import SENDER, SUPPORT, outbox
from tests.support.users import AGENT, ALICE, BOB


def ses_down() -> None:
    """Every send fails: the sender identity is no longer verified, so SES rejects it."""
    boto3.client("ses", region_name="us-east-1").delete_identity(Identity=SENDER)


def ses_up() -> None:
    boto3.client("ses", region_name="us-east-1").verify_email_identity(EmailAddress=SENDER)


def life_cycle(api) -> int:
    """A ticket's busy day: create, edit, two responses, close — each answered 2xx."""
    number = api.new_ticket(ALICE)["number"]
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert (
        api.patch(f"/tickets/{number}", ALICE, {"version": detail["version"], "title": "New title"}).status_code == 200
    )
    assert api.post(f"/tickets/{number}/messages", AGENT, {"body": "Which version?"}).status_code == 201
    assert api.post(f"/tickets/{number}/messages", BOB, {"body": "4.2"}).status_code == 201
    assert api.post(f"/tickets/{number}/close", AGENT).status_code == 200
    return number


# created (requester, inbox), edit by the requester (inbox), support's response (requester),
# a colleague's response (requester, inbox), closed by support (requester)
EXPECTED_MAILS = 2 + 1 + 1 + 2 + 1


def failed(answer: dict) -> list[str]:
    return [f["itemIdentifier"] for f in answer["batchItemFailures"]]


def event_records(records: list[dict]) -> list[dict]:
    return [r for r in records if r["dynamodb"].get("NewImage", {}).get("type", {}).get("S") == "event"]


def test_api_answers_2xx_while_ses_rejects_every_send(api, pump):
    ses_down()
    life_cycle(api)  # asserts every answer
    pump()
    assert outbox() == []


def test_pending_mails_are_delivered_once_ses_recovers_and_none_twice(api, pump):
    ses_down()
    life_cycle(api)
    records = pump.worker.fetch()
    handler = pump.worker.handler
    answer = handler({"Records": records}, None)
    assert failed(answer) == [r["dynamodb"]["SequenceNumber"] for r in event_records(records)]
    assert outbox() == []

    ses_up()
    assert failed(handler({"Records": records}, None)) == []
    assert len(outbox()) == EXPECTED_MAILS
    assert failed(handler({"Records": records}, None)) == []
    assert len(outbox()) == EXPECTED_MAILS


def test_the_same_batch_delivered_twice_sends_no_duplicate(api, pump):
    life_cycle(api)
    records = pump.worker.fetch()
    for _ in range(2):
        assert failed(pump.worker.handler({"Records": records}, None)) == []
    happenings = [(m.to, m.text.splitlines()[0]) for m in outbox()]  # subjects are the same per ticket
    assert len(happenings) == EXPECTED_MAILS == len(set(happenings))


def test_a_retry_sends_only_the_mails_that_failed(api, pump, monkeypatch):
    from chalicelib.mail import delivery as mail_delivery

    real_send = mail_delivery.send

    def support_inbox_down(mail):
        if mail.recipient == SUPPORT:
            raise RuntimeError("mailbox unavailable")
        real_send(mail)

    api.new_ticket(ALICE)
    records = pump.worker.fetch()
    monkeypatch.setattr(mail_delivery, "send", support_inbox_down)
    assert len(failed(pump.worker.handler({"Records": records}, None))) == 1
    assert [m.to for m in outbox()] == ["alice@acme.example"]
    monkeypatch.setattr(mail_delivery, "send", real_send)
    assert failed(pump.worker.handler({"Records": records}, None)) == []
    assert sorted(m.to for m in outbox()) == ["alice@acme.example", SUPPORT]


def poison(number: int = 999) -> dict:
    """An event of a ticket that does not exist: it can never be rendered."""
    image = {
        "pk": {"S": f"TICKET#{number}"},
        "sk": {"S": "EVT#2026-11-23T00:00:00.000000Z#dead"},
        "type": {"S": "event"},
        "id": {"S": "poison-event"},
        "number": {"N": str(number)},
        "kind": {"S": "created"},
        "actor": {"S": "alice@acme.example"},
        "actor_role": {"S": "customer"},
        "at": {"S": "2026-11-23T00:00:00.000000Z"},
    }
    return {
        "eventID": "poison",
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/portal-test/stream/x",
        "dynamodb": {
            "ApproximateCreationDateTime": 1795000000,
            "Keys": {},
            "NewImage": image,
            "SequenceNumber": "1",
            "SizeBytes": 100,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }


def batch_with_poison(api, pump) -> list[dict]:
    api.new_ticket(ALICE)
    api.new_ticket(BOB)
    records = pump.worker.fetch()
    bad = poison()
    bad["dynamodb"]["SequenceNumber"] = str(int(records[0]["dynamodb"]["SequenceNumber"]) + 1)
    for offset, record in enumerate(records[1:], start=2):  # keep the batch in stream order
        record["dynamodb"]["SequenceNumber"] = str(int(records[0]["dynamodb"]["SequenceNumber"]) + offset)
    return [records[0], bad, *records[1:]]


def test_poison_record_lands_in_the_dead_letter_queue_while_the_rest_is_delivered(api, pump):
    batch = batch_with_poison(api, pump)
    pump.worker.deliver(batch)  # as the event source mapping: retries from the failed record on
    assert sorted(m.to for m in outbox()) == ["alice@acme.example", "bob@acme.example", SUPPORT, SUPPORT]
    [letter] = pump.dead_letters()
    assert letter["kind"] == "portal-notification" and letter["event_key"] == "event:poison-event"
    assert letter["record"]["dynamodb"]["NewImage"]["number"] == {"N": "999"}
    assert "ticket #999" in letter["error"] and letter["attempts"] == 3
    assert pump.worker.failed_batches == 0, "the handler parked it before the mapping gave up"


def test_a_parked_record_seen_again_on_the_stream_is_not_parked_twice(api, pump):
    batch = batch_with_poison(api, pump)
    pump.worker.deliver(batch)
    assert failed(pump.worker.handler({"Records": batch}, None)) == []
    assert len(pump.dead_letters()) == 1


def test_replay_sends_a_dead_lettered_event_once(api, pump):
    from chalicelib.mail import dead_letters

    ses_down()
    api.new_ticket(ALICE)
    records = pump.worker.fetch()
    pump.worker.deliver(records)  # three failed attempts: the handler parks the event
    assert outbox() == [] and len(pump.dead_letters()) == 1
    [listed] = dead_letters.list_dead_letters()
    assert listed["shape"] == "record" and listed["what"].endswith("created by alice@acme.example")

    assert [r["replayed"] for r in dead_letters.replay()] == [False]  # SES still down: the letter stays
    assert len(dead_letters.list_dead_letters()) == 1

    ses_up()
    [result] = dead_letters.replay([listed["id"][:8]])
    assert result["replayed"] is True
    assert sorted(m.to for m in outbox()) == ["alice@acme.example", SUPPORT]
    assert dead_letters.list_dead_letters() == [] and dead_letters.replay() == []
    assert failed(pump.worker.handler({"Records": records}, None)) == []  # the stream retries it again
    assert len(outbox()) == 2


def test_replay_of_a_half_sent_event_sends_only_the_missing_mail(api, pump, monkeypatch):
    from chalicelib.mail import dead_letters
    from chalicelib.mail import delivery as mail_delivery

    real_send = mail_delivery.send

    def support_inbox_down(mail):
        if mail.recipient == SUPPORT:
            raise RuntimeError("mailbox unavailable")
        real_send(mail)

    monkeypatch.setattr(mail_delivery, "send", support_inbox_down)
    api.new_ticket(ALICE)
    pump()
    assert [m.to for m in outbox()] == ["alice@acme.example"]
    monkeypatch.setattr(mail_delivery, "send", real_send)
    dead_letters.replay()
    assert sorted(m.to for m in outbox()) == ["alice@acme.example", SUPPORT]


def test_on_failure_pointer_from_the_mapping_replays_from_the_stream(api, pump, monkeypatch):
    from chalicelib.mail import dead_letters

    api.new_ticket(ALICE)
    real_handler = pump.worker.handler

    def crashing(event, context):
        raise RuntimeError("handler cannot start")

    pump.worker.handler = crashing
    pump()
    [pointer] = pump.dead_letters()
    assert "DDBStreamBatchInfo" in pointer and pump.worker.failed_batches == 1
    pump.worker.handler = real_handler
    [result] = dead_letters.replay()
    assert result["shape"] == "pointer" and result["replayed"] is True
    assert sorted(m.to for m in outbox()) == ["alice@acme.example", SUPPORT]


def test_admin_cli_lists_and_replays_dead_letters(api, pump):
    import argparse

    from infra.admin import dead_letters as cli

    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command", required=True))
    ses_down()
    api.new_ticket(ALICE)
    pump()
    args = parser.parse_args(["dead-letters", "list"])
    listing = args.run(args)
    assert "created by alice@acme.example" in listing and "1 dead letter(s)." in listing
    ses_up()
    args = parser.parse_args(["dead-letters", "replay", "--all"])
    assert "1 of 1 replayed" in args.run(args)
    args = parser.parse_args(["dead-letters", "list"])
    assert args.run(args) == "No dead letters: every notification was delivered."


def test_the_api_path_never_imports_the_mail_code():
    code = "import sys, app; print(sorted(m for m in sys.modules if m.startswith('chalicelib.mail')))"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(loaded.stdout.strip().replace("'", '"')) == []


def test_the_stream_handler_answers_lambdas_partial_batch_response(api, pump):
    from chalice.app import DynamoDBEventConfig

    from app import app

    [source] = [s for s in app.event_sources if isinstance(s, DynamoDBEventConfig)]
    assert source.handler_string == "app.handle_ticket_events"
    api.new_ticket(ALICE)
    assert pump.worker.handler({"Records": pump.worker.fetch()}, None) == {"batchItemFailures": []}


@pytest.mark.parametrize("event_name", ["MODIFY", "REMOVE"])
def test_only_inserted_events_make_mail(api, pump, event_name):
    api.new_ticket(ALICE)
    records = pump.worker.fetch()
    for record in records:
        record["eventName"] = event_name
    assert failed(pump.worker.handler({"Records": records}, None)) == []
    assert outbox() == []


def test_an_unreadable_record_is_parked_under_its_stream_id(api, pump):
    bad = poison()
    del bad["dynamodb"]["NewImage"]["id"]
    bad["eventID"] = "stream-id-1"
    pump.worker.deliver([bad])
    [letter] = pump.dead_letters()
    assert letter["event_key"] == "record:stream-id-1" and "unreadable" in letter["error"]
    assert failed(pump.worker.handler({"Records": [bad]}, None)) == []  # parked: not retried again
