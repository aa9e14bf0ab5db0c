"""Ticket routes (PRODUCT.md §6): read the request, call a use case, return a dict."""

from __future__ import annotations

from urllib.parse import unquote

from chalice import Blueprint

from chalicelib.core.http import answers_errors, created, idempotency_key, json_body, principal
from chalicelib.core.operations import Link, Operation
from chalicelib.core.validation import path_number, query_params, validate
from chalicelib.identity.schemas import EMAIL
from chalicelib.tickets import changes, followers, reading
from chalicelib.tickets.schemas import (
    COUNTS,
    FOLLOWER_ADD,
    FOLLOWERS,
    MESSAGE_ADDED,
    MESSAGE_CREATE,
    RATED,
    RATING_CREATE,
    TICKET_CREATE,
    TICKET_DETAIL,
    TICKET_LIST_QUERY,
    TICKET_MOVED,
    TICKET_PAGE,
    TICKET_UPDATE,
    TICKET_UPDATED,
)

bp = Blueprint(__name__)

_ERRORS = (400, 401, 403, 404, 409)


def _next_steps(number: str, version: str | None = None) -> tuple[Link, ...]:
    """Where an answer that names a ticket leads: read it, change it (with the version it holds,
    when it holds one), respond, close, re-open."""
    at = {"number": number}
    steps = [
        Link("ReadTicket", "get", "/tickets/{number}", at),
        Link("Respond", "post", "/tickets/{number}/messages", at),
        Link("Close", "post", "/tickets/{number}/close", at),
        Link("Reopen", "post", "/tickets/{number}/reopen", at),
    ]
    if version is not None:
        steps.append(Link("Update", "patch", "/tickets/{number}", at, body={"version": version}))
    return tuple(steps)


_FROM_TICKET = _next_steps("$response.body#/number", "$response.body#/version")
# A made-up ticket number is a 404 to everyone, so that status is part of every ticket route's answer.
_BY_NUMBER = {
    400: "Bad input; the message names the field (a number is digits only, 1 to 999999999).",
    404: "No such ticket, or another organisation's.",
}
OPERATIONS = [
    Operation(
        "get",
        "/tickets",
        "List tickets, newest activity first",
        query=TICKET_LIST_QUERY,
        response=TICKET_PAGE,
        errors=(400, 401, 403),
        description="Customers see their organisation's tickets; support sees every organisation's. Status, "
        "view and sort=due are keyed (one read of a page); tag, priority and q read on until the page is full.",
        error_text={
            400: "Bad input; the message names the parameter. A cursor must be the next_cursor of this very "
            "list (same filters, same user): any other is refused. sort=due with a status other than open.",
            403: "Customers may not pass org or sort, nor support's views (unassigned, all); support may not "
            "pass view=following.",
        },
    ),
    Operation(
        "get",
        "/tickets/counts",
        "The support queue's counts: unassigned, mine, open, pending, breached",
        response=COUNTS,
        errors=(401, 403),
        description="From counters every change keeps in its own transaction, never by reading the queue.",
        error_text={403: "Counts are for support."},
    ),
    Operation(
        "post",
        "/tickets",
        "Raise a ticket",
        body=TICKET_CREATE,
        success=201,
        response=TICKET_DETAIL,
        errors=(400, 401, 403, 404, 409, 413),
        idempotent=True,
        description="Customers raise tickets of their own organisation: org left out (or their own), no "
        "requester, no priority. Support raises a ticket on a customer's behalf and must send org and "
        "requester. What depends on the caller's role answers 403, naming the field; an org that does not "
        "exist answers 404.",
        error_text={
            400: "Bad input; the message names the field. Also: the requester support named is not a user of "
            "that organisation (PRODUCT.md §3), or an attachment id is not uploaded by you (or expired).",
            403: "Your role may not send this: a customer sent requester, priority or another organisation, "
            "or support left out org or requester.",
            404: "The org named does not exist.",
            409: "The Idempotency-Key was used before with a different body.",
        },
        links=_FROM_TICKET,
    ),
    Operation(
        "get",
        "/tickets/{number}",
        "A ticket with its responses and history",
        response=TICKET_DETAIL,
        errors=(400, 401, 404),
        error_text=_BY_NUMBER,
        links=_FROM_TICKET,
    ),
    Operation(
        "patch",
        "/tickets/{number}",
        "Update a ticket",
        body=TICKET_UPDATE,
        response=TICKET_UPDATED,
        errors=_ERRORS + (413,),
        description="Customers change title, description and tags; support also status, priority and "
        "assignee (a support user, or null). Assigning mails the new assignee.",
        error_text={
            **_BY_NUMBER,
            400: "Bad input; the message names the field. Also: the assignee is not a support user.",
            403: "Customers may not set status, priority or assignee (they close and re-open).",
            409: "A stale version (someone changed the ticket since you read it), or a customer editing a "
            "closed ticket.",
        },
        links=_next_steps("$request.path.number", "$response.body#/version"),
    ),
    Operation(
        "post",
        "/tickets/{number}/messages",
        "Add a response (or, for support, an internal note)",
        body=MESSAGE_CREATE,
        success=201,
        response=MESSAGE_ADDED,
        errors=_ERRORS + (413,),
        idempotent=True,
        error_text={
            **_BY_NUMBER,
            400: _BY_NUMBER[400] + " Also: an attachment id is not uploaded by you (or expired).",
            403: "Customers may not write internal notes.",
            409: "The ticket is closed (re-open it first), or the Idempotency-Key was used with a different body.",
        },
        links=_next_steps("$response.body#/ticket/number"),
    ),
    Operation(
        "post",
        "/tickets/{number}/close",
        "Close a ticket",
        response=TICKET_MOVED,
        errors=_ERRORS,
        error_text={**_BY_NUMBER, 409: "The ticket is closed already."},
        links=_next_steps("$response.body#/number"),
    ),
    Operation(
        "post",
        "/tickets/{number}/reopen",
        "Re-open a closed ticket within the re-open window",
        response=TICKET_MOVED,
        errors=_ERRORS,
        error_text={
            **_BY_NUMBER,
            409: "The ticket is not closed, or was closed longer ago than the re-open window.",
        },
        links=_next_steps("$response.body#/number"),
    ),
    Operation(
        "post",
        "/tickets/{number}/rating",
        "Rate a closed ticket (CSAT): good or bad, with an optional comment",
        body=RATING_CREATE,
        response=RATED,
        errors=_ERRORS + (413,),
        description="The requester only, while the ticket is closed: one rating per close, changeable (send "
        "another) until the ticket is re-opened, which clears it. The close mail's good / bad links open "
        "the ticket page with ?rate=good|bad, which sends this.",
        error_text={
            **_BY_NUMBER,
            403: "You are not the ticket's requester (support and the requester's colleagues do not rate).",
            409: "The ticket is not closed.",
        },
        links=_next_steps("$response.body#/number"),
    ),
    Operation(
        "post",
        "/tickets/{number}/followers",
        "Follow a ticket: a user of its organisation gets its mail",
        body=FOLLOWER_ADD,
        response=FOLLOWERS,
        errors=(400, 401, 404, 413),
        description="Any customer of the ticket's organisation, or support. Answers the requester and the "
        "followers; adding someone who follows already changes nothing.",
        error_text={**_BY_NUMBER, 400: "Bad input, or the e-mail is not a user of the ticket's organisation."},
    ),
    Operation(
        "delete",
        "/tickets/{number}/followers/{email}",
        "Stop a user following a ticket",
        response=FOLLOWERS,
        errors=(400, 401, 404),
        description="Answers the requester and the followers; removing someone who does not follow changes nothing.",
        error_text={**_BY_NUMBER, 400: "Bad input, or the e-mail is the requester's, who always follows."},
    ),
]


