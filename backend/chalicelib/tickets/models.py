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


class TicketItem(PortalItem, discriminator="ticket"):
    number = NumberAttribute()
    org = UnicodeAttribute()
    title = UnicodeAttribute()
    # Lower-cased title and description: what `q` looks for (DynamoDB's contains is case-sensitive).
    search_text = UnicodeAttribute(null=True)
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
    assignee = UnicodeAttribute(null=True)  # a support user's e-mail (§3.4); None: unassigned
    # The SLA timer (tickets.sla): which response is awaited ("first" or "next") since when, and
    # when it is due at the ticket's priority; None while nothing is awaited from support.
    sla_kind = UnicodeAttribute(null=True)
    sla_started_at = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    breached_at = UnicodeAttribute(null=True)  # the breach check marked this timer (mailed once)
    # Support's first public response (the reports' first-response times, chalicelib.reports).
    first_response_at = UnicodeAttribute(null=True)
    # CSAT (PRODUCT.md §5): the requester's rating of the ticket's last close; a re-open clears it.
    rating_score = UnicodeAttribute(null=True)  # "good" or "bad"
    rating_comment = UnicodeAttribute(null=True)
    rated_at = UnicodeAttribute(null=True)


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


def searchable(title: str, description: str) -> str:
    return f"{title}\n{description}".lower()


def ticket_pk(number: int) -> str:
    return f"TICKET#{number}"
