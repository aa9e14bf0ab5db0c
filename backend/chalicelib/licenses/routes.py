"""License routes for customers, support and the public (PRODUCT.md §4, §6)."""

from __future__ import annotations

from urllib.parse import unquote

from chalice import Blueprint, Response

from chalicelib.core.http import answers_errors, client_address, created, idempotency_key, json_body, principal
from chalicelib.core.operations import Link, Operation
from chalicelib.core.validation import query_params, validate
from chalicelib.licenses import access as licenses
from chalicelib.licenses import deployments, renewal
from chalicelib.licenses import files as license_files
from chalicelib.licenses.schemas import (
    CHECKIN_ANSWER,
    DEPLOYMENT_LIST_QUERY,
    DEPLOYMENT_PAGE,
    INSTANCE_ID,
    LICENSE_CHECKIN,
    LICENSE_DETAIL,
    LICENSE_FILE_QUERY,
    LICENSE_LIST_QUERY,
    LICENSE_LOOKUP,
    LICENSE_PAGE,
    LICENSE_RENEWAL_REQUEST,
    PUBLIC_KEY,
    PUBLIC_LICENSE,
    RENEWAL_REQUESTED,
)

bp = Blueprint(__name__)

# The rules of a list query that a JSON schema cannot say (shared with GET /admin/licenses).
LIST_RULES = (
    "Bad input; the message names the parameter. An organisation's licenses come in one page, so org "
    "takes no limit or cursor; a cursor must be the next_cursor of this very list (same user): any other "
    "is refused."
)
BY_ID = {400: "The id is not a license id.", 404: "No such license, or another organisation's."}


def license_links(id_expression: str) -> tuple[Link, ...]:
    """Where an answer that names a license leads (for admins, also GET /admin/licenses/... rows)."""
    at = {"id": id_expression}
    return (
        Link("Read", "get", "/licenses/{id}", at),
        Link("Deployments", "get", "/licenses/{id}/deployments", at),
        Link("File", "get", "/licenses/{id}/file", at),
        Link("AskRenewal", "post", "/licenses/{id}/renewal-request", at),
        Link("Renew", "post", "/admin/licenses/{id}/renew", at),
        Link("ChangeLimit", "patch", "/admin/licenses/{id}", at),
        Link("Suspend", "post", "/admin/licenses/{id}/suspend", at),
        Link("Reactivate", "post", "/admin/licenses/{id}/reactivate", at),
    )


