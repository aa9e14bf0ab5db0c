"""The OpenAPI 3 document of the API, built from the same schemas the routes validate with."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib import schemas


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


_TICKET_ERRORS = (400, 401, 403, 404, 409)

OPERATIONS: list[Operation] = [
    Operation("get", "/health", "Liveness", auth=False, tag="Service"),
    Operation("get", "/openapi.json", "This document", auth=False, tag="Service"),
    Operation("get", "/me", "Who is signed in: user, organisation, roles", errors=(401,), tag="Identity"),
    Operation("get", "/tickets", "List tickets, newest activity first", query=schemas.TICKET_LIST_QUERY,
              errors=(400, 401, 403),
              description="Customers see their organisation's tickets; support sees every organisation's."),
    Operation("post", "/tickets", "Raise a ticket", body=schemas.TICKET_CREATE, success=201,
              errors=(400, 401, 403, 409, 413), idempotent=True),
    Operation("get", "/tickets/{number}", "A ticket with its responses and history", errors=(400, 401, 404)),
    Operation("patch", "/tickets/{number}", "Update a ticket", body=schemas.TICKET_UPDATE,
              errors=_TICKET_ERRORS + (413,),
              description="Customers change title, description and tags; support also status and priority."),
    Operation("post", "/tickets/{number}/messages", "Add a response (or, for support, an internal note)",
              body=schemas.MESSAGE_CREATE, success=201, errors=_TICKET_ERRORS + (413,), idempotent=True),
    Operation("post", "/tickets/{number}/close", "Close a ticket", errors=_TICKET_ERRORS),
    Operation("post", "/tickets/{number}/reopen", "Re-open a closed ticket within the re-open window",
              errors=_TICKET_ERRORS),
    Operation("get", "/admin/organisations", "List organisations", errors=(401, 403), tag="Admin"),
    Operation("post", "/admin/organisations", "Create an organisation", body=schemas.ORG_CREATE,
              success=201, errors=(400, 401, 403, 409, 413), tag="Admin"),
    Operation("post", "/admin/users", "Invite a user (Cognito mails a temporary password)",
              body=schemas.USER_INVITE, success=201, errors=(400, 401, 403, 409, 413), tag="Admin"),
]

# Licenses (PRODUCT.md §4, §6).
from chalicelib import license_schemas  # noqa: E402


def _error(text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


OPERATIONS += [
    Operation("get", "/licenses", "List licenses, soonest expiry first", query=license_schemas.LICENSE_LIST_QUERY,
              errors=(400, 401, 403), tag="Licenses",
              description="Answers {items, next_cursor}. Customers see their organisation's licenses, in one "
                          "page; support and admins page through every organisation's (limit, cursor) or pass "
                          "org. Status is active, expiring (within 30 days), expired or suspended."),
    Operation("get", "/licenses/public-key", "The Ed25519 public key that verifies license files", auth=False,
              tag="Licenses", description='Answers {"alg": "ed25519", "public_key": "<64 hex digits>"}.'),
    Operation("post", "/licenses/lookup", "Look a license up by its key (public, rate limited)", auth=False,
              body=license_schemas.LICENSE_LOOKUP, errors=(400, 404, 413, 429), tag="Licenses",
              description="Product, edition, status, expiry and capabilities; nothing about the organisation. "
                          "Limited per client address and per key each minute; a 429 carries Retry-After."),
    Operation("post", "/licenses/checkin", "Deployment check-in by a running product", auth=False,
              body=license_schemas.LICENSE_CHECKIN, errors=(400, 404, 413), tag="Licenses",
              description="Records the instance with its version and hostname, and answers the license's "
                          "state: valid is false for a suspended or expired license."),
    Operation("get", "/licenses/{id}", "A license with its capabilities and deployments", errors=(400, 401, 404),
              tag="Licenses"),
    Operation("get", "/licenses/{id}/file", "The signed license file", tag="Licenses",
              description="Text between -----BEGIN LICENSE FILE----- and -----END LICENSE FILE-----: base64 of "
                          '{"enc", "sig", "alg": "base64+ed25519"}; sig is Ed25519 over "license/" + enc, '
                          "enc is base64 of the payload JSON (license, issued_at, expires_at, ttl).",
              extra={"responses": {
                  "200": {"description": "The license file",
                          "content": {"text/plain": {"schema": {"type": "string"}}}},
                  "400": _error("The id is not a license id."),
                  "401": _error("No token, or a token that does not verify."),
                  "404": _error("No such license (or another organisation's)."),
              }}),
    Operation("get", "/admin/licenses", "List licenses, optionally of one organisation",
              query=license_schemas.LICENSE_LIST_QUERY, errors=(400, 401, 403), tag="Admin"),
    Operation("post", "/admin/licenses", "Issue a license", body=license_schemas.LICENSE_ISSUE,
              success=201, errors=(400, 401, 403, 413), tag="Admin"),
    Operation("post", "/admin/licenses/{id}/renew", "Renew a license (a new expiry)",
              body=license_schemas.LICENSE_RENEW, errors=(400, 401, 403, 404, 409, 413), tag="Admin"),
    Operation("post", "/admin/licenses/{id}/suspend", "Suspend a license",
              errors=(400, 401, 403, 404, 409), tag="Admin"),
    Operation("post", "/admin/licenses/{id}/reactivate", "Re-activate a suspended license",
              errors=(400, 401, 403, 404, 409), tag="Admin"),
]

_ERROR_TEXT = {
    400: "Bad input; the message names the field.",
    401: "No token, or a token that does not verify.",
    403: "Your role may not do this.",
    404: "No such object (or another organisation's).",
    409: "The object's state forbids this now (stale version, closed ticket, ...).",
    413: "The request body is too large.",
    429: "Too many requests; wait for Retry-After seconds.",
}


def _openapi_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Our schemas are plain JSON Schema; drop the private x-* keys and close objects."""
    out = {k: v for k, v in schema.items() if not k.startswith("x-")}
    if schema.get("type") == "object":
        out["additionalProperties"] = False
        out["properties"] = {k: _openapi_schema(v) for k, v in schema.get("properties", {}).items()}
    if schema.get("type") == "array":
        out["items"] = _openapi_schema(schema["items"])
    return out


