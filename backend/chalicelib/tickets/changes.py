"""Changing tickets: create, update (assignment among it), respond, close, re-open. No HTTP, no boto3.

Every change is one DynamoDB transaction that writes the change, its event, the ticket's new
places in the views' indexes and the queue counters it moves (``tickets.queue``) together.
What a counter must do depends on where the ticket stood, so a change starts from the version
of the ticket this process saw last (``tickets.last_seen``: the detail read before it, or the
change before) and writes on condition that it is still that version: optimistic locking, never
an unconditional read-then-write. Should the ticket have moved on, the refused transaction
answers it as it is, and the change is decided again from there. Only a process that never saw
the ticket reads it first (one strongly consistent GetItem). New tickets and internal notes need
no read.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from chalicelib.attachments import uploads as attached  # attachments (issue 11)
from chalicelib.attachments.views import attachment as attachment_view
from chalicelib.core.clock import now, stamp, utcnow
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from chalicelib.core.storage import ConditionFailed, transact
from chalicelib.identity.auth import ADMIN, SUPPORT, Principal
from chalicelib.identity.models import ORG_SK, OrganisationItem, UserItem, member_key, org_pk
from chalicelib.tickets import idempotency, last_seen, queue, sla, views
from chalicelib.tickets.models import (
    TICKET_SK,
    CounterItem,
    EventItem,
    IdempotencyItem,
    MessageItem,
    TicketItem,
    searchable,
    ticket_pk,
)
from chalicelib.tickets.queue import Position
from chalicelib.tickets.reading import get_ticket, not_found

VENDOR_ORG = "vendor"  # support users are recorded as users of the vendor's organisation
# Changes of one ticket racing each other: one wins each round, the others read again, after a
# short random pause so they do not collide again at once.
_ATTEMPTS = 40


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


def _activity(at: str, principal: Principal) -> dict[str, Any]:
    """What every visible change sets: who and when (the views' sort keys follow from it)."""
    return {"updated_at": at, "updated_by": principal.email}


def _timer_fields(ticket: TicketItem, status: str, priority: str, at: str, *, answered: bool = False) -> dict:
    """The SLA timer once the ticket is in ``status`` at ``priority`` (``answered``: support
    responded publicly, which meets the running timer)."""
    running = None
    if not answered and ticket.sla_started_at and ticket.due_at and ticket.sla_kind:
        running = sla.Timer(ticket.sla_kind, ticket.sla_started_at, ticket.due_at)
    timer = sla.after(running, status, priority, at)
    fields: dict[str, Any] = {
        "sla_kind": timer.kind if timer else None,
        "sla_started_at": timer.started_at if timer else None,
        "due_at": timer.due_at if timer else None,
    }
    if timer is None or running is None or timer.started_at != running.started_at:
        fields["breached_at"] = None  # a new timer, or none: the breach (if any) is over
    elif timer.due_at != running.due_at and timer.due_at > at:
        fields["breached_at"] = None  # a priority change gave the same timer more time
    return fields


@dataclass
class _Plan:
    """One change as decided from the ticket read: the fields it sets (None removes one), its
    event, and what else the transaction checks (the new assignee is a support user)."""

    fields: dict[str, Any]
    event: EventItem
    checks: list[Callable[[Any], None]] = field(default_factory=list)
    extra: list[Callable[[Any], None]] = field(default_factory=list)


def _read(number: int) -> TicketItem | None:
    try:
        return TicketItem.get(ticket_pk(number), TICKET_SK, consistent_read=True)
    except TicketItem.DoesNotExist:
        return None


def _counter_updates(tx: Any, before: Position | None, after: Position | None) -> None:
    for sk, delta in queue.counter_deltas(before, after).items():
        tx.update(
            CounterItem(queue.COUNTER_PK, sk),
            actions=[CounterItem.item_type.set(CounterItem), CounterItem.value.add(delta)],
        )


def _commit(ticket: TicketItem, plan: _Plan) -> TicketItem:
    """The change, its event, its index keys and its counters in one transaction, on condition
    that the ticket is still as read (its version, and whether the breach check marked it).
    Answers the ticket as written; a failed condition hands back the ticket as it stood."""
    number = int(ticket.number)
    fields = plan.fields

    def value(name: str) -> Any:
        return fields[name] if name in fields else getattr(ticket, name)

    before = Position.of(ticket)
    after = Position(
        number=number,
        org=ticket.org,
        status=value("status"),
        assignee=value("assignee"),
        updated_at=value("updated_at"),
        due_at=value("due_at"),
        breached=value("breached_at") is not None,
    )
    written = {**fields, **queue.index_keys(after)}
    actions = [TicketItem.version.add(1)]
    for name, new in written.items():
        attribute = getattr(TicketItem, name)
        actions.append(attribute.remove() if new is None else attribute.set(new))
    condition = TicketItem.version == ticket.version
    if ticket.breached_at is None:
        condition &= TicketItem.breached_at.does_not_exist()
    else:
        condition &= TicketItem.breached_at == ticket.breached_at

    def build(tx: Any) -> None:
        for check in plan.checks:
            check(tx)
        tx.update(
            TicketItem(ticket_pk(number), TICKET_SK), actions=actions, condition=condition, return_values="ALL_OLD"
        )
        tx.save(plan.event)
        _counter_updates(tx, before, after)
        for write in plan.extra:
            write(tx)

    transact(build)
    result = TicketItem.from_raw_data(ticket.serialize())
    for name, new in written.items():
        setattr(result, name, new)
    result.version = int(ticket.version) + 1
    return result


def _run(principal: Principal, number: int, decide: Callable[[TicketItem], _Plan]) -> tuple[TicketItem, _Plan]:
    """Decide the change from the ticket as last seen (``decide`` raises when a rule refuses
    it) and write it on condition that the ticket is still that version: one transaction.
    Should the ticket have moved on (another change came first, or this process saw it long
    ago), the refused transaction hands it back as it is and the change is decided again from
    there; a process that never saw the ticket reads it first. A rule's refusal is only given
    on the ticket as it is, never on a remembered version. Other failed conditions propagate."""
    ticket, current = last_seen.recall(number), False
    key = (ticket_pk(number), TICKET_SK)
    for attempt in range(_ATTEMPTS):
        if attempt > 1:  # racing another change of the ticket: let it pass before trying again
            time.sleep(random.uniform(0, 0.004) * min(attempt, 10))
        if ticket is None:
            ticket, current = _read(number), True
        if ticket is None or not (principal.is_support or ticket.org == principal.org):
            raise not_found(number)
        try:
            plan = decide(ticket)
        except DomainError:
            if current:
                raise
            ticket = None  # refused on a remembered version: read the ticket before refusing
            continue
        try:
            written = _commit(ticket, plan)
        except ConditionFailed as failure:
            if failure.hit(*key) and len(failure.keys) == 1:
                raw = failure.items.get(key)
                ticket, current = (TicketItem.from_raw_data(raw) if raw else None), True
                continue
            raise
        last_seen.remember(written)
        return ticket, plan
    raise Conflict(f"Ticket #{number} kept changing while your change was written; reload it and try again.")


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
    priority = data.get("priority", "normal")
    timer = sla.timer(sla.FIRST, at, priority)
    ticket = TicketItem(
        ticket_pk(number),
        TICKET_SK,
        number=number,
        org=org,
        title=data["title"],
        search_text=searchable(data["title"], data["description"]),
        description=data["description"],
        tags=data["tags"],
        status="open",
        priority=priority,
        created_at=at,
        created_by=requester,
        created_by_id=requester_id,
        updated_at=at,
        updated_by=principal.email,
        version=1,
        message_count=0,
        sla_kind=timer.kind,
        sla_started_at=timer.started_at,
        due_at=timer.due_at,
    )
    position = Position.of(ticket)
    for name, key in queue.index_keys(position).items():
        setattr(ticket, name, key)
    files = attached.keep(principal, uploads, number, at)  # attachments
    event = event_of(number, "created", principal, at, attachments=attached.summary(uploads) or None)

    def build(tx):
        tx.condition_check(OrganisationItem, org_pk(org), ORG_SK, condition=OrganisationItem.pk.exists())
        if principal.is_support:  # a customer's own membership is what their token says
            tx.condition_check(UserItem, *member_key(org, requester), condition=UserItem.pk.exists())
        tx.save(ticket, condition=TicketItem.pk.does_not_exist())
        tx.save(event)
        _counter_updates(tx, None, position)
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
    last_seen.remember(ticket)
    return views.detail(ticket, [], [event], show_internal=principal.is_support, attachments=files)


def _support_user(email: str) -> Callable[[Any], None]:
    """The check that ``email`` is a support user: a user of the vendor's organisation with the
    support or admin role, as inviting one records it (identity.users.invite_user)."""
    role = UserItem.roles.contains(SUPPORT) | UserItem.roles.contains(ADMIN)

    def check(tx: Any) -> None:
        tx.condition_check(UserItem, *member_key(VENDOR_ORG, email), condition=UserItem.pk.exists() & role)

    return check


def update_ticket(principal: Principal, number: int, data: dict[str, Any]) -> dict[str, Any]:
    version = data["version"]
    changes = {k: v for k, v in data.items() if k != "version"}
    if not principal.is_support:
        for name in ("status", "priority", "assignee"):
            if name in changes:
                raise Forbidden(
                    "Customers cannot set the status; use close or re-open."
                    if name == "status"
                    else f"Only support sets the {name}."
                )
    if changes.get("assignee"):
        changes["assignee"] = changes["assignee"].lower()
    at = now()

    def decide(ticket: TicketItem) -> _Plan:
        if ticket.version != version:
            raise Conflict(
                f"Someone else changed ticket #{number} since you read it (you sent version {version}, "
                f"it is now {ticket.version}); reload it and apply your change again."
            )
        if not principal.is_support and ticket.status == "closed":
            raise Conflict(f"Ticket #{number} is closed; re-open it before editing.")
        fields: dict[str, Any] = {**_activity(at, principal), **changes}
        if "title" in changes or "description" in changes:
            fields["search_text"] = searchable(
                changes.get("title", ticket.title), changes.get("description", ticket.description)
            )
        status, priority = changes.get("status", ticket.status), changes.get("priority", ticket.priority)
        if changes.get("status") == "closed":
            fields["closed_at"] = at
        elif "status" in changes:
            fields["closed_at"] = None
            fields.update(_rating_cleared(ticket))  # CSAT: a re-open clears the rating
        if "status" in changes or "priority" in changes:
            fields.update(_timer_fields(ticket, status, priority, at))
        history = {k: {"to": v} for k, v in changes.items()}
        if "assignee" in changes:
            history["assignee"] = {"from": ticket.assignee, "to": changes["assignee"]}
        event = event_of(number, "updated", principal, at, changes=history)
        checks = [_support_user(changes["assignee"])] if changes.get("assignee") else []
        return _Plan(fields, event, checks)

    try:
        _run(principal, number, decide)
    except ConditionFailed as failure:
        assignee = changes.get("assignee")
        if assignee and failure.hit(*member_key(VENDOR_ORG, assignee)):
            raise Invalid(
                f"assignee: {assignee} is not a support user; assign the ticket to one of the support team "
                "(or null to unassign)."
            ) from None
        raise
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
    new_status = "pending" if principal.is_support else "open"

    def extra(tx: Any) -> None:
        tx.save(message)
        for item in files:  # attachments
            tx.save(item)
        if retry_record is not None:
            tx.save(retry_record, condition=IdempotencyItem.pk.does_not_exist())

    def earlier(first_sk: str) -> dict[str, Any]:
        return {"message": views.message(MessageItem.get(ticket_pk(number), first_sk)), "ticket": {"number": number}}

    if internal:
        # A note changes nothing a customer can see: not the version, not the activity order, not
        # the queue; so it needs no read: one transaction whose condition is that the ticket is there.
        def build(tx: Any) -> None:
            tx.condition_check(TicketItem, ticket_pk(number), TICKET_SK, condition=visible(principal))
            tx.save(event)
            extra(tx)

        try:
            transact(build)
        except ConditionFailed as failure:
            first_sk = idempotency.earlier_result(retry_record, failure, fingerprint)
            if first_sk is not None:
                return earlier(first_sk)
            raise not_found(number) from None
        return {"message": views.message(message, [attachment_view(f) for f in files]), "ticket": {"number": number}}

    def decide(ticket: TicketItem) -> _Plan:
        if ticket.status not in ("open", "pending"):
            raise Conflict(f"Ticket #{number} is {ticket.status}; re-open it before responding.")
        fields = {
            **_activity(at, principal),
            "status": new_status,
            "message_count": int(ticket.message_count or 0) + 1,
            **_timer_fields(ticket, new_status, ticket.priority, at, answered=principal.is_support),
            **_first_response(ticket, principal, at),  # reports
        }
        return _Plan(fields, event, extra=[extra])

    try:
        _run(principal, number, decide)
    except ConditionFailed as failure:
        first_sk = idempotency.earlier_result(retry_record, failure, fingerprint)
        if first_sk is not None:
            return earlier(first_sk)
        raise
    except Conflict:
        first_sk = idempotency.stored_result(retry_record, fingerprint)
        if first_sk is not None:  # the first call went through and the ticket has moved on since
            return earlier(first_sk)
        raise
    return {
        "message": views.message(message, [attachment_view(f) for f in files]),
        "ticket": {"number": number, "status": new_status, "updated_at": at, "updated_by": principal.email},
    }


def close_ticket(principal: Principal, number: int) -> dict[str, Any]:
    at = now()

    def decide(ticket: TicketItem) -> _Plan:
        if ticket.status == "closed":
            raise Conflict(f"Ticket #{number} is already closed.")
        fields = {
            **_activity(at, principal),
            "status": "closed",
            "closed_at": at,
            **_timer_fields(ticket, "closed", ticket.priority, at),
        }
        return _Plan(fields, event_of(number, "closed", principal, at))

    _run(principal, number, decide)
    return {"number": number, "status": "closed", "updated_at": at, "updated_by": principal.email}


def reopen_ticket(principal: Principal, number: int) -> dict[str, Any]:
    at = now()
    window = settings().reopen_window_days
    earliest = stamp(utcnow() - timedelta(days=window))

    def decide(ticket: TicketItem) -> _Plan:
        if ticket.status != "closed":
            raise Conflict(f"Ticket #{number} is {ticket.status}, not closed; there is nothing to re-open.")
        if (ticket.closed_at or "") < earliest:
            raise Conflict(
                f"Ticket #{number} was closed more than {window} days ago and can no longer be re-opened; "
                f"raise a follow-up ticket that mentions #{number}."
            )
        fields = {
            **_activity(at, principal),
            "status": "open",
            "closed_at": None,
            **_timer_fields(ticket, "open", ticket.priority, at),
            **_rating_cleared(ticket),  # CSAT: the next close asks again
        }
        return _Plan(fields, event_of(number, "reopened", principal, at))

    _run(principal, number, decide)
    return {"number": number, "status": "open", "updated_at": at, "updated_by": principal.email}


# --- first responses (the reports) and CSAT (PRODUCT.md §5) --------------------------------


def _first_response(ticket: TicketItem, principal: Principal, at: str) -> dict[str, Any]:
    """Support's first public response is stamped on the ticket, once: the stream handler's
    aggregates (``chalicelib.reports``) take the first-response time from it. Only while the first
    response is awaited (tickets stored before the stamp existed and were answered are not)."""
    if principal.is_support and ticket.first_response_at is None and ticket.sla_kind == sla.FIRST:
        return {"first_response_at": at}
    return {}


def _rating_cleared(ticket: TicketItem) -> dict[str, Any]:
    """A re-open clears the rating of the last close; the next close asks for a new one."""
    if ticket.rating_score is None:
        return {}
    return {"rating_score": None, "rating_comment": None, "rated_at": None}


def rate_ticket(principal: Principal, number: int, data: dict[str, Any]) -> dict[str, Any]:
    """The requester rates a closed ticket (CSAT): one rating per close, changeable until the
    ticket is re-opened; one transaction with its ``rated`` event. Sending the rating the ticket
    has already changes nothing (a second click on the mail's link)."""
    if principal.is_support:
        raise Forbidden("Only the ticket's requester rates it; support sees the rating on the ticket.")
    score, comment = data["score"], (data.get("comment") or "").strip() or None
    at = now()

    def decide(ticket: TicketItem) -> _Plan:
        if ticket.created_by.lower() != principal.email.lower():
            raise Forbidden(f"Only the ticket's requester ({ticket.created_by}) rates ticket #{number}.")
        if ticket.status != "closed":
            raise Conflict(f"Ticket #{number} is {ticket.status}; a rating is for a closed ticket.")
        if ticket.rating_score == score and ticket.rating_comment == comment:
            raise _Unchanged(ticket)
        history: dict[str, Any] = {"score": {"to": score}}
        if ticket.rating_score is not None:
            history["score"]["from"] = ticket.rating_score
        if comment is not None:
            history["comment"] = {"to": comment}
        fields = {"rating_score": score, "rating_comment": comment, "rated_at": at}
        return _Plan(fields, event_of(number, "rated", principal, at, changes=history))

    try:
        _run(principal, number, decide)
    except _Unchanged as unchanged:
        return {"number": number, "rating": views.rating(unchanged.ticket)}
    return {"number": number, "rating": {"score": score, "comment": comment, "at": at}}


class _Unchanged(DomainError):
    """The rating sent is the rating the ticket has: nothing to write. A DomainError, so that
    ``_run`` says so only of the ticket as it is (a remembered version is read again first)."""

    def __init__(self, ticket: TicketItem) -> None:
        super().__init__("unchanged")
        self.ticket = ticket
