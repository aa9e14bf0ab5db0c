"""Ticket use cases: the rules, the status machine and the events. No HTTP, no boto3.

Every change is one DynamoDB transaction that writes the change and its event together
and carries the rule as a condition, so there is no read-then-write. Only when a
condition fails is the ticket read, to say which rule was broken.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from chalicelib import cursors, ticket_views
from chalicelib.auth import Principal
from chalicelib.config import settings
from chalicelib.errors import Conflict, Forbidden, Invalid, NotFound
from chalicelib.models import (
    ORG_SK,
    QUEUE_PK,
    TICKET_SK,
    CounterItem,
    EventItem,
    IdempotencyItem,
    MessageItem,
    OrganisationItem,
    PortalItem,
    TicketItem,
    activity_sk,
    org_activity_pk,
    org_pk,
    ticket_pk,
)
from chalicelib.storage import ConditionFailed, now, stamp, transact

IDEMPOTENCY_TTL = timedelta(days=1)
DEFAULT_PAGE = 25


def _role(principal: Principal) -> str:
    return "support" if principal.is_support else "customer"


def _visible(principal: Principal):
    """The condition that the ticket exists and the principal may see it."""
    exists = TicketItem.pk.exists()
    return exists if principal.is_support else exists & (TicketItem.org == principal.org)


def _event(number: int, kind: str, principal: Principal, at: str, **fields: Any) -> EventItem:
    return EventItem(
        ticket_pk(number),
        f"EVT#{at}#{uuid.uuid4().hex[:8]}",
        id=uuid.uuid4().hex,
        number=number,
        kind=kind,
        actor=principal.email,
        actor_role=_role(principal),
        at=at,
        **fields,
    )


def _activity_actions(number: int, at: str, principal: Principal) -> list:
    """What every visible change sets: who and when, and the list positions that follow."""
    return [
        TicketItem.updated_at.set(at),
        TicketItem.updated_by.set(principal.email),
        TicketItem.version.add(1),
        TicketItem.gsi1sk.set(activity_sk(at, number)),
        TicketItem.gsi2sk.set(activity_sk(at, number)),
    ]


# --- reading ---------------------------------------------------------------------------

def _load(number: int) -> tuple[TicketItem | None, list[MessageItem], list[EventItem]]:
    """The ticket with all its messages and events: one Query on the ticket's partition."""
    ticket, messages, events = None, [], []
    for item in PortalItem.query(ticket_pk(number)):
        if isinstance(item, TicketItem):
            ticket = item
        elif isinstance(item, MessageItem):
            messages.append(item)
        elif isinstance(item, EventItem):
            events.append(item)
    return ticket, messages, events


def _not_found(number: int) -> NotFound:
    return NotFound(f"Ticket #{number} does not exist.")


def _seen_ticket(principal: Principal, number: int) -> TicketItem:
    """Read the ticket after a failed condition; another organisation's is a 404."""
    ticket = _load(number)[0]
    if ticket is None or not (principal.is_support or ticket.org == principal.org):
        raise _not_found(number)
    return ticket


def get_ticket(principal: Principal, number: int) -> dict[str, Any]:
    ticket, messages, events = _load(number)
    if ticket is None or not (principal.is_support or ticket.org == principal.org):
        raise _not_found(number)
    return ticket_views.detail(ticket, messages, events, show_internal=principal.is_support)


