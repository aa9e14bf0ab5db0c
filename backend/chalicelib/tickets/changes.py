"""Changing tickets: create, update, respond, close, re-open. No HTTP, no boto3.

Every change is one DynamoDB transaction that writes the change and its event together
and carries the rule as a condition, so there is no read-then-write. Only when a
condition fails is the ticket read, to say which rule was broken.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from chalicelib.attachments import uploads as attached  # attachments (issue 11)
from chalicelib.attachments.views import attachment as attachment_view
from chalicelib.core.clock import now, stamp, utcnow
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, Forbidden, Invalid, NotFound
from chalicelib.core.storage import ConditionFailed, transact
from chalicelib.identity.auth import Principal
from chalicelib.identity.models import ORG_SK, OrganisationItem, UserItem, member_key, org_pk
from chalicelib.tickets import idempotency, views
from chalicelib.tickets.models import (
    QUEUE_PK,
    TICKET_SK,
    CounterItem,
    EventItem,
    IdempotencyItem,
    MessageItem,
    TicketItem,
    activity_sk,
    org_activity_pk,
    ticket_pk,
)
from chalicelib.tickets.reading import get_ticket, seen_ticket


def _role(principal: Principal) -> str:
    return "support" if principal.is_support else "customer"


def visible(principal: Principal):
    """The condition that the ticket exists and the principal may see it."""
    exists = TicketItem.pk.exists()
    return exists if principal.is_support else exists & (TicketItem.org == principal.org)


def event_of(number: int, kind: str, principal: Principal, at: str, **fields: Any) -> EventItem:
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


def _change(number: int, actions: list, condition: Any, event: EventItem) -> None:
    """One change of the ticket and its event in one transaction; ``condition`` carries the rule."""
    ticket_key = TicketItem(ticket_pk(number), TICKET_SK)

    def build(tx: Any) -> None:
        tx.update(ticket_key, actions=actions, condition=condition)
        tx.save(event)

    transact(build)


def create_ticket(principal: Principal, data: dict[str, Any], idempotency_key: str | None = None) -> dict[str, Any]:
    if principal.is_support:
        if "org" not in data or "requester" not in data:
            raise Forbidden("Support raises a ticket on a customer's behalf: org and requester are required.")
        org, requester, requester_id = data["org"], data["requester"].lower(), ""
    else:
        for field in ("requester", "priority"):
            if field in data:
                raise Forbidden(f"Only support sets {field}; leave it out.")
        if data.get("org", principal.org) != principal.org:
            raise Forbidden("org: customers raise tickets for their own organisation; leave it out.")
        org, requester, requester_id = principal.org, principal.email, principal.user_id

    fingerprint = idempotency.fingerprint(data)
    retry_record = None
    if idempotency_key is not None:  # checked before a ticket number is spent on bad input
        retry_record = idempotency.record(f"{principal.user_id}#tickets", idempotency_key, "", fingerprint)
    uploads = attached.uploaded(principal, data.get("attachments", []))  # attachments: checked before a number is spent

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
    files = attached.keep(principal, uploads, number, at)  # attachments
    event = event_of(number, "created", principal, at, attachments=attached.summary(uploads) or None)

    def build(tx):
        tx.condition_check(OrganisationItem, org_pk(org), ORG_SK, condition=OrganisationItem.pk.exists())
        if principal.is_support:  # a customer's own membership is what their token says
            tx.condition_check(UserItem, *member_key(org, requester), condition=UserItem.pk.exists())
        tx.save(ticket, condition=TicketItem.pk.does_not_exist())
        tx.save(event)
        for item in files:  # attachments
            tx.save(item)
        if retry_record is not None:
            tx.save(retry_record, condition=IdempotencyItem.pk.does_not_exist())

    if retry_record is not None:
        retry_record.result = f"{fingerprint}:{number}"
    try:
        transact(build)
    except ConditionFailed as failure:
        first = idempotency.earlier_result(retry_record, failure, fingerprint)
        if first is not None:
            return get_ticket(principal, int(first))
        if failure.hit(org_pk(org), ORG_SK):
            raise NotFound(f"org: there is no organisation '{org}'.") from None
        if failure.hit(*member_key(org, requester)):
            raise Invalid(  # PRODUCT.md §3: a 400 naming the field
                f"requester: {requester} is not a user of organisation '{org}'; "
                f"raise the ticket for one of its users (GET /orgs/{org}/users lists them)."
            ) from None
        raise
    return views.detail(ticket, [], [event], show_internal=principal.is_support, attachments=files)


def update_ticket(principal: Principal, number: int, data: dict[str, Any]) -> dict[str, Any]:
    version = data["version"]
    changes = {k: v for k, v in data.items() if k != "version"}
    if not principal.is_support:
        for field in ("status", "priority"):
            if field in changes:
                raise Forbidden(
                    "Customers cannot set the status; use close or re-open."
                    if field == "status"
                    else "Only support sets the priority."
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

    condition = visible(principal) & (TicketItem.version == version)
    if not principal.is_support:
        condition &= TicketItem.status != "closed"
    event = event_of(number, "updated", principal, at, changes={k: {"to": v} for k, v in changes.items()})
    try:
        _change(number, actions, condition, event)
    except ConditionFailed:
        ticket = seen_ticket(principal, number)
        if ticket.version != version:
            raise Conflict(
                f"Someone else changed ticket #{number} since you read it (you sent version {version}, "
                f"it is now {ticket.version}); reload it and apply your change again."
            ) from None
        raise Conflict(f"Ticket #{number} is closed; re-open it before editing.") from None
    return {"number": number, "version": version + 1, "updated_at": at, "updated_by": principal.email, **changes}


def add_message(
    principal: Principal, number: int, data: dict[str, Any], idempotency_key: str | None = None
) -> dict[str, Any]:
    internal = data.get("internal", False)
    if internal and not principal.is_support:
        raise Forbidden("Only support writes internal notes.")
    uploads = attached.uploaded(principal, data.get("attachments", []))  # attachments (issue 11)
    at = now()
    message_id = uuid.uuid4().hex
    files = attached.keep(principal, uploads, number, at, message_id=message_id, internal=internal)
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
    event = event_of(
        number,
        kind,
        principal,
        at,
        message_id=message_id,
        body=data["body"],
        internal=internal,
        attachments=attached.summary(uploads) or None,  # attachments
    )
    fingerprint = idempotency.fingerprint({"number": number, **data})
    retry_record = None
    if idempotency_key is not None:
        retry_record = idempotency.record(f"{principal.user_id}#messages", idempotency_key, message.sk, fingerprint)
    ticket_key = TicketItem(ticket_pk(number), TICKET_SK)
    new_status = "pending" if principal.is_support else "open"

    def build(tx):
        if internal:
            # A note changes nothing a customer can see: not the version, not the activity order.
            tx.condition_check(TicketItem, ticket_pk(number), TICKET_SK, condition=visible(principal))
        else:
            actions = _activity_actions(number, at, principal) + [
                TicketItem.status.set(new_status),
                TicketItem.message_count.add(1),
            ]
            tx.update(
                ticket_key, actions=actions, condition=visible(principal) & TicketItem.status.is_in("open", "pending")
            )
        tx.save(message)
        tx.save(event)
        for item in files:  # attachments
            tx.save(item)
        if retry_record is not None:
            tx.save(retry_record, condition=IdempotencyItem.pk.does_not_exist())

    try:
        transact(build)
    except ConditionFailed as failure:
        first_sk = idempotency.earlier_result(retry_record, failure, fingerprint)
        if first_sk is not None:
            return {
                "message": views.message(MessageItem.get(ticket_pk(number), first_sk)),
                "ticket": {"number": number},
            }
        ticket = seen_ticket(principal, number)
        raise Conflict(f"Ticket #{number} is {ticket.status}; re-open it before responding.") from None
    ticket_state: dict[str, Any] = {"number": number}
    if not internal:
        ticket_state.update(status=new_status, updated_at=at, updated_by=principal.email)
    return {"message": views.message(message, [attachment_view(f) for f in files]), "ticket": ticket_state}


def close_ticket(principal: Principal, number: int) -> dict[str, Any]:
    at = now()
    actions = _activity_actions(number, at, principal) + [
        TicketItem.status.set("closed"),
        TicketItem.closed_at.set(at),
    ]
    condition = visible(principal) & (TicketItem.status != "closed")
    return _transition(
        principal,
        number,
        at,
        "closed",
        actions,
        condition,
        lambda ticket: Conflict(f"Ticket #{number} is already closed."),
    )


def reopen_ticket(principal: Principal, number: int) -> dict[str, Any]:
    at = now()
    window = settings().reopen_window_days
    earliest = stamp(utcnow() - timedelta(days=window))
    actions = _activity_actions(number, at, principal) + [
        TicketItem.status.set("open"),
        TicketItem.closed_at.remove(),
    ]
    condition = visible(principal) & (TicketItem.status == "closed") & (TicketItem.closed_at >= earliest)

    def refusal(ticket: TicketItem) -> Conflict:
        if ticket.status != "closed":
            return Conflict(f"Ticket #{number} is {ticket.status}, not closed; there is nothing to re-open.")
        return Conflict(
            f"Ticket #{number} was closed more than {window} days ago and can no longer be re-opened; "
            f"raise a follow-up ticket that mentions #{number}."
        )

    return _transition(principal, number, at, "reopened", actions, condition, refusal)


def _transition(principal, number, at, kind, actions, condition, refusal) -> dict[str, Any]:
    event = event_of(number, kind, principal, at)
    try:
        _change(number, actions, condition, event)
    except ConditionFailed:
        raise refusal(seen_ticket(principal, number)) from None
    status = "closed" if kind == "closed" else "open"
    return {"number": number, "status": status, "updated_at": at, "updated_by": principal.email}
