"""One row of the OpenAPI document: each routes module lists its operations beside its routes,
and ``chalicelib.openapi`` gathers them (a test keeps them and the routes in step)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    auth: bool = True
    body: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    success: int = 200
    errors: tuple[int, ...] = ()
    idempotent: bool = False
    tag: str = "Tickets"
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def error_answer(text: str) -> dict[str, Any]:
    """A documented error response: Chalice's {"Code", "Message"} shape."""
    return {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
