"""Admin routes for licenses: issue, renew, suspend, re-activate, list any organisation's."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib import licenses
from chalicelib.api.http import answers_errors, created, json_body, principal
from chalicelib.license_schemas import LICENSE_ISSUE, LICENSE_LIST_QUERY, LICENSE_RENEW
from chalicelib.validation import query_params

bp = Blueprint(__name__)


@bp.route("/admin/licenses", methods=["GET"])
@answers_errors
def list_licenses():
    request = bp.current_request
    caller = principal(request)
    return licenses.admin_list(caller, query_params(request.query_params, LICENSE_LIST_QUERY))


@bp.route("/admin/licenses", methods=["POST"])
@answers_errors
def issue_license():
    request = bp.current_request
    caller = principal(request)
    return created(licenses.issue_license(caller, json_body(request, LICENSE_ISSUE)))


@bp.route("/admin/licenses/{license_id}/renew", methods=["POST"])
@answers_errors
def renew_license(license_id):
    request = bp.current_request
    caller = principal(request)
    return licenses.renew_license(caller, license_id, json_body(request, LICENSE_RENEW))


@bp.route("/admin/licenses/{license_id}/suspend", methods=["POST"])
@answers_errors
def suspend_license(license_id):
    return licenses.suspend_license(principal(bp.current_request), license_id)


@bp.route("/admin/licenses/{license_id}/reactivate", methods=["POST"])
@answers_errors
def reactivate_license(license_id):
    return licenses.reactivate_license(principal(bp.current_request), license_id)
