"""Reading tickets: a ticket's detail (one Query on its partition) and a page of a list."""

from __future__ import annotations

import json
from typing import Any

from pynamodb.expressions.condition import Condition

from chalicelib.attachments.models import AttachmentItem
from chalicelib.core import cursors
from chalicelib.core.errors import Forbidden, NotFound
from chalicelib.core.table import PortalItem
from chalicelib.identity.auth import Principal
from chalicelib.tickets import views
from chalicelib.tickets.models import QUEUE_PK, EventItem, MessageItem, TicketItem, org_activity_pk, ticket_pk

DEFAULT_PAGE = 25


def load(number: int) -> tuple[TicketItem | None, list[MessageItem], list[EventItem]]:
    """The ticket with all its messages and events: one Query on the ticket's partition."""
    ticket, messages, events, _ = load_all(number)
    return ticket, messages, events


def load_all(number: int) -> tuple[TicketItem | None, list[MessageItem], list[EventItem], list[AttachmentItem]]:
    """``load`` and the ticket's attachments, from the same one Query."""
    ticket, messages, events, files = None, [], [], []
    for item in PortalItem.query(ticket_pk(number)):
        if isinstance(item, TicketItem):
            ticket = item
        elif isinstance(item, MessageItem):
            messages.append(item)
        elif isinstance(item, EventItem):
            events.append(item)
        elif isinstance(item, AttachmentItem):
            files.append(item)
    return ticket, messages, events, files


def not_found(number: int) -> NotFound:
    return NotFound(f"Ticket #{number} does not exist.")


def seen_ticket(principal: Principal, number: int) -> TicketItem:
    """Read the ticket after a failed condition; another organisation's is a 404."""
    ticket = load(number)[0]
    if ticket is None or not (principal.is_support or ticket.org == principal.org):
        raise not_found(number)
    return ticket


def get_ticket(principal: Principal, number: int) -> dict[str, Any]:
    ticket, messages, events, files = load_all(number)
    if ticket is None or not (principal.is_support or ticket.org == principal.org):
        raise not_found(number)
    return views.detail(ticket, messages, events, show_internal=principal.is_support, attachments=files)


def list_tickets(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    """One page, newest activity first; exactly one Query whatever the filters."""
    limit = query.get("limit", DEFAULT_PAGE)
    if "org" in query and not principal.is_support:
        raise Forbidden("Only support filters by organisation; you see your own organisation's tickets.")
    if "view" in query and principal.is_support:
        raise Forbidden("view is for customers (mine, following, org); support filters the queue by org.")
    org = query.get("org") if principal.is_support else principal.org
    scope = json.dumps(
        {"who": principal.user_id, **{k: v for k, v in query.items() if k not in ("cursor", "limit")}},
        sort_keys=True,
    )
    start = cursors.decode(query["cursor"], scope) if "cursor" in query else None

    conditions: list[Condition] = []
    view = query.get("view", "org")
    if view == "mine":
        conditions.append(TicketItem.created_by == principal.email)
    elif view == "following":
        conditions.append((TicketItem.created_by == principal.email) | TicketItem.followers.contains(principal.email))
    if "status" in query:
        conditions.append(TicketItem.status == query["status"])
    if "tag" in query:
        conditions.append(TicketItem.tags.contains(query["tag"]))
    if "priority" in query:
        conditions.append(TicketItem.priority == query["priority"])
    if "q" in query:
        conditions.append(TicketItem.title_search.contains(query["q"].lower()))
    condition = None
    for extra in conditions:
        condition = extra if condition is None else condition & extra

    index, partition = (PortalItem.by_org, org_activity_pk(org)) if org else (PortalItem.across_orgs, QUEUE_PK)
    # With filters, read further ahead so one request usually fills a page.
    evaluate = limit if condition is None else min(limit * 4, 200)
    results = index.query(
        partition,
        filter_condition=condition,
        scan_index_forward=False,
        last_evaluated_key=start,
        page_size=evaluate,
    )
    page = next(results.page_iter)
    raw_items = page.get("Items", [])
    # Both activity partitions hold only tickets; TicketItem checks the discriminator says so.
    tickets = [TicketItem.from_raw_data(raw) for raw in raw_items[:limit]]
    position: dict[str, Any] | None
    if len(raw_items) > limit:
        last = raw_items[limit - 1]
        position = {name: last[name] for name in results.page_iter.key_names}
    else:
        position = results.page_iter.last_evaluated_key
    return {
        "items": [views.summary(t) for t in tickets],
        "next_cursor": cursors.encode(position, scope) if position else None,
    }
