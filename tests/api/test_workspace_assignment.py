"""Assignment (PATCH assignee) and the queue's counts (PRODUCT.md §3.4)."""

import contextlib
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from tests.support.mail import outbox
from tests.support.users import ADMIN, AGENT, ALICE, BOB, CAROL
from tests.support.workspace import AGENT2, assign


def test_support_assigns_a_ticket_with_a_history_line(api, team):
    number = api.new_ticket()["number"]
    answer = assign(api, number, AGENT2.email)
    assert answer["assignee"] == AGENT2.email and answer["version"] == 2
    detail = api.get(f"/tickets/{number}", AGENT).json
    assert detail["assignee"] == AGENT2.email
    assert detail["history"][-1]["kind"] == "updated"
    assert detail["history"][-1]["changes"] == {"assignee": {"from": None, "to": AGENT2.email}}
    assert api.get(f"/tickets/{number}", ALICE).json["assignee"] == AGENT2.email


def test_assign_to_me_reassign_and_unassign(api, team):
    number = api.new_ticket()["number"]
    assign(api, number, AGENT.email)
    assign(api, number, AGENT2.email)
    assert api.get(f"/tickets/{number}", AGENT).json["history"][-1]["changes"]["assignee"] == {
        "from": AGENT.email,
        "to": AGENT2.email,
    }
    assign(api, number, None)
    assert api.get(f"/tickets/{number}", AGENT).json["assignee"] is None


def test_an_admin_may_be_the_assignee(api, team):
    number = api.new_ticket()["number"]
    assert assign(api, number, ADMIN.email)["assignee"] == ADMIN.email


@pytest.mark.parametrize("assignee", [ALICE.email, "nobody@vendor.example", "Bob@Acme.example"])
def test_assigning_someone_who_is_not_support_is_400_naming_assignee_and_stores_nothing(api, team, assignee):
    number = api.new_ticket()["number"]
    response = api.patch(f"/tickets/{number}", AGENT, {"version": 1, "assignee": assignee})
    assert response.status_code == 400 and response.json["Message"].startswith("assignee:")
    detail = api.get(f"/tickets/{number}", AGENT).json
    assert detail["version"] == 1 and detail["assignee"] is None and len(detail["history"]) == 1


def test_a_customer_cannot_assign(api, team):
    number = api.new_ticket()["number"]
    response = api.patch(f"/tickets/{number}", ALICE, {"version": 1, "assignee": AGENT.email})
    assert response.status_code == 403 and "assignee" in response.json["Message"]


def test_assigning_another_organisations_ticket_is_still_a_404_for_customers(api, team):
    number = api.new_ticket(CAROL)["number"]
    assert api.patch(f"/tickets/{number}", ALICE, {"version": 1, "title": "x"}).status_code == 404


def test_the_new_assignee_is_mailed_assigned_to_you_and_nobody_else(api, team, pump):
    number = api.new_ticket()["number"]
    pump()
    before = len(outbox())
    assign(api, number, AGENT2.email, by=AGENT)
    pump()
    mails = outbox()[before:]
    assert [m.recipients for m in mails] == [[AGENT2.email]]
    assert f"{AGENT.email} assigned ticket #{number} to you." in mails[0].text


def test_assigning_yourself_mails_nobody(api, team, pump):
    number = api.new_ticket()["number"]
    pump()
    before = len(outbox())
    assign(api, number, AGENT.email, by=AGENT)
    pump()
    assert outbox()[before:] == []


def test_once_assigned_a_customers_response_goes_to_the_assignee_not_the_inbox(api, team, pump):
    number = api.new_ticket()["number"]
    assign(api, number, AGENT2.email)
    pump()
    before = len(outbox())
    api.post(f"/tickets/{number}/messages", ALICE, {"body": "More detail"})
    pump()
    assert [m.recipients for m in outbox()[before:]] == [[AGENT2.email]]


# --- counts ------------------------------------------------------------------------------


