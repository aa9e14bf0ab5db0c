"""Items of tickets: the ticket, its responses and notes, its events, the number counter and
idempotency records (the key table is in ``chalicelib.core.table``)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)

from chalicelib.core.table import PortalItem

TICKET_SK = "#TICKET"
QUEUE_PK = "TICKETS"  # gsi2 partition: the support queue across organisations


class TicketItem(PortalItem, discriminator="ticket"):
    number = NumberAttribute()
    org = UnicodeAttribute()
    title = UnicodeAttribute()
    title_search = UnicodeAttribute()  # lower-cased title for the `q` filter
    description = UnicodeAttribute()
    tags = ListAttribute(of=UnicodeAttribute)
    status = UnicodeAttribute()
    priority = UnicodeAttribute()
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute()  # e-mail of the customer the ticket is for: the requester
    created_by_id = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()
    closed_at = UnicodeAttribute(null=True)
    version = NumberAttribute()
    message_count = NumberAttribute(default=0)
    # Users of the ticket's organisation who get its mail besides the requester (§3.1); a set,
    # so adding twice is one follower and a follow needs no read. DynamoDB has no empty sets.
    followers = UnicodeSetAttribute(null=True)


class MessageItem(PortalItem, discriminator="message"):
    id = UnicodeAttribute()
    number = NumberAttribute()
    body = UnicodeAttribute()
    internal = BooleanAttribute(default=False)
    author = UnicodeAttribute()
    author_role = UnicodeAttribute()  # "customer" or "support"
    created_at = UnicodeAttribute()


class EventItem(PortalItem, discriminator="event"):
    """One change of a ticket: its history line, and (through the stream) its mails."""

    id = UnicodeAttribute()
    number = NumberAttribute()
    kind = UnicodeAttribute()
    actor = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    at = UnicodeAttribute()
    changes: MapAttribute[str, Any] = MapAttribute(null=True)  # field -> {"from"?, "to"}
    message_id = UnicodeAttribute(null=True)
    body = UnicodeAttribute(null=True)
    internal = BooleanAttribute(default=False)
    # The files a created/responded/noted event brought, for its mails: {filename, content_type, size}.
    attachments = ListAttribute(of=MapAttribute, null=True)


class CounterItem(PortalItem, discriminator="counter"):
    value = NumberAttribute(default=0)


class IdempotencyItem(PortalItem, discriminator="idempotency"):
    result = UnicodeAttribute()  # what the first call made: a ticket number or a message sk


def ticket_pk(number: int) -> str:
    return f"TICKET#{number}"


def org_activity_pk(org: str) -> str:
    return f"ORG#{org}#TICKETS"


def activity_sk(updated_at: str, number: int) -> str:
    return f"{updated_at}#{number:010d}"
