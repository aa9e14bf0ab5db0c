"""The workspace's pure rules: macro placeholders, SLA timers and settings, queue positions."""

import pytest

from chalicelib.core.config import _hours
from chalicelib.macros import placeholders
from chalicelib.tickets import queue, sla

VALUES = {"ticket.number": "7", "ticket.title": "Crash", "requester.email": "a@b.example", "agent.email": "s@v.example"}


def test_known_placeholders_are_filled_with_or_without_spaces():
    assert placeholders.render("#{{ticket.number}} {{ ticket.title }}", VALUES) == "#7 Crash"


def test_unknown_placeholders_are_named_once_in_order_and_left_visible():
    text = "{{a}} {{ticket.number}} {{b}} {{a}}"
    assert placeholders.unknown(text) == ["a", "b"]
    assert placeholders.render(text, VALUES) == "{{a}} 7 {{b}} {{a}}"


def test_a_value_with_braces_is_not_rendered_again():
    assert placeholders.render("{{ticket.title}}", {"ticket.title": "{{agent.email}}"}) == "{{agent.email}}"


def test_sla_settings_override_named_priorities_only():
    assert _hours("NOT_SET_ANYWHERE", {"low": 24.0, "urgent": 1.0}) == {"low": 24.0, "urgent": 1.0}


def test_sla_settings_parse_and_refuse_nonsense(monkeypatch):
    monkeypatch.setenv("SLA_TEST_HOURS", "urgent=0.5, low=12")
    assert _hours("SLA_TEST_HOURS", {"low": 24.0, "urgent": 1.0, "high": 4.0}) == {
        "low": 12.0,
        "urgent": 0.5,
        "high": 4.0,
    }
    for bad in ("asap=1", "low=0", "low=-2"):
        monkeypatch.setenv("SLA_TEST_HOURS", bad)
        with pytest.raises(ValueError, match="SLA_TEST_HOURS"):
            _hours("SLA_TEST_HOURS", {"low": 24.0})


def test_a_running_timer_keeps_its_start_and_other_statuses_stop_it():
    at = "2026-12-01T09:00:00.000000Z"
    first = sla.timer(sla.FIRST, at, "normal")
    assert first.due_at == "2026-12-01T17:00:00.000000Z"
    assert sla.after(first, "open", "urgent", "2026-12-01T09:30:00.000000Z") == sla.Timer(
        sla.FIRST, at, "2026-12-01T10:00:00.000000Z"
    )
    assert sla.after(first, "pending", "normal", at) is None
    assert sla.after(None, "open", "low", at) == sla.Timer(sla.NEXT, at, "2026-12-03T09:00:00.000000Z")


def position(**fields):
    base = dict(number=1, org="acme", status="open", assignee=None, updated_at="t", due_at=None, breached=False)
    return queue.Position(**{**base, **fields})


def test_counter_deltas_move_a_ticket_between_counters():
    before = position(assignee=None, breached=True)
    after = position(status="pending", assignee="s@v.example")
    assert queue.counter_deltas(before, after) == {
        "QUEUE#open": -1,
        "QUEUE#unassigned": -1,
        "QUEUE#breached": -1,
        "QUEUE#pending": 1,
        "QUEUE#mine#s@v.example": 1,
    }
    assert queue.counter_deltas(after, position(status="closed", assignee="s@v.example")) == {
        "QUEUE#pending": -1,
        "QUEUE#mine#s@v.example": -1,
    }


def test_only_tickets_awaiting_support_are_in_the_due_index():
    keys = queue.index_keys(position(due_at="2026-12-01T10:00:00.000000Z", number=42))
    assert keys["gsi7pk"] == "DUE" and keys["gsi7sk"] == "2026-12-01T10:00:00.000000Z#0000000042"
    assert queue.index_keys(position(status="pending"))["gsi7pk"] is None
    assert (
        queue.index_keys(position(assignee="s@v.example", status="pending"))["gsi6pk"] == "ASSIGNEE#s@v.example#pending"
    )
