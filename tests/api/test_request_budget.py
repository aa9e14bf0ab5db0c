"""The DynamoDB round-trip budget of PRODUCT.md §7, counted at the client."""

import pytest

from tests.support.dynamo import counting_requests
from tests.support.users import AGENT, ALICE


@pytest.fixture
def ticket(api):
    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/messages", AGENT, {"body": "first answer"})
    api.post(f"/tickets/{number}/messages", AGENT, {"body": "note", "internal": True})
    return number


def requests_for(call):
    with counting_requests() as calls:
        response = call()
    assert response.status_code < 300, response.body
    return dict(calls)


def test_detail_with_messages_and_history_is_one_query(api, ticket):
    assert requests_for(lambda: api.get(f"/tickets/{ticket}", ALICE)) == {"Query": 1}


@pytest.mark.parametrize("query", ["", "?status=open", "?tag=Bug&q=install", "?limit=1"])
def test_a_list_page_is_one_query(api, ticket, query):
    assert requests_for(lambda: api.get(f"/tickets{query}", ALICE)) == {"Query": 1}


def test_support_queue_page_is_one_query(api, ticket):
    assert requests_for(lambda: api.get("/tickets?org=acme&priority=normal", AGENT)) == {"Query": 1}


def test_create_is_a_counter_update_and_one_transaction(api):
    body = {"title": "t", "description": "d", "tags": ["Bug"]}
    calls = requests_for(lambda: api.post("/tickets", ALICE, body, headers={"Idempotency-Key": "a"}))
    assert calls == {"UpdateItem": 1, "TransactWriteItems": 1}


@pytest.mark.parametrize("change", ["update", "respond", "note", "close", "reopen"])
def test_each_change_is_one_read_and_one_transaction(api, ticket, change):
    """The queue's counters move by where the ticket stood, so a change reads it (one consistent
    GetItem) and writes on its version; an internal note moves nothing and reads nothing."""
    if change == "reopen":
        api.post(f"/tickets/{ticket}/close", ALICE)
    version = api.get(f"/tickets/{ticket}", AGENT).json["version"]
    calls = {
        "update": lambda: api.patch(f"/tickets/{ticket}", ALICE, {"version": version, "title": "x"}),
        "respond": lambda: api.post(f"/tickets/{ticket}/messages", ALICE, {"body": "y"}),
        "note": lambda: api.post(f"/tickets/{ticket}/messages", AGENT, {"body": "z", "internal": True}),
        "close": lambda: api.post(f"/tickets/{ticket}/close", ALICE),
        "reopen": lambda: api.post(f"/tickets/{ticket}/reopen", ALICE),
    }[change]
    expected = {"TransactWriteItems": 1} if change == "note" else {"GetItem": 1, "TransactWriteItems": 1}
    assert requests_for(calls) == expected
