"""The one place where domain errors become HTTP answers, and request helpers for routes."""

from __future__ import annotations

import functools
import ipaddress
import json
from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib.core import errors
from chalicelib.core.config import settings
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


# CloudFront's /api/* viewer-request function writes the viewer's address here, replacing any
# value the viewer sent; the API's WAF refuses whatever did not come through CloudFront.
VIEWER_ADDRESS_HEADER = "true-client-ip"
IPV6_CLIENT_PREFIX = 64  # one subscriber usually holds a whole /64: count it as one client


def client_key(viewer_address: str | None, source_ip: str | None, *, trust_viewer: bool) -> str:
    """Who is calling, for rate limits: an IPv4 address or an IPv6 /64.

    ``viewer_address`` is believed only when ``trust_viewer`` (behind CloudFront and the WAF);
    otherwise, or when it is not an address, the connection's source address counts."""
    for candidate in ((viewer_address,) if trust_viewer else ()) + (source_ip,):
        try:
            address = ipaddress.ip_address((candidate or "").strip())
        except ValueError:
            continue
        if isinstance(address, ipaddress.IPv6Address):
            if address.ipv4_mapped is not None:
                return str(address.ipv4_mapped)
            return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))
        return str(address)
    return "unknown"


def client_address(request: Any) -> str:
    """The caller's rate-limit key (see client_key); TRUST_VIEWER_ADDRESS says whether the
    request can only have come through CloudFront."""
    source_ip = (request.context.get("identity") or {}).get("sourceIp")
    return client_key(
        request.headers.get(VIEWER_ADDRESS_HEADER), source_ip, trust_viewer=settings().trust_viewer_address
    )


def no_store_when_authenticated(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """HTTP middleware: an answer to a request with a token (tickets, full license keys) is
    never kept by a browser or a proxy."""
    response = get_response(event)
    if event.headers.get("authorization"):
        response.headers["Cache-Control"] = "no-store"
    return response


def created(body: Any) -> Response:
    return Response(body=body, status_code=201, headers={"Content-Type": "application/json"})
