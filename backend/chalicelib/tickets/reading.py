"""Reading tickets: a ticket's detail (one Query on its partition) and a page of a list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pynamodb.expressions.condition import Condition

from chalicelib.attachments.models import AttachmentItem
from chalicelib.core import cursors
from chalicelib.core.errors import Forbidden, Invalid, NotFound
from chalicelib.core.table import PortalItem
from chalicelib.identity.auth import Principal
from chalicelib.tickets import last_seen, queue, views
from chalicelib.tickets.models import CounterItem, EventItem, MessageItem, TicketItem, ticket_pk

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
            last_seen.remember(item)  # where this process's next change of it starts
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
    rater = principal.is_support or ticket.created_by.lower() == principal.email.lower()  # CSAT
    return views.detail(
        ticket, messages, events, show_internal=principal.is_support, attachments=files, show_rating=rater
    )


# A filtered list (tag, priority, text, a customer's mine/following, an organisation in an
# agent's view) reads on through its index until it has a page: at most this many Queries of at
# most this many items each, then it answers what it found with a cursor to go on from there.
FILTER_QUERIES = 8
FILTER_READ = 500


@dataclass(frozen=True)
class _Source:
    """The index and partition a list reads, newest first (or soonest due), and what is left to filter."""

    index: Any
    partition: str
    condition: Condition | None
    forward: bool = False


def _source(principal: Principal, query: dict[str, Any]) -> _Source:
    status = query.get("status")
    conditions: list[Condition] = []
    if principal.is_support:
        view, org = query.get("view", "all"), query.get("org")
        if query.get("sort") == "due":
            if status not in (None, "open"):
                raise Invalid("sort=due lists the tickets awaiting support's response (open); leave status out.")
            if view != "all":
                conditions.append(_assigned(view, principal))
            if org:
                conditions.append(TicketItem.org == org)
            source = _Source(PortalItem.response_due, queue.DUE_PK, None, forward=True)
        elif view in ("mine", "unassigned"):
            assignee = principal.email if view == "mine" else None
            if org:
                conditions.append(TicketItem.org == org)
            source = (
                _Source(PortalItem.status_by_assignee, queue.assignee_status_pk(assignee, status), None)
                if status
                else _Source(PortalItem.by_assignee, queue.assignee_pk(assignee), None)
            )
        elif org:
            source = _org_source(org, status)
        else:
            source = (
                _Source(PortalItem.status_across_orgs, queue.status_pk(status), None)
                if status
                else _Source(PortalItem.across_orgs, queue.QUEUE_PK, None)
            )
    else:
        if "org" in query:
            raise Forbidden("Only support filters by organisation; you see your own organisation's tickets.")
        if "sort" in query:
            raise Forbidden("sort=due is for support (the tickets awaiting its response).")
        view = query.get("view", "org")
        if view in ("unassigned", "all"):
            raise Forbidden(f"view={view} is for support; customers list by mine, following or org.")
        if view == "mine":
            conditions.append(TicketItem.created_by == principal.email)
        elif view == "following":
            conditions.append(
                (TicketItem.created_by == principal.email) | TicketItem.followers.contains(principal.email)
            )
        source = _org_source(principal.org, status)
    if view == "following" and principal.is_support:
        raise Forbidden("view=following is for customers; support lists by mine, unassigned or all.")
    if "tag" in query:
        conditions.append(TicketItem.tags.contains(query["tag"]))
    if "priority" in query:
        conditions.append(TicketItem.priority == query["priority"])
    if "q" in query:
        conditions.append(TicketItem.search_text.contains(query["q"].lower()))
    condition = None
    for extra in conditions:
        condition = extra if condition is None else condition & extra
    return _Source(source.index, source.partition, condition, source.forward)


def _assigned(view: str, principal: Principal) -> Condition:
    if view == "mine":
        return TicketItem.assignee == principal.email
    return TicketItem.assignee.does_not_exist()


def _org_source(org: str, status: str | None) -> _Source:
    if status:
        return _Source(PortalItem.status_by_org, queue.org_status_pk(org, status), None)
    return _Source(PortalItem.by_org, queue.org_pk(org), None)


def list_tickets(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    """One page, newest activity first (``sort=due``: soonest due first).

    A view (status, mine, unassigned, an organisation) is its own index partition: one Query
    reading at most ``limit + 1`` items. Filters left over read on, a bounded number of Queries,
    until the page is full, so a page is never empty while matches remain within that bound.
    """
    limit = query.get("limit", DEFAULT_PAGE)
    source = _source(principal, query)
    scope = json.dumps(
        {"who": principal.user_id, **{k: v for k, v in query.items() if k not in ("cursor", "limit")}},
        sort_keys=True,
    )
    start = cursors.decode(query["cursor"], scope) if "cursor" in query else None

    found: list[dict[str, Any]] = []
    key_names: tuple[str, ...] = ()
    position: dict[str, Any] | None = start
    queries = 0
    while True:
        results = source.index.query(
            source.partition,
            filter_condition=source.condition,
            scan_index_forward=source.forward,
            last_evaluated_key=position,
            page_size=limit + 1 - len(found) if source.condition is None else FILTER_READ,
        )
        page = next(results.page_iter)
        queries += 1
        key_names = tuple(results.page_iter.key_names)
        found += page.get("Items", [])
        position = results.page_iter.last_evaluated_key
        if len(found) > limit or position is None or source.condition is None or queries >= FILTER_QUERIES:
            break
    if len(found) > limit:
        last = found[limit - 1]
        position = {name: last[name] for name in key_names}
    # Every partition these indexes hold is tickets only; TicketItem checks the discriminator says so.
    tickets = [TicketItem.from_raw_data(raw) for raw in found[:limit]]
    return {
        "items": [views.summary(t) for t in tickets],
        "next_cursor": cursors.encode(position, scope) if position else None,
    }


def counts(principal: Principal) -> dict[str, int]:
    """The support queue's counters (kept by every change's transaction): one BatchGetItem."""
    if not principal.is_support:
        raise Forbidden("The queue's counts are for support.")
    names = {
        "unassigned": queue.counter_sk("unassigned"),
        "mine": queue.counter_sk("mine", principal.email),
        "open": queue.counter_sk("open"),
        "pending": queue.counter_sk("pending"),
        "breached": queue.counter_sk("breached"),
    }
    values = {
        item.sk: int(item.value or 0)
        for item in CounterItem.batch_get([(queue.COUNTER_PK, sk) for sk in names.values()])
    }
    return {name: max(0, values.get(sk, 0)) for name, sk in names.items()}
