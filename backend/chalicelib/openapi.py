"""The OpenAPI 3 document of the API, gathered from the rows each routes module keeps beside its
routes, built from the same schemas the routes validate with."""

from __future__ import annotations

from typing import Any

from chalicelib.attachments.schemas import ID_PATTERN as ATTACHMENT_ID
from chalicelib.core.operations import Link, Operation, error_answer, operation_id
from chalicelib.core.validation import NOT_BLANK, is_free_text
from chalicelib.identity.schemas import EMAIL, ORG
from chalicelib.licenses.models import ID_PATTERN
from chalicelib.licenses.schemas import INSTANCE_ID
from chalicelib.macros.schemas import MACRO_ID


def operations() -> list[Operation]:
    """Every operation, in the order of the document: each feature's routes list their own."""
    from chalicelib import service
    from chalicelib.attachments import routes as attachments
    from chalicelib.feedback import routes as feedback
    from chalicelib.identity import routes as identity
    from chalicelib.licenses import admin_routes as license_admin
    from chalicelib.licenses import routes as licenses
    from chalicelib.macros import routes as macros
    from chalicelib.reports import routes as reports
    from chalicelib.tickets import routes as tickets

    return [
        *service.OPERATIONS,
        *identity.OPERATIONS,
        *tickets.OPERATIONS,
        *macros.OPERATIONS,
        *reports.OPERATIONS,
        *attachments.OPERATIONS,
        *licenses.OPERATIONS,
        *license_admin.OPERATIONS,
        *feedback.OPERATIONS,
    ]


_ERROR_TEXT = {
    400: "Bad input; the message names the field.",
    401: "No token, or a token that does not verify.",
    403: "Your role may not do this.",
    404: "No such object (or another organisation's).",
    409: "The object's state forbids this now (stale version, closed ticket, ...).",
    413: "The request body is too large.",
    415: "The body is not declared JSON: send Content-Type: application/json.",
    429: "Too many requests; wait for Retry-After seconds.",
    503: "The token cannot be checked now (the user pool's keys are unreachable); retry after Retry-After seconds.",
}


# What core.validation.path_number and a license id's organisation check accept.
_PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "number": {
        "type": "integer",
        "minimum": 1,
        "maximum": 999_999_999,
        "description": "A ticket number, like 1042.",
        "example": 1,
    },
    "id": {"type": "string", "pattern": f"^(?:{ID_PATTERN})$", "description": "A license id, like acme_k7q2m6x4pz."},
    "attachment_id": {"type": "string", "pattern": f"^(?:{ATTACHMENT_ID})$", "description": "An attachment's id."},
    "instance_id": {
        **{k: v for k, v in INSTANCE_ID.items() if k != "pattern"},
        "pattern": f"^(?:{INSTANCE_ID['pattern']})$",
    },
    "email": {**EMAIL, "pattern": f"^(?:{EMAIL['pattern']})$", "description": "A follower's e-mail address."},
    "org": {**ORG, "pattern": f"^(?:{ORG['pattern']})$", "description": "An organisation id, like acme."},
    "macro": {**MACRO_ID, "pattern": f"^(?:{MACRO_ID['pattern']})$"},
}


def _openapi_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Our schemas are plain JSON Schema; drop the private x-* keys and close objects, and say
    what the validation does: a pattern matches the whole value (the server uses ``fullmatch``,
    JSON Schema searches), and free text must contain a character that is not white space."""
    out = {k: v for k, v in schema.items() if not k.startswith("x-")}
    if "pattern" in schema:
        out["pattern"] = f"^(?:{schema['pattern']})$"
    elif schema.get("type") == "string" and is_free_text(schema):
        out["pattern"] = NOT_BLANK
    if schema.get("type") == "object":
        out["additionalProperties"] = False
        out["properties"] = {k: _openapi_schema(v) for k, v in schema.get("properties", {}).items()}
    if schema.get("type") == "array":
        out["items"] = _openapi_schema(schema["items"])
    return out


def _parameters(op: Operation) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = []
    for name, schema in _PATH_PARAMETERS.items():
        if "{" + name + "}" in op.path:
            parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    for name, spec in (op.query or {}).get("properties", {}).items():
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": name in (op.query or {}).get("required", []),
                "schema": _openapi_schema(spec),
                **({"description": spec["description"]} if "description" in spec else {}),
            }
        )
    if op.idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "A retry with the same key returns the first result.",
                # What idempotency.record accepts: 1 to 128 printable characters; HTTP drops spaces around a value.
                "schema": {"type": "string", "pattern": "^[!-~](?:[ -~]{0,126}[!-~])?$"},
            }
        )
    return parameters


def _link(link: Link) -> dict[str, Any]:
    out: dict[str, Any] = {"operationId": operation_id(link.method, link.path)}
    if link.parameters:
        out["parameters"] = dict(link.parameters)
    if link.body is not None:
        out["requestBody"] = link.body
    if link.description:
        out["description"] = link.description
    return out


def _success(op: Operation) -> dict[str, Any]:
    """The success answer: its JSON schema (none only for a 204) and where it leads."""
    success: dict[str, Any] = {"description": "Success"}
    if op.response is not None:
        success["content"] = {"application/json": {"schema": op.response}}
    if op.links:
        success["links"] = {link.name: _link(link) for link in op.links}
    return success


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op in operations():
        responses: dict[str, Any] = {str(op.success): _success(op)}
        for status in op.errors:
            responses[str(status)] = error_answer(op.error_text.get(status, _ERROR_TEXT[status]))
        entry: dict[str, Any] = {
            "summary": op.summary,
            "tags": [op.tag],
            "responses": responses,
            "operationId": operation_id(op.method, op.path),
        }
        if op.description:
            entry["description"] = op.description
        if not op.auth:
            entry["security"] = []
        parameters = _parameters(op)
        if parameters:
            entry["parameters"] = parameters
        if op.body:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _openapi_schema(op.body)}},
            }
        for key, value in op.extra.items():
            if key == "responses":  # an operation's own answers replace the generated ones of that status
                entry["responses"].update(value)
            else:
                entry[key] = value
        if op.auth:  # every operation that reads a token can meet an unreachable JWKS
            entry["responses"].setdefault("503", error_answer(_ERROR_TEXT[503]))
        if op.body:  # Chalice refuses a body that is not declared JSON before any route runs
            entry["responses"].setdefault("415", error_answer(_ERROR_TEXT[415]))
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Customer Portal API",
            "version": "1.0.0",
            "description": "Tickets and licenses of the Customer Portal. Send a Cognito ID token as "
            '\'Authorization: Bearer <token>\'. Errors are {"Code", "Message"}. A path called with a method '
            "it does not list answers 405 (MethodNotAllowedError) before anything else is read. What is "
            "wrong for everyone is a 400 naming the field; what the caller's role may not send or leave "
            "out is a 403 naming it; an object named that does not exist (or is another organisation's) "
            "is a 404.",
        },
        "servers": [{"url": "/api"}],
        "security": [{"cognitoIdToken": []}],
        "components": {
            "securitySchemes": {"cognitoIdToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["Code", "Message"],
                    "properties": {"Code": {"type": "string"}, "Message": {"type": "string"}},
                }
            },
        },
        "paths": paths,
    }