def counts(api, user=AGENT):
    response = api.get("/tickets/counts", user)
    assert response.status_code == 200, response.body
    return response.json


def test_counts_follow_every_change(api, team):
    assert counts(api) == {"unassigned": 0, "mine": 0, "open": 0, "pending": 0, "breached": 0}
    first = api.new_ticket()["number"]
    second = api.new_ticket(BOB)["number"]
    assert counts(api) == {"unassigned": 2, "mine": 0, "open": 2, "pending": 0, "breached": 0}
    assign(api, first, AGENT.email)
    api.post(f"/tickets/{first}/messages", AGENT, {"body": "answer"})
    assert counts(api) == {"unassigned": 1, "mine": 1, "open": 1, "pending": 1, "breached": 0}
    assert counts(api, AGENT2)["mine"] == 0
    api.post(f"/tickets/{first}/close", ALICE)
    api.post(f"/tickets/{second}/close", BOB)
    assert counts(api) == {"unassigned": 0, "mine": 0, "open": 0, "pending": 0, "breached": 0}
    api.post(f"/tickets/{first}/reopen", ALICE)
    assert counts(api) == {"unassigned": 0, "mine": 1, "open": 1, "pending": 0, "breached": 0}


def test_counts_are_for_support(api, team):
    response = api.get("/tickets/counts", ALICE)
    assert response.status_code == 403


def test_counts_read_two_counters_no_queue(api, team):
    from tests.support.dynamo import counting_requests

    for _ in range(3):
        api.new_ticket()
    with counting_requests() as calls:
        assert api.get("/tickets/counts", AGENT).status_code == 200
    assert dict(calls) == {"BatchGetItem": 1}


def truth(numbers) -> dict:
    """The counts recomputed from the tickets themselves (what the counters must equal)."""
    from chalicelib.tickets.changes import _read

    live = [t for t in map(_read, numbers) if t is not None and t.status != "closed"]
    return {
        "unassigned": sum(1 for t in live if not t.assignee),
        "mine": sum(1 for t in live if t.assignee == AGENT.email),
        "open": sum(1 for t in live if t.status == "open"),
        "pending": sum(1 for t in live if t.status == "pending"),
        "breached": sum(1 for t in live if t.breached_at),
    }


def test_counts_stay_exact_under_parallel_changes(api, team):
    from chalicelib.core.errors import Conflict
    from chalicelib.identity.auth import Principal
    from chalicelib.tickets import changes

    alice = Principal("sub-alice", ALICE.email, "acme", frozenset())
    agent = Principal("sub-agent", AGENT.email, "vendor", frozenset({"support"}))
    agent2 = Principal("sub-agent2", AGENT2.email, "vendor", frozenset({"support"}))
    numbers = [
        changes.create_ticket(alice, {"title": f"t{i}", "description": "d", "tags": ["Bug"]})["number"]
        for i in range(6)
    ]
    work = []
    for number in numbers:  # every ticket gets several changes at once, from several people
        work += [
            lambda n=number: changes.add_message(agent, n, {"body": "answer"}),
            lambda n=number: changes.add_message(alice, n, {"body": "more"}),
            lambda n=number: changes.close_ticket(alice, n),
            lambda n=number: changes.update_ticket(agent2, n, {"version": 1, "assignee": AGENT.email}),
            lambda n=number: changes.update_ticket(agent, n, {"version": 1, "assignee": AGENT2.email}),
            lambda n=number: changes.reopen_ticket(agent, n),
        ]
    start = Barrier(len(work))

    def run(job):
        start.wait()
        with contextlib.suppress(Conflict):  # closed before the response, a stale version: nothing counted
            job()

    with ThreadPoolExecutor(len(work)) as pool:
        list(pool.map(run, work))
    assert counts(api) == truth(numbers)
    assert counts(api, AGENT2)["mine"] == sum(
        1 for n in numbers if (t := changes._read(n)) and t.status != "closed" and t.assignee == AGENT2.email
    )
