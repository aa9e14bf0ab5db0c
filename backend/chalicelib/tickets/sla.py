"""SLA timers (PRODUCT.md §3.4): which response support owes, since when, and when it is due.

A timer runs while the ticket waits for support: from its creation (the first response) and
from each customer response or re-opening after support answered (the next response). Support's
public response, pending and closed stop it. Pure functions; the changes store what they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from chalicelib.core.clock import parse, stamp, utcnow
from chalicelib.core.config import SLA_AT_RISK_SHARE, settings

FIRST, NEXT = "first", "next"


@dataclass(frozen=True)
class Timer:
    kind: str  # FIRST or NEXT
    started_at: str
    due_at: str


def target_hours(kind: str, priority: str) -> float:
    config = settings()
    table = config.sla_first_response_hours if kind == FIRST else config.sla_next_response_hours
    return table[priority]


def timer(kind: str, started_at: str, priority: str) -> Timer:
    due = parse(started_at) + timedelta(hours=target_hours(kind, priority))
    return Timer(kind, started_at, stamp(due))


def after(current: Timer | None, status: str, priority: str, at: str) -> Timer | None:
    """The timer once a change leaves the ticket in ``status`` at ``priority``.

    Only ``open`` waits for support: a running timer keeps its start (a second customer message
    does not push the due time back), a new one is the next response's; any other status stops it.
    """
    if status != "open":
        return None
    if current is None:
        return timer(NEXT, at, priority)
    return timer(current.kind, current.started_at, priority)  # the priority may have changed


def state(due_at: str | None, started_at: str | None, breached_at: str | None) -> str:
    """``ok``, ``at_risk`` (less than a quarter of the target left) or ``breached``."""
    if due_at is None or started_at is None:
        return "ok"
    moment = utcnow()
    due = parse(due_at)
    if breached_at is not None or moment >= due:
        return "breached"
    left, target = due - moment, due - parse(started_at)
    return "at_risk" if left < target * SLA_AT_RISK_SHARE else "ok"
