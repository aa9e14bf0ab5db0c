"""SLA timers (PRODUCT.md §3.4): due times per priority, sla_state, sort=due, and one breach mail."""

from datetime import timedelta

import pytest

from chalicelib.core.clock import parse, stamp
from tests.support.mail import outbox
from tests.support.users import AGENT, ALICE, BOB
from tests.support.workspace import AGENT2, assign

FIRST = {"urgent": 1, "high": 4, "normal": 8, "low": 24}
NEXT = {"urgent": 4, "high": 8, "normal": 24, "low": 48}


def on_behalf(api, priority, title="Printer on fire"):
    body = {"title": title, "description": "d", "tags": ["Bug"], "org": "acme", "requester": ALICE.email}
    response = api.post("/tickets", AGENT, {**body, "priority": priority})
    assert response.status_code == 201, response.body
    return response.json


def hours_between(start, end) -> float:
    return (parse(end) - parse(start)) / timedelta(hours=1)


@pytest.mark.parametrize("priority", FIRST)
def test_first_response_is_due_after_the_prioritys_target(api, priority):
    ticket = on_behalf(api, priority)
    assert hours_between(ticket["created_at"], ticket["first_response_due_at"]) == FIRST[priority]
    assert ticket["next_response_due_at"] is None and ticket["sla_state"] == "ok"


@pytest.mark.parametrize("priority", NEXT)
def test_a_customer_response_after_supports_starts_the_next_response_timer(api, priority):
    number = on_behalf(api, priority)["number"]
    api.post(f"/tickets/{number}/messages", AGENT, {"body": "Try this."})
    answered = api.get(f"/tickets/{number}", ALICE).json
    assert answered["first_response_due_at"] is None and answered["next_response_due_at"] is None
    api.post(f"/tickets/{number}/messages", ALICE, {"body": "It did not help."})
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert hours_between(detail["updated_at"], detail["next_response_due_at"]) == NEXT[priority]


def test_a_second_customer_message_does_not_push_the_due_time_back(api):
    ticket = api.new_ticket()
    api.post(f"/tickets/{ticket['number']}/messages", ALICE, {"body": "Anyone?"})
    assert (
        api.get(f"/tickets/{ticket['number']}", ALICE).json["first_response_due_at"] == ticket["first_response_due_at"]
    )


def test_a_new_priority_moves_the_due_time_from_the_same_start(api):
    ticket = api.new_ticket()
    api.patch(f"/tickets/{ticket['number']}", AGENT, {"version": 1, "priority": "urgent"})
    detail = api.get(f"/tickets/{ticket['number']}", AGENT).json
    assert hours_between(ticket["created_at"], detail["first_response_due_at"]) == FIRST["urgent"]


def test_pending_and_closed_tickets_wait_on_nobody(api):
    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/close", ALICE)
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert detail["first_response_due_at"] is None and detail["sla_state"] == "ok"
    api.post(f"/tickets/{number}/reopen", ALICE)
    reopened = api.get(f"/tickets/{number}", ALICE).json
    assert hours_between(reopened["updated_at"], reopened["next_response_due_at"]) == NEXT["normal"]


def test_the_targets_come_from_the_settings(api, monkeypatch):
    from dataclasses import replace

    from chalicelib.core import config
    from chalicelib.tickets import sla

    patched = replace(config.settings(), sla_first_response_hours={**config.SLA_FIRST_RESPONSE_HOURS, "normal": 2.5})
    monkeypatch.setattr(sla, "settings", lambda: patched)
    ticket = api.new_ticket()
    assert hours_between(ticket["created_at"], ticket["first_response_due_at"]) == 2.5


