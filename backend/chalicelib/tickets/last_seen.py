"""The tickets this process saw last, by number: where a change starts instead of reading.

A change's transaction must know where the ticket stood (the queue's counters and index keys
move by its status, assignee and timer), and it is written on condition that the ticket is still
that version. Nearly every change follows a read of the ticket's detail in the same browser
session, so starting from the version last seen here makes the change one transaction (PRODUCT.md
§7), with no read. A remembered version is only ever a guess: if it is stale, the condition fails
and DynamoDB hands back the ticket as it is (``ALL_OLD``), so a stale guess costs one refused
transaction and never a wrong count. A process that has not seen the ticket reads it first.

The memory is a bounded LRU of the tickets' raw items (no objects shared between requests).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from chalicelib.tickets.models import TicketItem

CAPACITY = 4096  # about 4 MB of tickets at most, well inside a Lambda's memory

_seen: OrderedDict[int, dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


def remember(ticket: TicketItem) -> None:
    raw = ticket.serialize()
    with _lock:
        _seen[int(ticket.number)] = raw
        _seen.move_to_end(int(ticket.number))
        while len(_seen) > CAPACITY:
            _seen.popitem(last=False)


def recall(number: int) -> TicketItem | None:
    with _lock:
        raw = _seen.get(number)
    return None if raw is None else TicketItem.from_raw_data(raw)


def forget_all() -> None:
    """Start from nothing (a new process does)."""
    with _lock:
        _seen.clear()
