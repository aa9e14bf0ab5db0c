"""The one place where domain errors become HTTP answers, and request helpers for routes."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib.core import errors
from chalicelib.core.validation import parse_json_body, validate
from chalicelib.identity.auth import Principal, principal_from_header, require_admin

_STATUS = {
    errors.Invalid: (400, "BadRequestError"),
    errors.Unauthenticated: (401, "UnauthorizedError"),
    errors.Forbidden: (403, "ForbiddenError"),
    errors.NotFound: (404, "NotFoundError"),
    errors.Conflict: (409, "ConflictError"),
    errors.TooLarge: (413, "RequestEntityTooLargeError"),
    errors.RateLimited: (429, "TooManyRequestsError"),
    errors.Unavailable: (503, "ServiceUnavailableError"),
}


def error_response(error: errors.DomainError) -> Response:
    status, code = _STATUS[type(error)]
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json"}  # Chalice's HeadersType
    if isinstance(error, (errors.RateLimited, errors.Unavailable)):
        headers["Retry-After"] = str(error.retry_after)
    return Response(body=json.dumps({"Code": code, "Message": error.message}), status_code=status, headers=headers)


def answers_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Route decorator: a domain error raised below becomes its 4xx (or 503) answer."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except errors.DomainError as error:
            return error_response(error)

    return wrapper


def principal(request: Any) -> Principal:
    return principal_from_header(request.headers.get("authorization"))


def admin(request: Any) -> Principal:
    """The caller, refused before their input is read: a non-admin learns nothing of the schema.
    (The use cases check the same rule again; this only makes the refusal come first.)"""
    return require_admin(principal(request))


def json_body(request: Any, schema: dict[str, Any]) -> dict[str, Any]:
    return validate(parse_json_body(request.raw_body), schema)


def idempotency_key(request: Any) -> str | None:
    return request.headers.get("idempotency-key")


def created(body: Any) -> Response:
    return Response(body=body, status_code=201, headers={"Content-Type": "application/json"})