@bp.route("/tickets", methods=["GET"])
@answers_errors
def list_tickets():
    request = bp.current_request
    caller = principal(request)
    return reading.list_tickets(caller, query_params(request.query_params, TICKET_LIST_QUERY))


@bp.route("/tickets/counts", methods=["GET"])
@answers_errors
def ticket_counts():
    return reading.counts(principal(bp.current_request))


@bp.route("/tickets", methods=["POST"])
@answers_errors
def create_ticket():
    request = bp.current_request
    caller = principal(request)
    return created(changes.create_ticket(caller, json_body(request, TICKET_CREATE), idempotency_key(request)))


@bp.route("/tickets/{number}", methods=["GET"])
@answers_errors
def get_ticket(number):
    caller = principal(bp.current_request)
    return reading.get_ticket(caller, path_number(number))


@bp.route("/tickets/{number}", methods=["PATCH"])
@answers_errors
def update_ticket(number):
    request = bp.current_request
    caller = principal(request)
    return changes.update_ticket(caller, path_number(number), json_body(request, TICKET_UPDATE))


@bp.route("/tickets/{number}/messages", methods=["POST"])
@answers_errors
def add_message(number):
    request = bp.current_request
    caller = principal(request)
    data = json_body(request, MESSAGE_CREATE)
    return created(changes.add_message(caller, path_number(number), data, idempotency_key(request)))


@bp.route("/tickets/{number}/close", methods=["POST"])
@answers_errors
def close_ticket(number):
    caller = principal(bp.current_request)
    return changes.close_ticket(caller, path_number(number))


@bp.route("/tickets/{number}/reopen", methods=["POST"])
@answers_errors
def reopen_ticket(number):
    caller = principal(bp.current_request)
    return changes.reopen_ticket(caller, path_number(number))


@bp.route("/tickets/{number}/rating", methods=["POST"])
@answers_errors
def rate_ticket(number):
    request = bp.current_request
    caller = principal(request)
    return changes.rate_ticket(caller, path_number(number), json_body(request, RATING_CREATE))


@bp.route("/tickets/{number}/followers", methods=["POST"])
@answers_errors
def add_follower(number):
    request = bp.current_request
    caller = principal(request)
    ticket = path_number(number)
    return followers.add_follower(caller, ticket, json_body(request, FOLLOWER_ADD)["email"])


@bp.route("/tickets/{number}/followers/{email}", methods=["DELETE"])
@answers_errors
def remove_follower(number, email):
    caller = principal(bp.current_request)
    ticket = path_number(number)
    return followers.remove_follower(caller, ticket, validate(unquote(email), EMAIL, "email"))
