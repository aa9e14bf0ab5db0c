"""Stream side of the reports: each change of a ticket moves the counts it concerns, once.

From the ticket item's old and new images (the table's stream is NEW_AND_OLD_IMAGES), never
by reading tickets: a new ticket counts as created in its week; a change into ``closed`` as
solved in the week of ``closed_at``; support's first public response (``first_response_at``)
adds its time since creation to the week's histogram (``reports.weeks``); a rating counts in
the week its ticket was closed, and a changed or cleared rating moves it; the backlog (tickets
not closed) by status, priority, tag and organisation loses the old image's place and gains
the new one's. A record that moves nothing (most do: a response, an assignment) writes nothing.

Each record's counts go in one transaction with a marker ``REPORTED#<stream event id>`` written
on condition that it does not exist, so a redelivered record (a retried batch, a replay)
changes nothing twice. Only the stream handler imports this.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from typing import Any

from chalicelib.core.clock import parse, utcnow
from chalicelib.core.storage import ConditionFailed, transact
from chalicelib.mail.stream import plain
from chalicelib.reports import weeks
from chalicelib.reports.models import (
    APPLIED_SK,
    BACKLOG_PK,
    WEEKS_PK,
    AppliedRecordItem,
    ReportCountItem,
    applied_pk,
)

log = logging.getLogger(__name__)

MARKER_TTL = timedelta(days=2)  # a stream keeps records 24 hours
Key = tuple[str, str]


def _images(record: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None] | None:
    """The ticket's (old, new) images as plain values, or None for a record of another item."""
    stream = record.get("dynamodb") or {}
    old, new = stream.get("OldImage"), stream.get("NewImage")
    if not any(((image or {}).get("type") or {}).get("S") == "ticket" for image in (old, new)):
        return None
    return (plain(old) if old else None), (plain(new) if new else None)


def _backlog(ticket: dict[str, Any] | None) -> list[Key]:
    if ticket is None or ticket.get("status") == "closed":
        return []
    places = [f"status#{ticket.get('status')}", f"priority#{ticket.get('priority')}", f"org#{ticket.get('org')}"]
    places += [f"tag#{tag}" for tag in ticket.get("tags") or []]
    return [(BACKLOG_PK, place) for place in places]


def _rating(ticket: dict[str, Any] | None) -> list[Key]:
    if ticket is None or not ticket.get("rating_score") or not ticket.get("closed_at"):
        return []
    return [(WEEKS_PK, f"{weeks.week_of_stamp(ticket['closed_at'])}#csat#{ticket['rating_score']}")]


def deltas(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[Key, int]:
    """What one change of a ticket adds to each count (no zeros)."""
    moved: Counter[Key] = Counter()
    for key in _backlog(old):
        moved[key] -= 1
    for key in _backlog(new):
        moved[key] += 1
    for key in _rating(old):
        moved[key] -= 1
    for key in _rating(new):
        moved[key] += 1
    if new is not None:
        if old is None and new.get("created_at"):
            moved[(WEEKS_PK, f"{weeks.week_of_stamp(new['created_at'])}#created")] += 1
        was_closed = old is not None and old.get("status") == "closed"
        if new.get("status") == "closed" and not was_closed and new.get("closed_at"):
            moved[(WEEKS_PK, f"{weeks.week_of_stamp(new['closed_at'])}#solved")] += 1
        answered = new.get("first_response_at")
        if answered and not (old or {}).get("first_response_at") and new.get("created_at"):
            minutes = (parse(answered) - parse(new["created_at"])).total_seconds() / 60
            week = weeks.week_of_stamp(answered)
            moved[(WEEKS_PK, f"{week}#first_response#{weeks.bucket(minutes):03d}")] += 1
    return {key: delta for key, delta in moved.items() if delta}


def apply(record: dict[str, Any]) -> bool:
    """Count one stream record; True unless the write failed (then the record is retried)."""
    try:
        images = _images(record)
        if images is None:
            return True
        moved = deltas(*images)
    except Exception:  # an image we cannot read is not worth a stuck shard: say so and go on
        log.exception("report aggregates: unreadable record %s", record.get("eventID"))
        return True
    if not moved:
        return True
    marker = AppliedRecordItem(applied_pk(str(record["eventID"])), APPLIED_SK)
    marker.expires = utcnow() + MARKER_TTL

    def build(tx: Any) -> None:
        tx.save(marker, condition=AppliedRecordItem.pk.does_not_exist())
        for (pk, sk), delta in sorted(moved.items()):
            tx.update(
                ReportCountItem(pk, sk),
                actions=[ReportCountItem.item_type.set(ReportCountItem), ReportCountItem.value.add(delta)],
            )

    try:
        transact(build)
    except ConditionFailed:
        pass  # counted already: a redelivered record
    except Exception:  # throttled, unavailable: the record is retried with its batch
        log.exception("report aggregates: could not count %s", record.get("eventID"))
        return False
    return True


def batch_failures(event: dict[str, Any]) -> list[dict[str, str]]:
    """The batch item failures (Lambda's partial batch response) of this part of the handler."""
    return [
        {"itemIdentifier": record["dynamodb"]["SequenceNumber"]}
        for record in event.get("Records", [])
        if not apply(record)
    ]
