"""The notification stream handler: table stream records -> mails, each sent exactly once.

Only the stream handler imports this module (never the API path), and it creates the SES
and SQS clients on first use, so neither costs the API anything.

Exactly once, per (event, recipient): a marker item ``NOTIFY#<event key>`` / ``#SENT``
holds the set of recipients already mailed. A mail is sent only if its recipient is not in
the set, and added to it right after SES accepted it. A retried or replayed record
therefore re-sends only what did not go out. The one duplicate window is a crash (or a
timeout) between SES accepting a mail and the marker update; a claim written *before*
sending would turn that window into a lost mail instead, and a duplicate is the lesser
harm. No claim is needed against concurrent senders: one shard's records are handled by
one invocation at a time, in Lambda and in the local worker alike.

Retries and the dead-letter queue: a record whose mails fail is reported in
``batchItemFailures``, so the event source mapping retries from it. The marker counts the
failed attempts; at ``NOTIFICATION_MAX_ATTEMPTS`` the handler puts a self-contained letter
(the whole stream record) into ``DEAD_LETTER_QUEUE_URL``, marks the event parked and
reports success, so the shard moves on. ``dead_letters.replay`` feeds the record back
through ``process_record(..., replay=True)``. The mapping's own on-failure destination
(the record's position only) stays as the safety net for a handler that cannot run at all.
"""

from __future__ import annotations

import functools
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.core.clock import now
from chalicelib.core.config import settings
from chalicelib.core.table import PortalItem
from chalicelib.mail import compose, mime
from chalicelib.mail.models import MARK_SK, NotificationMarkerItem, marker_pk
from chalicelib.mail.stream import Source, source_of
from chalicelib.tickets.models import TICKET_SK, TicketItem, ticket_pk

log = logging.getLogger(__name__)

MARKER_TTL = timedelta(days=30)  # longer than the stream (24 h) and the queue (14 days) keep a record
LETTER_KIND = "portal-notification"

# What process_record says about a record.
IGNORED = "ignored"  # not a notification source (ticket writes, markers, ...)
DELIVERED = "delivered"  # every mail is out (now or before)
FAILED = "failed"  # some mail failed: retry the record
DEAD_LETTERED = "dead-lettered"  # failed too often: parked in the dead-letter queue
PARKED = "parked"  # dead-lettered earlier; waits for a replay


class DeliveryError(Exception):
    """A record that cannot be turned into mail right now."""


# --- the handler -----------------------------------------------------------------------


def handle_stream_event(event: dict[str, Any]) -> dict[str, Any]:
    """Lambda's DynamoDB stream event in, the partial batch response out."""
    failures = []
    for record in event.get("Records", []):
        if process_record(record) == FAILED:
            failures.append({"itemIdentifier": record["dynamodb"]["SequenceNumber"]})
    return {"batchItemFailures": failures}


def process_record(record: dict[str, Any], *, replay: bool = False) -> str:
    """Send what one record still owes; never raises, answers one of the outcomes above."""
    try:
        source, unreadable = source_of(record), None
        if source is None:
            return IGNORED
    except Exception as error:  # poison we cannot even read: counted under its stream id
        source, unreadable = None, error
    key = source.key if source else f"record:{record.get('eventID', 'unknown')}"
    try:
        context, marker = _load(source, key)
        if marker is not None and marker.dead_lettered_at and not replay:
            return PARKED  # already in the dead-letter queue: only a replay sends it
        if source is None:  # only when source_of raised: readable records without mail were ignored above
            raise DeliveryError(f"unreadable stream record: {unreadable!r}")
        _send_unsent(key, _mails(source, context), set(marker.sent or ()) if marker else set())
        return DELIVERED
    except Exception as error:
        return _failed(key, record, error, replay)


def _send_unsent(key: str, mails: list[mime.Mail], sent: set[str]) -> None:
    """Send each mail whose recipient is not marked yet, marking it right after SES took it."""
    errors = []
    for mail in mails:
        if mail.recipient in sent:
            continue
        try:
            send(mail)
        except Exception as error:  # SES down, throttled, rejected: the record is retried
            errors.append(f"{mail.recipient}: {error}")
            continue
        _mark_sent(key, mail.recipient)
    if errors:
        raise DeliveryError("; ".join(errors))


def _failed(key: str, record: dict[str, Any], error: Exception, replay: bool) -> str:
    log.warning("notification %s failed: %s", key, error)
    try:
        attempts = _count_failure(key, str(error))
    except Exception:  # the table itself is unreachable: let the event source mapping retry
        log.exception("could not count the failure of %s", key)
        return FAILED
    if replay or attempts < settings().notification_max_attempts:
        return FAILED
    try:
        dead_letter(key, record, str(error), attempts)
    except Exception:
        log.exception("could not dead-letter %s; the event source mapping keeps it", key)
        return FAILED
    return DEAD_LETTERED