def _parameters(op: Operation) -> list[dict[str, Any]]:
    parameters = []
    for name in ("number", "id"):
        if "{" + name + "}" in op.path:
            parameters.append({"name": name, "in": "path", "required": True,
                               "schema": {"type": "integer" if name == "number" else "string"}})
    for name, spec in (op.query or {}).get("properties", {}).items():
        parameters.append({"name": name, "in": "query", "required": False, "schema": _openapi_schema(spec),
                           **({"description": spec["description"]} if "description" in spec else {})})
    if op.idempotent:
        parameters.append({"name": "Idempotency-Key", "in": "header", "required": False,
                           "description": "A retry with the same key returns the first result.",
                           "schema": {"type": "string", "maxLength": 128}})
    return parameters


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        responses: dict[str, Any] = {str(op.success): {"description": "Success",
                                                       "content": {"application/json": {}}}}
        for status in op.errors:
            responses[str(status)] = {"description": _ERROR_TEXT[status],
                                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        entry: dict[str, Any] = {"summary": op.summary, "tags": [op.tag], "responses": responses,
                                 "operationId": f"{op.method}{op.path.replace('/', '_').replace('{', '').replace('}', '').replace('.', '_')}"}
        if op.description:
            entry["description"] = op.description
        if not op.auth:
            entry["security"] = []
        parameters = _parameters(op)
        if parameters:
            entry["parameters"] = parameters
        if op.body:
            entry["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": _openapi_schema(op.body)}}}
        entry.update(op.extra)
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.0.3",
        "info": {"title": "Customer Portal API", "version": "1.0.0",
                 "description": "Tickets and licenses of the Customer Portal. Send a Cognito ID token as "
                                "'Authorization: Bearer <token>'. Errors are {\"Code\", \"Message\"}."},
        "servers": [{"url": "/api"}],
        "security": [{"cognitoIdToken": []}],
        "components": {
            "securitySchemes": {"cognitoIdToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": {"Error": {"type": "object", "required": ["Code", "Message"],
                                  "properties": {"Code": {"type": "string"}, "Message": {"type": "string"}}}},
        },
        "paths": paths,
    }
