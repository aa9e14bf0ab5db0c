"""Admin routes for licenses: issue, renew, suspend, re-activate, list any organisation's."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.http import admin, answers_errors, created, json_body
from chalicelib.core.operations import Operation
from chalicelib.core.validation import query_params
from chalicelib.licenses import admin as licenses
from chalicelib.licenses.routes import BY_ID, LIST_RULES, license_links
from chalicelib.licenses.schemas import (
    LICENSE_CHANGE,
    LICENSE_DETAIL,
    LICENSE_ISSUE,
    LICENSE_LIST_QUERY,
    LICENSE_PAGE,
    LICENSE_RENEW,
    LICENSE_SUMMARY,
)

bp = Blueprint(__name__)

OPERATIONS = [
    Operation(
        "get",
        "/admin/licenses",
        "List licenses, optionally of one organisation",
        query=LICENSE_LIST_QUERY,
        response=LICENSE_PAGE,
        errors=(400, 401, 403),
        error_text={400: LIST_RULES},
        tag="Admin",
    ),
    Operation(
        "post",
        "/admin/licenses",
        "Issue a license",
        body=LICENSE_ISSUE,
        success=201,
        response=LICENSE_DETAIL,
        errors=(400, 401, 403, 404, 409, 413),
        error_text={
            400: "Bad input; the message names the field. Capability names must differ (ignoring case).",
            404: "The org named does not exist; create it first.",
            409: "A license with the same id was issued at the same moment; issue it again.",
        },
        tag="Admin",
        links=license_links("$response.body#/id"),
    ),
    Operation(
        "post",
        "/admin/licenses/{id}/renew",
        "Renew a license (a new expiry)",
        body=LICENSE_RENEW,
        response=LICENSE_SUMMARY,
        errors=(400, 401, 403, 404, 409, 413),
        error_text=BY_ID,
        tag="Admin",
    ),
    Operation(
        "patch",
        "/admin/licenses/{id}",
        "Change a license's deployment limit",
        body=LICENSE_CHANGE,
        response=LICENSE_SUMMARY,
        errors=(400, 401, 403, 404, 413),
        error_text=BY_ID,
        tag="Admin",
        description="Sets max_deployments (null: unlimited). Answers the license's summary.",
    ),
    Operation(
        "post",
        "/admin/licenses/{id}/suspend",
        "Suspend a license",
        response=LICENSE_SUMMARY,
        errors=(400, 401, 403, 404, 409),
        error_text={**BY_ID, 409: "The license is suspended already."},
        tag="Admin",
        links=license_links("$response.body#/id"),
    ),
    Operation(
        "post",
        "/admin/licenses/{id}/reactivate",
        "Re-activate a suspended license",
        response=LICENSE_SUMMARY,
        errors=(400, 401, 403, 404, 409),
        error_text={**BY_ID, 409: "The license is not suspended."},
        tag="Admin",
        links=license_links("$response.body#/id"),
    ),
]


@bp.route("/admin/licenses", methods=["GET"])
@answers_errors
def list_licenses():
    request = bp.current_request
    caller = admin(request)
    return licenses.admin_list(caller, query_params(request.query_params, LICENSE_LIST_QUERY))


@bp.route("/admin/licenses", methods=["POST"])
@answers_errors
def issue_license():
    request = bp.current_request
    caller = admin(request)
    return created(licenses.issue_license(caller, json_body(request, LICENSE_ISSUE)))


@bp.route("/admin/licenses/{id}/renew", methods=["POST"])
@answers_errors
def renew_license(id):
    request = bp.current_request
    caller = admin(request)
    return licenses.renew_license(caller, id, json_body(request, LICENSE_RENEW))


@bp.route("/admin/licenses/{id}", methods=["PATCH"])
@answers_errors
def change_license(id):
    request = bp.current_request
    caller = admin(request)
    return licenses.change_license(caller, id, json_body(request, LICENSE_CHANGE))


@bp.route("/admin/licenses/{id}/suspend", methods=["POST"])
@answers_errors
def suspend_license(id):
    return licenses.suspend_license(admin(bp.current_request), id)


@bp.route("/admin/licenses/{id}/reactivate", methods=["POST"])
@answers_errors
def reactivate_license(id):
    return licenses.reactivate_license(admin(bp.current_request), id)
