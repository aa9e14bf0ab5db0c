"""One row of the OpenAPI document: each routes module lists its operations beside its routes,
and ``chalicelib.openapi`` gathers them (a test keeps them and the routes in step)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Link:
    """An OpenAPI link: what the answer lets a client call next, and with which of its values.

    ``parameters`` and ``body`` hold OpenAPI runtime expressions such as ``$response.body#/number``;
    Schemathesis follows them to chain calls (create a ticket, then read, change and close it)."""

    name: str
    method: str
    path: str
    parameters: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    description: str = ""


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    auth: bool = True
    body: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    success: int = 200
    # The schema of the success answer's JSON (see ``answer``); None only for an answer with no body.
    response: dict[str, Any] | None = None
    errors: tuple[int, ...] = ()
    idempotent: bool = False
    tag: str = "Tickets"
    description: str = ""
    links: tuple[Link, ...] = ()
    # Per status, what that answer means for this operation (else the document's general text).
    error_text: dict[int, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def operation_id(method: str, path: str) -> str:
    """``get_tickets_number`` for GET /tickets/{number}: unique, and stable across releases."""
    return method + path.replace("/", "_").replace("{", "").replace("}", "").replace(".", "_")


def error_answer(text: str) -> dict[str, Any]:
    """A documented error response: Chalice's {"Code", "Message"} shape."""
    return {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def answer(properties: dict[str, Any], optional: tuple[str, ...] = (), description: str = "") -> dict[str, Any]:
    """The schema of a JSON object the API answers: every property is always there unless named
    in ``optional``, and there is nothing else (``additionalProperties: false``), so a client may
    rely on the shape and Schemathesis checks every answer against it."""
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    required = [name for name in properties if name not in optional]
    if required:  # OpenAPI 3.0 wants at least one name in a required list
        schema["required"] = required
    if description:
        schema["description"] = description
    return schema


# Building blocks of the answers' schemas.
TEXT: dict[str, Any] = {"type": "string"}
TIME: dict[str, Any] = {"type": "string", "format": "date-time", "description": "UTC, ISO-8601."}
NULLABLE_TIME: dict[str, Any] = {**TIME, "nullable": True}
NULLABLE_TEXT: dict[str, Any] = {"type": "string", "nullable": True}
CURSOR: dict[str, Any] = {
    "type": "string",
    "nullable": True,
    "description": "Pass as cursor for the next page; null on the last page.",
}


def page_of(item: dict[str, Any]) -> dict[str, Any]:
    """A page of a list: ``{"items": [...], "next_cursor"}``."""
    return answer({"items": {"type": "array", "items": item}, "next_cursor": CURSOR})
