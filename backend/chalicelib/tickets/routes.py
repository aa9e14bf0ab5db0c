"""Ticket routes (PRODUCT.md §6): read the request, call a use case, return a dict."""

from __future__ import annotations

from urllib.parse import unquote

from chalice import Blueprint

from chalicelib.core.http import answers_errors, created, idempotency_key, json_body, principal
from chalicelib.core.operations import Operation
from chalicelib.core.validation import path_number, query_params, validate
from chalicelib.identity.schemas import EMAIL
from chalicelib.tickets import changes, followers, reading
from chalicelib.tickets.schemas import FOLLOWER_ADD, MESSAGE_CREATE, TICKET_CREATE, TICKET_LIST_QUERY, TICKET_UPDATE

bp = Blueprint(__name__)

_ERRORS = (400, 401, 403, 404, 409)
OPERATIONS = [
    Operation(
        "get",
        "/tickets",
        "List tickets, newest activity first",
        query=TICKET_LIST_QUERY,
        errors=(400, 401, 403),
        description="Customers see their organisation's tickets; support sees every organisation's.",
    ),
    Operation(
        "post",
        "/tickets",
        "Raise a ticket",
        body=TICKET_CREATE,
        success=201,
        errors=(400, 401, 403, 409, 413),
        idempotent=True,
    ),
    Operation("get", "/tickets/{number}", "A ticket with its responses and history", errors=(400, 401, 404)),
    Operation(
        "patch",
        "/tickets/{number}",
        "Update a ticket",
        body=TICKET_UPDATE,
        errors=_ERRORS + (413,),
        description="Customers change title, description and tags; support also status and priority.",
    ),
    Operation(
        "post",
        "/tickets/{number}/messages",
        "Add a response (or, for support, an internal note)",
        body=MESSAGE_CREATE,
        success=201,
        errors=_ERRORS + (413,),
        idempotent=True,
    ),
    Operation("post", "/tickets/{number}/close", "Close a ticket", errors=_ERRORS),
    Operation("post", "/tickets/{number}/reopen", "Re-open a closed ticket within the re-open window", errors=_ERRORS),
    Operation(
        "post",
        "/tickets/{number}/followers",
        "Follow a ticket: a user of its organisation gets its mail",
        body=FOLLOWER_ADD,
        errors=(400, 401, 404, 413),
        description="Any customer of the ticket's organisation, or support. Answers the requester and the "
        "followers; adding someone who follows already changes nothing.",
    ),
    Operation(
        "delete",
        "/tickets/{number}/followers/{email}",
        "Stop a user following a ticket",
        errors=(400, 401, 404),
        description="The requester always follows (400). Answers the requester and the followers.",
    ),
]


@bp.route("/tickets", methods=["GET"])
@answers_errors
def list_tickets():
    request = bp.current_request
    caller = principal(request)
    return reading.list_tickets(caller, query_params(request.query_params, TICKET_LIST_QUERY))


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
