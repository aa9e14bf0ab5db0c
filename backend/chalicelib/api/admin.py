"""Admin routes for organisations and users (licenses have their own blueprint)."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib import organisations, users
from chalicelib.api.http import answers_errors, created, json_body, principal
from chalicelib.errors import Forbidden
from chalicelib.schemas import ORG_CREATE, USER_INVITE

bp = Blueprint(__name__)


def require_admin(request):
    caller = principal(request)
    if not caller.is_admin:
        raise Forbidden("Only admins manage organisations, users and licenses.")
    return caller


@bp.route("/admin/organisations", methods=["GET"])
@answers_errors
def list_organisations():
    require_admin(bp.current_request)
    return {"items": organisations.list_organisations()}


@bp.route("/admin/organisations", methods=["POST"])
@answers_errors
def create_organisation():
    request = bp.current_request
    require_admin(request)
    data = json_body(request, ORG_CREATE)
    return created(organisations.create_organisation(data["org"], data["name"]))


@bp.route("/admin/users", methods=["POST"])
@answers_errors
def invite_user():
    request = bp.current_request
    require_admin(request)
    data = json_body(request, USER_INVITE)
    return created(users.invite_user(data["email"], data["org"], data.get("roles", [])))