# --- reading what the mails need ------------------------------------------------------


def _load(source: Source | None, key: str) -> tuple[Any, NotificationMarkerItem | None]:
    """What the mails need (the ticket, or the organisation's members) and the marker.

    For a ticket event both come from one consistent BatchGetItem."""
    marker_key = (marker_pk(key), MARK_SK)
    if source is None or source.kind == "event":
        keys = [marker_key]
        if source is not None:
            keys.append((ticket_pk(int(source.item["number"])), TICKET_SK))
        ticket, marker = None, None
        for item in PortalItem.batch_get(keys, consistent_read=True):
            if isinstance(item, TicketItem):
                ticket = item
            elif isinstance(item, NotificationMarkerItem):
                marker = item
        return ticket, marker
    from chalicelib.identity.organisations import org_members

    members = [user["email"] for user in org_members(str(source.item.get("org", "")))]
    # The marker's key holds only a marker, so the subclass reads it (and checks its discriminator).
    return members, next(iter(NotificationMarkerItem.batch_get([marker_key], consistent_read=True)), None)


def _mails(source: Source, context: Any) -> list[mime.Mail]:
    if source.kind == "event":
        if context is None:
            raise DeliveryError(f"ticket #{source.item['number']} of {source.key} does not exist")
        return compose.ticket_mails(source.item, _ticket_dict(context))
    return compose.reminder_mails(source.item, context)


def _ticket_dict(ticket: TicketItem) -> dict[str, Any]:
    return {
        "number": int(ticket.number),
        "title": ticket.title,
        "org": ticket.org,
        "created_by": ticket.created_by,
        "description": ticket.description,
        "tags": list(ticket.tags or []),
        "priority": ticket.priority,
        "status": ticket.status,
        "followers": sorted(ticket.followers or ()),
        "assignee": getattr(ticket, "assignee", None),  # the agent workspace's, once tickets have one
    }


# --- the marker ------------------------------------------------------------------------


def _marker(key: str) -> NotificationMarkerItem:
    return NotificationMarkerItem(marker_pk(key), MARK_SK)


def _marker_actions(key: str) -> list:
    return [
        NotificationMarkerItem.item_type.set(NotificationMarkerItem),
        NotificationMarkerItem.event_key.set(key),
        NotificationMarkerItem.expires.set(datetime.now(UTC) + MARKER_TTL),
    ]


def _mark_sent(key: str, recipient: str) -> None:
    _marker(key).update(actions=[NotificationMarkerItem.sent.add({recipient}), *_marker_actions(key)])


def _count_failure(key: str, error: str) -> int:
    marker = _marker(key)
    marker.update(
        actions=[
            NotificationMarkerItem.attempts.add(1),
            NotificationMarkerItem.last_error.set(error[:1000]),
            *_marker_actions(key),
        ]
    )
    return int(marker.attempts or 0)


def mark_parked(key: str) -> None:
    _marker(key).update(actions=[NotificationMarkerItem.dead_lettered_at.set(now()), *_marker_actions(key)])


def mark_replayed(key: str) -> None:
    _marker(key).update(
        actions=[
            NotificationMarkerItem.dead_lettered_at.remove(),
            NotificationMarkerItem.attempts.set(0),
            *_marker_actions(key),
        ]
    )


# --- AWS: created on first use ---------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _ses():
    import boto3
    from botocore.config import Config

    config = settings()
    return boto3.client(
        "sesv2",
        region_name=config.region,
        endpoint_url=config.endpoint_url,
        config=Config(
            retries={"mode": "standard", "max_attempts": 5},  # throttling backs off
            connect_timeout=5,
            read_timeout=10,
        ),
    )


@functools.lru_cache(maxsize=1)
def sqs():
    import boto3

    config = settings()
    return boto3.client("sqs", region_name=config.region, endpoint_url=config.endpoint_url)


def send(mail: mime.Mail) -> None:
    """Hand one mail to SES v2 as a raw message, so our threading headers are kept."""
    _ses().send_email(
        FromEmailAddress=settings().sender_email,
        Destination={"ToAddresses": [mail.recipient]},
        Content={"Raw": {"Data": mime.to_mime(mail)}},
    )


def dead_letter(key: str, record: dict[str, Any], error: str, attempts: int) -> None:
    """Park the record in the dead-letter queue with everything a replay needs."""
    queue = settings().dead_letter_queue_url
    if not queue:
        raise DeliveryError("DEAD_LETTER_QUEUE_URL is not set")
    letter = {
        "kind": LETTER_KIND,
        "version": 1,
        "event_key": key,
        "attempts": attempts,
        "error": error[:2000],
        "dead_lettered_at": now(),
        "record": record,
    }
    sqs().send_message(
        QueueUrl=queue,
        MessageBody=json.dumps(letter, default=str),
        MessageAttributes={"event_key": {"DataType": "String", "StringValue": key}},
    )
    mark_parked(key)
