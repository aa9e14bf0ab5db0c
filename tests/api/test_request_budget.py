"""The DynamoDB round-trip budget of PRODUCT.md §7, counted at the client."""

import pytest

from chalicelib.tickets import last_seen
from tests.support.dynamo import counting_requests
from tests.support.users import AGENT, ALICE
from tests.support.workspace import assign


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


CHANGES = ["update", "respond", "note", "close", "reopen"]


def _change(api, ticket, change, version):
    return {
        "update": lambda: api.patch(f"/tickets/{ticket}", ALICE, {"version": version, "title": "x"}),
        "respond": lambda: api.post(f"/tickets/{ticket}/messages", ALICE, {"body": "y"}),
        "note": lambda: api.post(f"/tickets/{ticket}/messages", AGENT, {"body": "z", "internal": True}),
        "close": lambda: api.post(f"/tickets/{ticket}/close", ALICE),
        "reopen": lambda: api.post(f"/tickets/{ticket}/reopen", ALICE),
    }[change]


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_is_one_transaction(api, ticket, change):
    """After the detail read that shows the ticket (as the pages and the console do), a change
    is one transaction: it starts from the version read and writes on condition of it."""
    if change == "reopen":
        api.post(f"/tickets/{ticket}/close", ALICE)
    version = api.get(f"/tickets/{ticket}", AGENT).json["version"]
    assert requests_for(_change(api, ticket, change, version)) == {"TransactWriteItems": 1}


@pytest.mark.parametrize("change", ["respond", "close", "reopen"])
def test_changes_in_a_row_are_one_transaction_each(api, ticket, change):
    """The change before is where the next starts: no read between them either."""
    if change == "reopen":
        api.post(f"/tickets/{ticket}/close", ALICE)
    else:
        api.patch(f"/tickets/{ticket}", AGENT, {"version": api.get(f"/tickets/{ticket}", AGENT).json["version"]})
    assert requests_for(_change(api, ticket, change, None)) == {"TransactWriteItems": 1}


@pytest.mark.parametrize("change", [c for c in CHANGES if c != "note"])
def test_a_process_that_never_saw_the_ticket_reads_it_first(api, ticket, change):
    if change == "reopen":
        api.post(f"/tickets/{ticket}/close", ALICE)
    version = api.get(f"/tickets/{ticket}", AGENT).json["version"]
    last_seen.forget_all()  # as a new Lambda instance starts
    assert requests_for(_change(api, ticket, change, version)) == {"GetItem": 1, "TransactWriteItems": 1}


def test_a_stale_memory_costs_one_refused_transaction_and_never_a_wrong_count(api, ticket, team):
    """Another instance changed the ticket since this one saw it: the refused transaction hands
    the ticket back as it is, and the change is decided again from there (no read)."""
    api.get(f"/tickets/{ticket}", AGENT)  # seen here as pending, unassigned
    stale = last_seen.recall(ticket)
    api.post(f"/tickets/{ticket}/messages", ALICE, {"body": "back to open"})
    assign(api, ticket, AGENT.email)
    assert stale is not None
    last_seen.remember(stale)  # as if the two changes above were made by another instance
    before = api.get("/tickets/counts", AGENT).json
    assert (before["open"], before["mine"], before["unassigned"]) == (1, 1, 0)
    assert requests_for(lambda: api.post(f"/tickets/{ticket}/close", ALICE)) == {"TransactWriteItems": 2}
    after = api.get("/tickets/counts", AGENT).json
    assert (after["open"], after["mine"], after["unassigned"]) == (0, 0, 0)


def test_a_refusal_is_never_given_on_a_remembered_version(api, ticket):
    """Seen closed here, re-opened elsewhere since: closing it is not refused as already closed."""
    api.post(f"/tickets/{ticket}/close", ALICE)
    api.get(f"/tickets/{ticket}", AGENT)
    stale = last_seen.recall(ticket)
    api.post(f"/tickets/{ticket}/reopen", ALICE)
    assert stale is not None
    last_seen.remember(stale)
    response = api.post(f"/tickets/{ticket}/close", ALICE)
    assert response.status_code == 200, response.body
    assert api.get(f"/tickets/{ticket}", ALICE).json["status"] == "closed"
