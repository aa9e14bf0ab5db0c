"""Admin routes for licenses: issue, renew, suspend, re-activate, list any organisation's."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib import licenses
from chalicelib.api.http import answers_errors, created, json_body, principal
from chalicelib.license_schemas import LICENSE_ISSUE, LICENSE_LIST_QUERY, LICENSE_RENEW
from chalicelib.validation import query_params

bp = Blueprint(__name__)


def admin(request):
    """The caller, refused before their input is read: a non-admin learns nothing of the schema."""
    caller = principal(request)
    licenses.require_admin(caller)
    return caller


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


@bp.route("/admin/licenses/{id}/suspend", methods=["POST"])
@answers_errors
def suspend_license(id):
    return licenses.suspend_license(admin(bp.current_request), id)


@bp.route("/admin/licenses/{id}/reactivate", methods=["POST"])
@answers_errors
def reactivate_license(id):
    return licenses.reactivate_license(admin(bp.current_request), id)