def list_tickets(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    """One page, newest activity first; exactly one Query whatever the filters."""
    limit = query.get("limit", DEFAULT_PAGE)
    if "org" in query and not principal.is_support:
        raise Forbidden("Only support filters by organisation; you see your own organisation's tickets.")
    org = query.get("org") if principal.is_support else principal.org
    scope = json.dumps(
        {"who": principal.user_id, **{k: v for k, v in query.items() if k not in ("cursor", "limit")}},
        sort_keys=True,
    )
    start = cursors.decode(query["cursor"], scope) if "cursor" in query else None

    conditions = []
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

    index, partition = (
        (PortalItem.by_org, org_activity_pk(org)) if org else (PortalItem.across_orgs, QUEUE_PK)
    )
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
    tickets = [PortalItem.from_raw_data(raw) for raw in raw_items[:limit]]
    if len(raw_items) > limit:
        last = raw_items[limit - 1]
        position = {name: last[name] for name in results.page_iter.key_names}
    else:
        position = results.page_iter.last_evaluated_key
    return {
        "items": [ticket_views.summary(t) for t in tickets],
        "next_cursor": cursors.encode(position, scope) if position else None,
    }


# --- idempotency -----------------------------------------------------------------------

def _fingerprint(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def _idempotency_item(scope: str, key: str, result: str, fingerprint: str) -> IdempotencyItem:
    if not 1 <= len(key) <= 128 or not key.isprintable():
        raise Invalid("Idempotency-Key must be 1 to 128 printable characters.")
    expires = datetime.now(timezone.utc) + IDEMPOTENCY_TTL
    return IdempotencyItem(
        f"IDEMPOTENCY#{scope}#{key}", "#RESULT", result=f"{fingerprint}:{result}", expires=expires
    )


def _earlier_result(idempotency: IdempotencyItem | None, failure: ConditionFailed, fingerprint: str) -> str | None:
    """When this call is a retry (its idempotency record exists), what the first call made."""
    if idempotency is None or not failure.hit(idempotency.pk):
        return None
    record = IdempotencyItem.get(idempotency.pk, idempotency.sk)
    stored_fingerprint, _, result = record.result.partition(":")
    if stored_fingerprint != fingerprint:
        raise Conflict("This Idempotency-Key was already used for a different request; use a new key.")
    return result


# --- changes ---------------------------------------------------------------------------

def create_ticket(principal: Principal, data: dict[str, Any], idempotency_key: str | None = None) -> dict[str, Any]:
    if principal.is_support:
        if "org" not in data or "requester" not in data:
            raise Invalid("Support raises a ticket on a customer's behalf: org and requester are required.")
        org, requester, requester_id = data["org"], data["requester"], ""
    else:
        for field in ("requester", "priority"):
            if field in data:
                raise Forbidden(f"Only support sets {field}; leave it out.")
        if data.get("org", principal.org) != principal.org:
            raise Invalid("org: customers raise tickets for their own organisation; leave it out.")
        org, requester, requester_id = principal.org, principal.email, principal.user_id

    fingerprint = _fingerprint(data)
    idempotency = None
    if idempotency_key is not None:  # checked before a ticket number is spent on bad input
        idempotency = _idempotency_item(f"{principal.user_id}#tickets", idempotency_key, "", fingerprint)

    counter = CounterItem("COUNTER", "TICKET")
    counter.update(actions=[CounterItem.value.add(1)])
    number = int(counter.value)

    at = now()
    ticket = TicketItem(
        ticket_pk(number),
        TICKET_SK,
        number=number,
        org=org,
        title=data["title"],
        title_search=data["title"].lower(),
        description=data["description"],
        tags=data["tags"],
        status="open",
        priority=data.get("priority", "normal"),
        created_at=at,
        created_by=requester,
        created_by_id=requester_id,
        updated_at=at,
        updated_by=principal.email,
        version=1,
        message_count=0,
        gsi1pk=org_activity_pk(org),
        gsi1sk=activity_sk(at, number),
        gsi2pk=QUEUE_PK,
        gsi2sk=activity_sk(at, number),
    )
    event = _event(number, "created", principal, at)

    def build(tx):
        tx.condition_check(OrganisationItem, org_pk(org), ORG_SK, condition=OrganisationItem.pk.exists())
        tx.save(ticket, condition=TicketItem.pk.does_not_exist())
        tx.save(event)
        if idempotency is not None:
            tx.save(idempotency, condition=IdempotencyItem.pk.does_not_exist())

    if idempotency is not None:
        idempotency.result = f"{fingerprint}:{number}"
    try:
        transact(build)
    except ConditionFailed as failure:
        first = _earlier_result(idempotency, failure, fingerprint)
        if first is not None:
            return get_ticket(principal, int(first))
        if failure.hit(org_pk(org)):
            raise Invalid(f"org: there is no organisation '{org}'.") from None
        raise
    return ticket_views.detail(ticket, [], [event], show_internal=principal.is_support)


def update_ticket(principal: Principal, number: int, data: dict[str, Any]) -> dict[str, Any]:
    version = data["version"]
    changes = {k: v for k, v in data.items() if k != "version"}
    if not principal.is_support:
        for field in ("status", "priority"):
            if field in changes:
                raise Forbidden(
                    "Customers cannot set the status; use close or re-open."
                    if field == "status" else "Only support sets the priority."
                )
    at = now()
    actions = _activity_actions(number, at, principal)
    for field, value in changes.items():
        actions.append(getattr(TicketItem, field).set(value))
    if "title" in changes:
        actions.append(TicketItem.title_search.set(changes["title"].lower()))
    if changes.get("status") == "closed":
        actions.append(TicketItem.closed_at.set(at))
    elif "status" in changes:
        actions.append(TicketItem.closed_at.remove())

    condition = _visible(principal) & (TicketItem.version == version)
    if not principal.is_support:
        condition &= TicketItem.status != "closed"
    ticket_key = TicketItem(ticket_pk(number), TICKET_SK)
    event = _event(number, "updated", principal, at, changes={k: {"to": v} for k, v in changes.items()})

    def build(tx):
        tx.update(ticket_key, actions=actions, condition=condition)
        tx.save(event)

    try:
        transact(build)
    except ConditionFailed:
        ticket = _seen_ticket(principal, number)
        if ticket.version != version:
            raise Conflict(
                f"Someone else changed ticket #{number} since you read it (you sent version {version}, "
                f"it is now {ticket.version}); reload it and apply your change again."
            ) from None
        raise Conflict(f"Ticket #{number} is closed; re-open it before editing.") from None
    return {"number": number, "version": version + 1, "updated_at": at,
            "updated_by": principal.email, **changes}


def add_message(principal: Principal, number: int, data: dict[str, Any],
                idempotency_key: str | None = None) -> dict[str, Any]:
    internal = data.get("internal", False)
    if internal and not principal.is_support:
        raise Forbidden("Only support writes internal notes.")
    at = now()
    message_id = uuid.uuid4().hex
    message = MessageItem(
        ticket_pk(number),
        f"MSG#{at}#{message_id[:8]}",
        id=message_id,
        number=number,
        body=data["body"],
        internal=internal,
        author=principal.email,
        author_role=_role(principal),
        created_at=at,
    )
    kind = "noted" if internal else "responded"
    event = _event(number, kind, principal, at, message_id=message_id, body=data["body"], internal=internal)
    fingerprint = _fingerprint({"number": number, **data})
    idempotency = None
    if idempotency_key is not None:
        idempotency = _idempotency_item(f"{principal.user_id}#messages", idempotency_key, message.sk, fingerprint)
    ticket_key = TicketItem(ticket_pk(number), TICKET_SK)
    new_status = "pending" if principal.is_support else "open"

    def build(tx):
        if internal:
            # A note changes nothing a customer can see: not the version, not the activity order.
            tx.condition_check(TicketItem, ticket_pk(number), TICKET_SK, condition=_visible(principal))
        else:
            actions = _activity_actions(number, at, principal) + [
                TicketItem.status.set(new_status),
                TicketItem.message_count.add(1),
            ]
            tx.update(ticket_key, actions=actions,
                      condition=_visible(principal) & TicketItem.status.is_in("open", "pending"))
        tx.save(message)
        tx.save(event)
        if idempotency is not None:
            tx.save(idempotency, condition=IdempotencyItem.pk.does_not_exist())

    try:
        transact(build)
    except ConditionFailed as failure:
        first_sk = _earlier_result(idempotency, failure, fingerprint)
        if first_sk is not None:
            return {"message": ticket_views.message(MessageItem.get(ticket_pk(number), first_sk)),
                    "ticket": {"number": number}}
        ticket = _seen_ticket(principal, number)
        raise Conflict(f"Ticket #{number} is {ticket.status}; re-open it before responding.") from None
    ticket_state = {"number": number}
    if not internal:
        ticket_state.update(status=new_status, updated_at=at, updated_by=principal.email)
    return {"message": ticket_views.message(message), "ticket": ticket_state}


def close_ticket(principal: Principal, number: int) -> dict[str, Any]:
    at = now()
    actions = _activity_actions(number, at, principal) + [
        TicketItem.status.set("closed"),
        TicketItem.closed_at.set(at),
    ]
    condition = _visible(principal) & (TicketItem.status != "closed")
    return _transition(principal, number, at, "closed", actions, condition,
                       lambda ticket: Conflict(f"Ticket #{number} is already closed."))


def reopen_ticket(principal: Principal, number: int) -> dict[str, Any]:
    at = now()
    window = settings().reopen_window_days
    earliest = stamp(datetime.now(timezone.utc) - timedelta(days=window))
    actions = _activity_actions(number, at, principal) + [
        TicketItem.status.set("open"),
        TicketItem.closed_at.remove(),
    ]
    condition = _visible(principal) & (TicketItem.status == "closed") & (TicketItem.closed_at >= earliest)

    def refusal(ticket: TicketItem) -> Conflict:
        if ticket.status != "closed":
            return Conflict(f"Ticket #{number} is {ticket.status}, not closed; there is nothing to re-open.")
        return Conflict(
            f"Ticket #{number} was closed more than {window} days ago and can no longer be re-opened; "
            f"raise a follow-up ticket that mentions #{number}."
        )

    return _transition(principal, number, at, "reopened", actions, condition, refusal)


def _transition(principal, number, at, kind, actions, condition, refusal) -> dict[str, Any]:
    event = _event(number, kind, principal, at)
    ticket_key = TicketItem(ticket_pk(number), TICKET_SK)

    def build(tx):
        tx.update(ticket_key, actions=actions, condition=condition)
        tx.save(event)

    try:
        transact(build)
    except ConditionFailed:
        raise refusal(_seen_ticket(principal, number)) from None
    status = "closed" if kind == "closed" else "open"
    return {"number": number, "status": status, "updated_at": at, "updated_by": principal.email}
