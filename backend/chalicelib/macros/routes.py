"""Macro routes (PRODUCT.md §3.4): read the request, call a use case, return a dict."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.http import answers_errors, created, json_body, principal
from chalicelib.core.operations import Link, Operation
from chalicelib.core.validation import query_params, validate
from chalicelib.macros import library
from chalicelib.macros.schemas import (
    MACRO,
    MACRO_CREATE,
    MACRO_DELETED,
    MACRO_ID,
    MACRO_LIST,
    MACRO_RENDERED,
    MACRO_UPDATE,
    RENDER_QUERY,
)

bp = Blueprint(__name__)

_MISSING = {404: "No such macro."}
_AT = {"macro": "$response.body#/id"}
_FROM_MACRO = (
    Link("UpdateMacro", "patch", "/macros/{macro}", _AT),
    Link("DeleteMacro", "delete", "/macros/{macro}", _AT),
    Link("RenderMacro", "get", "/macros/{macro}/render", _AT),
)
OPERATIONS = [
    Operation(
        "get",
        "/macros",
        "Support's saved responses",
        response=MACRO_LIST,
        errors=(401, 403),
        tag="Macros",
        error_text={403: "Macros are for support."},
    ),
    Operation(
        "post",
        "/macros",
        "Save a response (admin)",
        body=MACRO_CREATE,
        success=201,
        response=MACRO,
        errors=(400, 401, 403, 413),
        tag="Macros",
        error_text={
            400: "Bad input; the message names the field. Also: a placeholder that is not one of the four.",
            403: "Only admins write macros.",
        },
        links=_FROM_MACRO,
    ),
    Operation(
        "patch",
        "/macros/{macro}",
        "Change a saved response (admin)",
        body=MACRO_UPDATE,
        response=MACRO,
        errors=(400, 401, 403, 404, 413),
        tag="Macros",
        error_text={
            400: "Bad input; the message names the field. Also: a placeholder that is not one of the four.",
            403: "Only admins write macros.",
            **_MISSING,
        },
    ),
    Operation(
        "delete",
        "/macros/{macro}",
        "Delete a saved response (admin)",
        response=MACRO_DELETED,
        errors=(400, 401, 403, 404),
        tag="Macros",
        error_text={403: "Only admins write macros.", **_MISSING},
    ),
    Operation(
        "get",
        "/macros/{macro}/render",
        "A saved response filled in for a ticket",
        query=RENDER_QUERY,
        response=MACRO_RENDERED,
        errors=(400, 401, 403, 404),
        tag="Macros",
        error_text={403: "Macros are for support.", 404: "No such macro, or no such ticket."},
    ),
]


def _macro(raw: str) -> str:
    return validate(raw, MACRO_ID, "macro")


@bp.route("/macros", methods=["GET"])
@answers_errors
def list_macros():
    return library.list_macros(principal(bp.current_request))


@bp.route("/macros", methods=["POST"])
@answers_errors
def create_macro():
    request = bp.current_request
    caller = principal(request)
    return created(library.create_macro(caller, json_body(request, MACRO_CREATE)))


@bp.route("/macros/{macro}", methods=["PATCH"])
@answers_errors
def update_macro(macro):
    request = bp.current_request
    caller = principal(request)
    return library.update_macro(caller, _macro(macro), json_body(request, MACRO_UPDATE))


@bp.route("/macros/{macro}", methods=["DELETE"])
@answers_errors
def delete_macro(macro):
    caller = principal(bp.current_request)
    return library.delete_macro(caller, _macro(macro))


@bp.route("/macros/{macro}/render", methods=["GET"])
@answers_errors
def render_macro(macro):
    request = bp.current_request
    caller = principal(request)
    query = query_params(request.query_params, RENDER_QUERY)
    return library.render_macro(caller, _macro(macro), query["ticket"])
