"""Backfill for tickets stored before the workspace's indexes: their view keys, search text and
SLA timer, and the queue counters recomputed from them (``bin/portal reindex-tickets``).

Tickets are read by number (1 to the ticket counter) in BatchGetItem calls of 100, never by a
Scan; each is written on condition that its version is still the one read (a ticket changed
meanwhile already has its keys: every change writes them). The counters are set, not added
to, at the end: run it while no agent is at work, or run it again after.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from chalicelib.core.storage import ConditionFailed, conditional
from chalicelib.tickets import queue, sla
from chalicelib.tickets.models import TICKET_SK, CounterItem, TicketItem, searchable, ticket_pk

_BATCH = 100


def _fields(ticket: TicketItem) -> dict[str, Any]:
    fields: dict[str, Any] = {"search_text": searchable(ticket.title, ticket.description)}
    if ticket.status == "open" and ticket.due_at is None:
        # No history of timers: a ticket support never answered waits for its first response,
        # since it was raised; any other open one for its next, since its last activity.
        kind, start = (sla.FIRST, ticket.created_at) if not ticket.message_count else (sla.NEXT, ticket.updated_at)
        timer = sla.timer(kind, start, ticket.priority)
        fields.update(sla_kind=timer.kind, sla_started_at=timer.started_at, due_at=timer.due_at)
    elif ticket.status != "open":
        fields.update(sla_kind=None, sla_started_at=None, due_at=None, breached_at=None)
    for name, value in fields.items():
        setattr(ticket, name, value)
    fields.update(queue.index_keys(queue.Position.of(ticket)))
    return fields


def reindex_tickets() -> dict[str, int]:
    """Write every ticket's keys, then the counters; what was done, counted."""
    try:
        last = int(CounterItem.get("COUNTER", "TICKET").value or 0)
    except CounterItem.DoesNotExist:
        last = 0
    counted: Counter[str] = Counter()
    written = changed = 0
    for first in range(1, last + 1, _BATCH):
        keys = [(ticket_pk(n), TICKET_SK) for n in range(first, min(first + _BATCH, last + 1))]
        for ticket in TicketItem.batch_get(keys):
            version = ticket.version
            fields = _fields(ticket)
            actions = [
                getattr(TicketItem, k).remove() if v is None else getattr(TicketItem, k).set(v)
                for k, v in fields.items()
            ]
            try:
                conditional(
                    TicketItem(ticket_pk(int(ticket.number)), TICKET_SK).update,
                    actions=actions,
                    condition=TicketItem.version == version,
                )
                written += 1
            except ConditionFailed:
                changed += 1  # a change wrote its keys meanwhile
                ticket = TicketItem.get(ticket.pk, ticket.sk, consistent_read=True)
            counted.update(queue.counted(queue.Position.of(ticket)))
    for name in set(counted) | _existing_counters():
        CounterItem(queue.COUNTER_PK, name, value=counted.get(name, 0)).save()
    return {"tickets": written, "changed meanwhile": changed, "counters": len(counted)}


def _existing_counters() -> set[str]:
    return {item.sk for item in CounterItem.query(queue.COUNTER_PK, CounterItem.sk.startswith("QUEUE#"))}