@pytest.mark.parametrize("hours_later, state", [(1, "ok"), (6.5, "at_risk"), (8.5, "breached")])
def test_sla_state_follows_the_clock(api, monkeypatch, hours_later, state):
    from chalicelib.tickets import sla

    ticket = api.new_ticket()  # normal: 8 hours; at risk in its last 2
    later = parse(ticket["created_at"]) + timedelta(hours=hours_later)
    monkeypatch.setattr(sla, "utcnow", lambda: later)
    assert api.get(f"/tickets/{ticket['number']}", ALICE).json["sla_state"] == state
    assert api.get("/tickets", AGENT).json["items"][0]["sla_state"] == state


def test_sort_due_lists_what_waits_on_support_soonest_due_first(api):
    low = on_behalf(api, "low")["number"]
    urgent = on_behalf(api, "urgent")["number"]
    normal = on_behalf(api, "normal")["number"]
    answered = on_behalf(api, "urgent")["number"]
    api.post(f"/tickets/{answered}/messages", AGENT, {"body": "done"})
    numbers = [t["number"] for t in api.get("/tickets?sort=due", AGENT).json["items"]]
    assert numbers == [urgent, normal, low]
    page = api.get("/tickets?sort=due&limit=2", AGENT).json
    rest = api.get(f"/tickets?sort=due&limit=2&cursor={page['next_cursor']}", AGENT).json
    assert [t["number"] for t in page["items"] + rest["items"]] == [urgent, normal, low]


# --- the breach check ---------------------------------------------------------------------


def hours_after(ticket, hours) -> str:
    return stamp(parse(ticket["created_at"]) + timedelta(hours=hours))


def breach_mails():
    return [m for m in outbox() if "past its SLA target" in m.text]


def test_one_breach_mail_not_two_when_the_check_runs_twice(api, pump):
    from chalicelib.tickets.breaches import check_breaches

    ticket = on_behalf(api, "urgent")
    pump()
    assert check_breaches(hours_after(ticket, 0.5)) == []  # not due yet
    assert check_breaches(hours_after(ticket, 1.5)) == [ticket["number"]]
    assert check_breaches(hours_after(ticket, 1.6)) == []
    pump()
    assert [m.recipients for m in breach_mails()] == [["support@vendor.example"]]  # unassigned: the inbox
    assert api.get("/tickets/counts", AGENT).json["breached"] == 1
    detail = api.get(f"/tickets/{ticket['number']}", AGENT).json
    assert detail["sla_state"] == "breached" and detail["history"][-1]["kind"] == "sla_breached"
    assert "sla_breached" not in [h["kind"] for h in api.get(f"/tickets/{ticket['number']}", ALICE).json["history"]]


def test_a_breach_mails_the_assignee_and_ends_with_supports_response(api, team, pump):
    from chalicelib.tickets.breaches import check_breaches

    ticket = on_behalf(api, "high")
    assign(api, ticket["number"], AGENT2.email)
    check_breaches(hours_after(ticket, 5))
    pump()
    assert [m.recipients for m in breach_mails()] == [[AGENT2.email]]
    api.post(f"/tickets/{ticket['number']}/messages", AGENT2, {"body": "Sorry for the wait."})
    assert api.get("/tickets/counts", AGENT).json["breached"] == 0
    api.post(f"/tickets/{ticket['number']}/messages", ALICE, {"body": "Still broken."})
    assert check_breaches(hours_after(ticket, 5.5)) == []  # the next response is not due yet
    assert api.get(f"/tickets/{ticket['number']}", BOB).json["sla_state"] == "ok"


def test_two_checks_at_once_mark_one_breach(api):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from chalicelib.tickets.breaches import check_breaches

    ticket = on_behalf(api, "urgent")
    start = Barrier(4)

    def check(_):
        start.wait()
        return check_breaches(hours_after(ticket, 2))

    with ThreadPoolExecutor(4) as pool:
        marked = [n for run in pool.map(check, range(4)) for n in run]
    assert marked == [ticket["number"]]
    assert api.get("/tickets/counts", AGENT).json["breached"] == 1
    assert [h["kind"] for h in api.get(f"/tickets/{ticket['number']}", AGENT).json["history"]].count(
        "sla_breached"
    ) == 1
