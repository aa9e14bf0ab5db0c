"""License routes for customers, support and the public (PRODUCT.md §4, §6)."""
from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import license_files, licenses
from chalicelib.api.http import answers_errors, json_body, principal
from chalicelib.license_schemas import LICENSE_CHECKIN, LICENSE_LIST_QUERY, LICENSE_LOOKUP
from chalicelib.validation import query_params

bp = Blueprint(__name__)


def client_address(request) -> str:
    """The caller's address for rate limiting.

    Behind CloudFront, API Gateway sees the edge's address, so CloudFront's
    ``CloudFront-Viewer-Address`` (``ip:port``) names the viewer; without it, the source IP.
    """
    viewer = request.headers.get("cloudfront-viewer-address", "")
    if viewer:
        return viewer.rsplit(":", 1)[0]
    return (request.context.get("identity") or {}).get("sourceIp") or "unknown"


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
def get_license(id):  # noqa: A002 (the path parameter is documented as {id})
    return licenses.get_license(principal(bp.current_request), id)


@bp.route("/licenses/{id}/file", methods=["GET"])
@answers_errors
def license_file(id):
    caller = principal(bp.current_request)
    text = license_files.license_file(licenses.license_for_file(caller, id))
    return Response(body=text, status_code=200, headers={
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{id}.lic"',
        "Cache-Control": "no-store",
    })
