"""Schemas of the macro API: requests and answers."""

from __future__ import annotations

from typing import Any

from chalicelib.core.operations import NULLABLE_TEXT, TEXT, TIME, answer
from chalicelib.macros.placeholders import PLACEHOLDERS
from chalicelib.tickets.schemas import STATUSES

_NAMES = ", ".join("{{" + name + "}}" for name in PLACEHOLDERS)
MACRO_ID = {"type": "string", "pattern": "[a-f0-9]{12}", "description": "A macro id, like 3f9c2a7b1d0e."}
MACRO_TITLE = {"type": "string", "minLength": 1, "maxLength": 200}
MACRO_BODY = {
    "type": "string",
    "minLength": 1,
    "maxLength": 20000,
    "description": f"The response's text; placeholders: {_NAMES} (any other is a 400).",
}
MACRO_STATUS = {
    "type": "string",
    "enum": [*STATUSES, None],  # OpenAPI 3.0: a nullable enum lists null
    "nullable": True,
    "description": "The status the ticket gets when the agent sends this response; null (or left out): unchanged.",
}
MACRO_CREATE = {
    "type": "object",
    "required": ["title", "body"],
    "properties": {"title": MACRO_TITLE, "body": MACRO_BODY, "status": MACRO_STATUS},
}
MACRO_UPDATE: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "x-empty-message": "Send at least one of title, body, status.",
    "properties": {"title": MACRO_TITLE, "body": MACRO_BODY, "status": MACRO_STATUS},
}
RENDER_QUERY = {
    "type": "object",
    "required": ["ticket"],
    "properties": {
        "ticket": {"type": "integer", "minimum": 1, "maximum": 999_999_999, "description": "A ticket number."}
    },
}

MACRO = answer(
    {
        "id": TEXT,
        "title": TEXT,
        "body": TEXT,
        "status": {**NULLABLE_TEXT, "enum": [*STATUSES, None]},
        "updated_at": TIME,
        "updated_by": TEXT,
    }
)
MACRO_LIST = answer({"items": {"type": "array", "items": MACRO}})
MACRO_RENDERED = answer(
    {
        "id": TEXT,
        "ticket": {"type": "integer", "minimum": 1},
        "body": TEXT,
        "status": {**NULLABLE_TEXT, "enum": [*STATUSES, None]},
    },
    description="The macro's body with the ticket's values in its placeholders, ready for the response box.",
)
MACRO_DELETED = answer({"id": TEXT, "deleted": {"type": "boolean", "enum": [True]}})
