"""Routes of identity: who am I, and the admin's organisations and users."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.http import admin, answers_errors, created, json_body, principal
from chalicelib.core.operations import Operation
from chalicelib.core.validation import validate
from chalicelib.identity import organisations, users
from chalicelib.identity.schemas import ORG, ORG_CREATE, USER_INVITE

bp = Blueprint(__name__)

OPERATIONS = [
    Operation("get", "/me", "Who is signed in: user, organisation, roles", errors=(401,), tag="Identity"),
    Operation(
        "get",
        "/orgs/{org}/users",
        "The users of an organisation (support and admin)",
        errors=(400, 401, 403, 404),
        tag="Identity",
        description="For raising a ticket on a customer's behalf: the requester is one of these users.",
    ),
    Operation("get", "/admin/organisations", "List organisations", errors=(401, 403), tag="Admin"),
    Operation(
        "post",
        "/admin/organisations",
        "Create an organisation",
        body=ORG_CREATE,
        success=201,
        errors=(400, 401, 403, 409, 413),
        tag="Admin",
    ),
    Operation(
        "post",
        "/admin/users",
        "Invite a user (Cognito mails a temporary password)",
        body=USER_INVITE,
        success=201,
        errors=(400, 401, 403, 409, 413),
        tag="Admin",
    ),
]


@bp.route("/me", methods=["GET"])
@answers_errors
def me():
    return principal(bp.current_request).as_dict()


@bp.route("/orgs/{org}/users", methods=["GET"])
@answers_errors
def list_org_users(org):
    caller = principal(bp.current_request)
    return {"items": organisations.list_org_users(caller, validate(org, ORG, "org"))}


@bp.route("/admin/organisations", methods=["GET"])
@answers_errors
def list_organisations():
    return {"items": organisations.list_organisations(admin(bp.current_request))}


@bp.route("/admin/organisations", methods=["POST"])
@answers_errors
def create_organisation():
    request = bp.current_request
    caller = admin(request)
    return created(organisations.create_organisation(caller, json_body(request, ORG_CREATE)))


@bp.route("/admin/users", methods=["POST"])
@answers_errors
def invite_user():
    request = bp.current_request
    caller = admin(request)
    return created(users.invite_user(caller, json_body(request, USER_INVITE)))
