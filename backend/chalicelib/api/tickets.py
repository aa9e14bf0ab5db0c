"""Ticket routes (PRODUCT.md §6)."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib import tickets
from chalicelib.api.http import answers_errors, created, idempotency_key, json_body, principal
from chalicelib.schemas import MESSAGE_CREATE, TICKET_CREATE, TICKET_LIST_QUERY, TICKET_UPDATE
from chalicelib.validation import path_number, query_params

bp = Blueprint(__name__)


@bp.route("/tickets", methods=["GET"])
@answers_errors
def list_tickets():
    request = bp.current_request
    caller = principal(request)
    return tickets.list_tickets(caller, query_params(request.query_params, TICKET_LIST_QUERY))


@bp.route("/tickets", methods=["POST"])
@answers_errors
def create_ticket():
    request = bp.current_request
    caller = principal(request)
    return created(tickets.create_ticket(caller, json_body(request, TICKET_CREATE), idempotency_key(request)))


@bp.route("/tickets/{number}", methods=["GET"])
@answers_errors
def get_ticket(number):
    caller = principal(bp.current_request)
    return tickets.get_ticket(caller, path_number(number))


@bp.route("/tickets/{number}", methods=["PATCH"])
@answers_errors
def update_ticket(number):
    request = bp.current_request
    caller = principal(request)
    return tickets.update_ticket(caller, path_number(number), json_body(request, TICKET_UPDATE))


@bp.route("/tickets/{number}/messages", methods=["POST"])
@answers_errors
def add_message(number):
    request = bp.current_request
    caller = principal(request)
    data = json_body(request, MESSAGE_CREATE)
    return created(tickets.add_message(caller, path_number(number), data, idempotency_key(request)))


@bp.route("/tickets/{number}/close", methods=["POST"])
@answers_errors
def close_ticket(number):
    caller = principal(bp.current_request)
    return tickets.close_ticket(caller, path_number(number))


@bp.route("/tickets/{number}/reopen", methods=["POST"])
@answers_errors
def reopen_ticket(number):
    caller = principal(bp.current_request)
    return tickets.reopen_ticket(caller, path_number(number))
