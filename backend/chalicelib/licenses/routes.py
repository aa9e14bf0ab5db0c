"""License routes for customers, support and the public (PRODUCT.md §4, §6)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.core.http import answers_errors, client_address, json_body, principal
from chalicelib.core.operations import Operation, error_answer
from chalicelib.core.validation import query_params
from chalicelib.licenses import access as licenses
from chalicelib.licenses import files as license_files
from chalicelib.licenses.schemas import LICENSE_CHECKIN, LICENSE_LIST_QUERY, LICENSE_LOOKUP

bp = Blueprint(__name__)

OPERATIONS = [
    Operation(
        "get",
        "/licenses",
        "List licenses, soonest expiry first",
        query=LICENSE_LIST_QUERY,
        errors=(400, 401, 403),
        tag="Licenses",
        description="Answers {items, next_cursor}. Customers see their organisation's licenses, in one "
        "page; support and admins page through every organisation's (limit, cursor) or pass "
        "org. Status is active, expiring (within 30 days), expired or suspended.",
    ),
    Operation(
        "get",
        "/licenses/public-key",
        "The Ed25519 public key that verifies license files",
        auth=False,
        tag="Licenses",
        description='Answers {"alg": "ed25519", "public_key": "<64 hex digits>"}.',
    ),
    Operation(
        "post",
        "/licenses/lookup",
        "Look a license up by its key (public, rate limited)",
        auth=False,
        body=LICENSE_LOOKUP,
        errors=(400, 404, 413, 429),
        tag="Licenses",
        description="Product, edition, status, expiry and capabilities; nothing about the organisation. "
        "Limited per client address and per key each minute; a 429 carries Retry-After.",
    ),
    Operation(
        "post",
        "/licenses/checkin",
        "Deployment check-in by a running product",
        auth=False,
        body=LICENSE_CHECKIN,
        errors=(400, 404, 413),
        tag="Licenses",
        description="Records the instance with its version and hostname, and answers the license's "
        "state: valid is false for a suspended or expired license.",
    ),
    Operation(
        "get",
        "/licenses/{id}",
        "A license with its capabilities and deployments",
        errors=(400, 401, 404),
        tag="Licenses",
    ),
    Operation(
        "get",
        "/licenses/{id}/file",
        "The signed license file",
        tag="Licenses",
        description="Text between -----BEGIN LICENSE FILE----- and -----END LICENSE FILE-----: base64 of "
        '{"enc", "sig", "alg": "base64+ed25519"}; sig is Ed25519 over "license/" + enc, '
        "enc is base64 of the payload JSON (license, issued_at, expires_at, ttl).",
        extra={
            "responses": {
                "200": {"description": "The license file", "content": {"text/plain": {"schema": {"type": "string"}}}},
                "400": error_answer("The id is not a license id."),
                "401": error_answer("No token, or a token that does not verify."),
                "404": error_answer("No such license (or another organisation's)."),
            }
        },
    ),
]


@bp.route("/licenses", methods=["GET"])
@answers_errors
def list_licenses():
    request = bp.current_request
    caller = principal(request)
    return licenses.list_licenses(caller, query_params(request.query_params, LICENSE_LIST_QUERY))


# Static paths before /licenses/{id}: Chalice and API Gateway both prefer the literal segment.
@bp.route("/licenses/public-key", methods=["GET"])
@answers_errors
def public_key():
    return license_files.public_key()


@bp.route("/licenses/lookup", methods=["POST"])
@answers_errors
def lookup():
    request = bp.current_request
    return licenses.lookup(json_body(request, LICENSE_LOOKUP)["key"], client_address(request))


@bp.route("/licenses/checkin", methods=["POST"])
@answers_errors
def checkin():
    return licenses.checkin(json_body(bp.current_request, LICENSE_CHECKIN))


@bp.route("/licenses/{id}", methods=["GET"])
@answers_errors
def get_license(id):
    return licenses.get_license(principal(bp.current_request), id)


@bp.route("/licenses/{id}/file", methods=["GET"])
@answers_errors
def license_file(id):
    caller = principal(bp.current_request)
    text = license_files.license_file(licenses.license_for_file(caller, id))
    return Response(
        body=text,
        status_code=200,
        headers={
            "Content-Type": "text/plain; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{id}.lic"',
            "Cache-Control": "no-store",
        },
    )
