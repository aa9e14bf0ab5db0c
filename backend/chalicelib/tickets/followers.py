"""Followers (PRODUCT.md §3.1): users of the ticket's organisation who get its mail.

The requester always follows and is not stored among ``followers``. Following changes who is
mailed, not the ticket: no new version, no move in the lists, but a history line (an event the
stream ignores). Each change is one transaction whose conditions carry the rules: the ticket
is visible to the caller, and the follower is a user of the ticket's organisation. The
organisation is only known from the ticket, so the ticket is read first (one GetItem).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core.clock import now
from chalicelib.core.errors import Invalid
from chalicelib.core.storage import ConditionFailed, transact
from chalicelib.identity.auth import Principal
from chalicelib.identity.models import UserItem, member_key
from chalicelib.tickets import views
from chalicelib.tickets.changes import event_of, visible
from chalicelib.tickets.models import TICKET_SK, TicketItem, ticket_pk
from chalicelib.tickets.reading import not_found


def _ticket(principal: Principal, number: int) -> TicketItem:
    try:
        ticket = TicketItem.get(ticket_pk(number), TICKET_SK)
    except TicketItem.DoesNotExist:
        raise not_found(number) from None
    if not (principal.is_support or ticket.org == principal.org):
        raise not_found(number)
    return ticket


def add_follower(principal: Principal, number: int, email: str) -> dict[str, Any]:
    email = email.lower()
    ticket = _ticket(principal, number)
    if email == ticket.created_by.lower() or email in (ticket.followers or set()):
        return _answer(ticket)  # following already: nothing to change
    at = now()
    event = event_of(number, "follower_added", principal, at, changes={"follower": {"to": email}})

    def build(tx: Any) -> None:
        tx.condition_check(UserItem, *member_key(ticket.org, email), condition=UserItem.pk.exists())
        tx.update(
            TicketItem(ticket_pk(number), TICKET_SK),
            actions=[TicketItem.followers.add({email})],
            condition=visible(principal),
        )
        tx.save(event)

    try:
        transact(build)
    except ConditionFailed as failure:
        if failure.hit(*member_key(ticket.org, email)):
            raise Invalid(
                f"email: {email} is not a user of organisation '{ticket.org}'; only its users can follow "
                f"ticket #{number}."
            ) from None
        raise not_found(number) from None
    return _answer(ticket, added=email)


def remove_follower(principal: Principal, number: int, email: str) -> dict[str, Any]:
    email = email.lower()
    ticket = _ticket(principal, number)
    if email == ticket.created_by.lower():
        raise Invalid(f"email: {email} raised ticket #{number} and always follows it.")
    if email not in (ticket.followers or set()):
        return _answer(ticket)  # not following: already as asked
    at = now()
    event = event_of(number, "follower_removed", principal, at, changes={"follower": {"from": email}})

    def build(tx: Any) -> None:
        tx.update(
            TicketItem(ticket_pk(number), TICKET_SK),
            actions=[TicketItem.followers.delete({email})],
            condition=visible(principal),
        )
        tx.save(event)

    try:
        transact(build)
    except ConditionFailed:
        raise not_found(number) from None
    return _answer(ticket, removed=email)


def _answer(ticket: TicketItem, *, added: str | None = None, removed: str | None = None) -> dict[str, Any]:
    followers = set(ticket.followers or set())
    if added:
        followers.add(added)
    if removed:
        followers.discard(removed)
    ticket.followers = followers or None
    return {"number": int(ticket.number), "requester": ticket.created_by, "followers": views.followers(ticket)}