OPERATIONS = [
    Operation(
        "get",
        "/licenses",
        "List licenses, soonest expiry first",
        query=LICENSE_LIST_QUERY,
        response=LICENSE_PAGE,
        errors=(400, 401, 403),
        error_text={400: LIST_RULES, 403: "Customers may not pass org (they see their own organisation's)."},
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
        response=PUBLIC_KEY,
        tag="Licenses",
        description='Answers {"alg": "ed25519", "public_key": "<64 hex digits>"}.',
    ),
    Operation(
        "post",
        "/licenses/lookup",
        "Look a license up by its key (public, rate limited)",
        auth=False,
        body=LICENSE_LOOKUP,
        response=PUBLIC_LICENSE,
        errors=(400, 404, 413, 429),
        error_text={404: "No license has this key."},
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
        response=CHECKIN_ANSWER,
        errors=(400, 403, 404, 413, 429),
        error_text={
            403: "A new instance beyond the license's max_deployments.",
            404: "No license has this key.",
        },
        tag="Licenses",
        description="Records the instance with its version and hostname, and answers the license's "
        "state: valid is false for a suspended or expired license. A new instance beyond the "
        "license's max_deployments is refused with 403 (known instances keep checking in). Limited "
        "per client address and per key each minute, unknown keys included; a 429 carries Retry-After.",
    ),
    Operation(
        "get",
        "/licenses/{id}",
        "A license with its capabilities and deployments",
        response=LICENSE_DETAIL,
        errors=(400, 401, 404),
        error_text=BY_ID,
        links=(
            *license_links("$request.path.id"),
            Link(
                "ReleaseDeployment",
                "delete",
                "/licenses/{id}/deployments/{instance_id}",
                {"id": "$request.path.id", "instance_id": "$response.body#/deployments/0/instance_id"},
            ),
        ),
        tag="Licenses",
        description="deployments holds at most 50 (most recently seen first); deployments_total counts "
        "them all and deployments_next_cursor pages on with GET /licenses/{id}/deployments.",
    ),
    Operation(
        "get",
        "/licenses/{id}/deployments",
        "The next page of a license's deployments",
        query=DEPLOYMENT_LIST_QUERY,
        response=DEPLOYMENT_PAGE,
        errors=(400, 401, 404),
        error_text={
            400: "The id is not a license id, or the cursor is not one this license's deployments gave you.",
            404: BY_ID[404],
        },
        tag="Licenses",
        description="Answers {items, next_cursor}, 50 deployments a page, from the detail's deployments_next_cursor.",
    ),
    Operation(
        "delete",
        "/licenses/{id}/deployments/{instance_id}",
        "Release a deployment, freeing its slot",
        success=204,
        errors=(400, 401, 404),
        tag="Licenses",
        description="For an instance that no longer runs: it leaves the list and stops counting against "
        "max_deployments. If it checks in again, it is a new instance.",
        error_text={
            400: "The id is not a license id, or the instance id is malformed.",
            404: "No such license (or another organisation's), or no such deployment.",
        },
    ),
    Operation(
        "post",
        "/licenses/{id}/renewal-request",
        "Ask the vendor to renew a license (raises a ticket)",
        body=LICENSE_RENEWAL_REQUEST,
        success=201,
        response=RENEWAL_REQUESTED,
        errors=(400, 401, 403, 404, 409, 413),
        error_text={
            **BY_ID,
            403: "Support and admins renew licenses in the admin console; only the organisation's customers ask.",
            409: "The Idempotency-Key was used before with a different body.",
        },
        links=(Link("ReadTicket", "get", "/tickets/{number}", {"number": "$response.body#/ticket/number"}),),
        idempotent=True,
        tag="Licenses",
        description="Customers of the organisation: raises a Question ticket naming the license and answers "
        '{"ticket": {"number"}}. The body is optional.',
    ),
    Operation(
        "get",
        "/licenses/{id}/file",
        "The signed license file (Keygen-compatible)",
        query=LICENSE_FILE_QUERY,
        tag="Licenses",
        description="Keygen's license-file format, which Keygen's SDKs verify and read: text between "
        "-----BEGIN LICENSE FILE----- and -----END LICENSE FILE-----, base64 of "
        '{"enc", "sig", "alg"}; sig is Ed25519 over "license/" + enc. With alg base64+ed25519 (the '
        "default) enc is base64 of the dataset JSON; with algorithm=aes-256-gcm+ed25519 it is "
        "b64(ciphertext).b64(iv).b64(tag), AES-256-GCM keyed with SHA-256 of the license key. The "
        "dataset is Keygen's JSON:API: data (type licenses: name, key, expiry, status, maxMachines, "
        "metadata), included entitlements (name, code, metadata.limit) and meta (issued, expiry, "
        "ttl), where meta.expiry is never later than the license's expiry. A suspended or expired "
        "license gets 409 and no file.",
        errors=(400, 401, 404, 409),
        error_text={
            400: "The id is not a license id, or the algorithm is not one of Keygen's two.",
            409: "The license is suspended or expired: no file until re-activated or renewed.",
        },
        extra={
            "responses": {
                "200": {
                    "description": "The license file",
                    "content": {"text/plain": {"schema": {"type": "string", "pattern": f"^{license_files.BEGIN}"}}},
                }
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
    request = bp.current_request
    return deployments.checkin(json_body(request, LICENSE_CHECKIN), client_address(request))


@bp.route("/licenses/{id}", methods=["GET"])
@answers_errors
def get_license(id):
    return licenses.get_license(principal(bp.current_request), id)


@bp.route("/licenses/{id}/file", methods=["GET"])
@answers_errors
def license_file(id):
    request = bp.current_request
    caller = principal(request)
    # A bare "+" in a query string reads as a space: aes-256-gcm+ed25519 arrives either way.
    raw = {name: value.replace(" ", "+") for name, value in dict(request.query_params or {}).items()}
    algorithm = query_params(raw, LICENSE_FILE_QUERY).get("algorithm", license_files.BASE64)
    text = license_files.license_file(licenses.license_for_file(caller, id), algorithm)
    return Response(
        body=text,
        status_code=200,
        headers={
            "Content-Type": "text/plain; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{id}.lic"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/licenses/{id}/deployments", methods=["GET"])
@answers_errors
def list_deployments(id):
    request = bp.current_request
    caller = principal(request)
    return licenses.list_deployments(caller, id, query_params(request.query_params, DEPLOYMENT_LIST_QUERY))


@bp.route("/licenses/{id}/deployments/{instance_id}", methods=["DELETE"])
@answers_errors
def release_deployment(id, instance_id):
    caller = principal(bp.current_request)
    deployments.release(caller, id, validate(unquote(instance_id), INSTANCE_ID, "instance_id"))
    return Response(body="", status_code=204)


@bp.route("/licenses/{id}/renewal-request", methods=["POST"])
@answers_errors
def request_renewal(id):
    request = bp.current_request
    caller = principal(request)
    # The body is optional: no body at all is an empty request.
    data = json_body(request, LICENSE_RENEWAL_REQUEST) if request.raw_body else {}
    return created(renewal.request_renewal(caller, id, data, idempotency_key(request)))
