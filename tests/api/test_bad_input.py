"""Bad input: a 4xx whose message names the problem, and nothing stored."""

import json

import pytest

from tests.support.users import AGENT, ALICE

VALID = {"title": "Printer on fire", "description": "Smoke everywhere.", "tags": ["Bug"]}
SAMPLE_TAGS = ["Bug"]


def body(**changes):
    data = dict(VALID)
    for key, value in changes.items():
        if value is ...:
            data.pop(key)
        else:
            data[key] = value
    return data


CREATE_CASES = [
    ("missing title", body(title=...), 400, "title is required"),
    ("missing description", body(description=...), 400, "description is required"),
    ("missing tags", body(tags=...), 400, "tags is required"),
    ("title not a string", body(title=42), 400, "title must be a string"),
    ("title empty", body(title=""), 400, "title must not be empty"),
    ("title only spaces", body(title="   "), 400, "title must not be empty"),
    ("title too long", body(title="x" * 201), 400, "title is 201 characters; the limit is 200"),
    ("description too long", body(description="x" * 20001), 400, "the limit is 20000"),
    ("description null", body(description=None), 400, "description must be a string"),
    ("tags not a list", body(tags="Bug"), 400, "tags must be a list"),
    ("tags empty", body(tags=[]), 400, "tags needs at least 1"),
    ("unknown tag", body(tags=["Urgent!"]), 400, "tags[0] must be one of"),
    ("tag not a string", body(tags=[7]), 400, "tags[0] must be a string"),
    ("duplicate tag", body(tags=["Bug", "Bug"]), 400, "same value twice"),
    ("unknown field", body(status="closed"), 400, "Unknown field status"),
    ("another unknown field", body(assignee="bob"), 400, "Unknown field assignee"),
    ("org of another tenant", body(org="globex"), 403, "org: customers raise tickets for their own"),
    ("org malformed", body(org="Not An Org!"), 400, "org is not valid"),
    ("body is a list", ["title"], 400, "body must be an object"),
]


@pytest.mark.parametrize("case, payload, status, message", CREATE_CASES, ids=[c[0] for c in CREATE_CASES])
def test_bad_ticket_is_refused_with_a_message_and_nothing_stored(api, case, payload, status, message):
    response = api.post("/tickets", ALICE, payload)
    assert response.status_code == status
    assert message in response.json["Message"]
    assert api.get("/tickets", AGENT).json["items"] == []


RAW_CASES = [
    ("malformed JSON", b'{"title": "x",', 400, "not valid JSON"),
    ("not JSON at all", b"title=x&description=y", 400, "not valid JSON"),
    ("empty body", b"", 400, "body is empty"),
    ("invalid UTF-8", b'{"title": "\xff\xfe"}', 400, "not valid JSON"),
    ("oversize body", json.dumps(body(description="x" * 70000)).encode(), 413, "the limit is 65536"),
]


@pytest.mark.parametrize("case, raw, status, message", RAW_CASES, ids=[c[0] for c in RAW_CASES])
def test_unparseable_body_is_refused_and_nothing_stored(api, case, raw, status, message):
    response = api.call("POST", "/tickets", ALICE, raw=raw)
    assert response.status_code == status
    assert message in response.json["Message"]
    assert api.get("/tickets", AGENT).json["items"] == []


UPDATE_CASES = [
    ("no version", {"title": "x"}, 400, "version is required"),
    ("version as text", {"version": "1", "title": "x"}, 400, "version must be an integer"),
    ("version boolean", {"version": True, "title": "x"}, 400, "version must be an integer"),
    ("version zero", {"version": 0, "title": "x"}, 400, "version must be at least 1"),
    ("nothing to change", {"version": 1}, 400, "Send at least one of"),
    ("unknown status", {"version": 1, "status": "solved"}, 400, "status must be one of"),
    ("title too long", {"version": 1, "title": "y" * 300}, 400, "the limit is 200"),
    ("created_by is not editable", {"version": 1, "created_by": "eve@evil.example"}, 400, "Unknown field created_by"),
]


@pytest.mark.parametrize("case, payload, status, message", UPDATE_CASES, ids=[c[0] for c in UPDATE_CASES])
def test_bad_update_is_refused_and_the_ticket_unchanged(api, case, payload, status, message):
    number = api.new_ticket()["number"]
    before = api.get(f"/tickets/{number}", AGENT).json
    response = api.patch(f"/tickets/{number}", AGENT, payload)
    assert response.status_code == status
    assert message in response.json["Message"]
    assert api.get(f"/tickets/{number}", AGENT).json == before


MESSAGE_CASES = [
    ("empty body text", {"body": ""}, "body must not be empty"),
    ("body missing", {"text": "hi"}, "Unknown field text"),
    ("internal not boolean", {"body": "x", "internal": "yes"}, "internal must be true or false"),
    ("body too long", {"body": "z" * 20001}, "the limit is 20000"),
]


@pytest.mark.parametrize("case, payload, message", MESSAGE_CASES, ids=[c[0] for c in MESSAGE_CASES])
def test_bad_response_is_refused_and_nothing_stored(api, case, payload, message):
    number = api.new_ticket()["number"]
    response = api.post(f"/tickets/{number}/messages", AGENT, payload)
    assert response.status_code == 400
    assert message in response.json["Message"]
    assert api.get(f"/tickets/{number}", AGENT).json["messages"] == []


@pytest.mark.parametrize("number", ["abc", "0", "-1", "1.5", "1e3", "%231042", "99999999999"])
def test_bad_ticket_number_is_a_400_naming_the_number(api, number):
    response = api.get(f"/tickets/{number}", ALICE)
    assert response.status_code == 400
    assert "number must be a positive whole number" in response.json["Message"]


QUERY_CASES = [
    ("status=solved", "status must be one of"),
    ("tag=Nope", "tag must be one of"),
    ("priority=asap", "priority must be one of"),
    ("limit=0", "limit must be at least 1"),
    ("limit=1000", "limit must be at most 100"),
    ("limit=ten", "limit must be an integer"),
    ("sort=title", "sort must be one of: due"),
    ("order=title", "Unknown field query.order"),
    ("cursor=garbage", "cursor is not valid"),
    ("cursor=eyJrIjp7fX0.c2lnbmF0dXJl", "cursor is not valid"),
]


@pytest.mark.parametrize("query, message", QUERY_CASES, ids=[c[0] for c in QUERY_CASES])
def test_bad_list_query_is_a_400_with_a_message(api, query, message):
    response = api.get(f"/tickets?{query}", ALICE)
    assert response.status_code == 400
    assert message in response.json["Message"]


def test_altered_cursor_is_refused(api):
    for _ in range(3):
        api.new_ticket()
    cursor = api.get("/tickets?limit=1", ALICE).json["next_cursor"]
    body_part, signature = cursor.split(".")
    altered = body_part[:-2] + ("A" if body_part[-2] != "A" else "B") + body_part[-1] + "." + signature
    response = api.get(f"/tickets?limit=1&cursor={altered}", ALICE)
    assert response.status_code == 400
    assert "cursor is not valid" in response.json["Message"]


def test_bad_idempotency_key_is_refused_and_nothing_stored(api):
    response = api.post("/tickets", ALICE, VALID, headers={"Idempotency-Key": "k" * 200})
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json["Message"]
    assert api.get("/tickets", AGENT).json["items"] == []
