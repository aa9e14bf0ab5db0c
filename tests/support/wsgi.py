"""The Chalice app as a WSGI application, for Schemathesis' in-process transport.

Requests go through the local stack's own API mount (``infra.local.server.ChaliceMount``):
Chalice's API Gateway emulation, its error answers and API Gateway's JSON content type when
the function names none, exactly as the local stack answers under ``/api``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from infra.local.server import ChaliceMount


class ChaliceWsgi:
    """WSGI in front of ``ChaliceMount``; the API answers under ``prefix``, as in the stack."""

    def __init__(self, app, prefix: str = "/api") -> None:
        self._mount = ChaliceMount(app)
        self._prefix = prefix.rstrip("/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        # The raw target, still percent-encoded, as the HTTP server hands it on.
        path = (environ.get("RAW_URI") or quote(environ.get("PATH_INFO", ""))).split("?", 1)[0]
        query = environ.get("QUERY_STRING", "")
        target = path + (f"?{query}" if query else "")
        if path != self._prefix and not path.startswith(self._prefix + "/"):
            status, headers, payload = 404, {"Content-Type": "text/plain"}, b"Not found"
        else:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            status, headers, payload = self._mount(
                environ["REQUEST_METHOD"], target[len(self._prefix) :], _request_headers(environ), body
            )
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        start_response(
            f"{status} {reason}".rstrip(),
            [(name, value) for name, value in headers.items() if name.lower() != "content-length"]
            + [("Content-Length", str(len(payload)))],
        )
        return [payload]


def _request_headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items() if key.startswith("HTTP_")}
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            headers[name] = environ[key]
    return headers
