"""Routes of identity: who am I, and the admin's organisations and users."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.http import admin, answers_errors, created, json_body, principal
from chalicelib.core.operations import Link, Operation
from chalicelib.core.validation import validate
from chalicelib.identity import organisations, users
from chalicelib.identity.schemas import (
    INVITED_USER,
    ME,
    ORG,
    ORG_CREATE,
    ORG_NAME_LIST,
    ORG_USER_LIST,
    ORGANISATION,
    ORGANISATION_LIST,
    USER_INVITE,
)

bp = Blueprint(__name__)

_ORG = "$response.body#/org"
OPERATIONS = [
    Operation("get", "/me", "Who is signed in: user, organisation, roles", response=ME, errors=(401,), tag="Identity"),
    Operation(
        "get",
        "/orgs",
        "Every organisation's id and name (support and admin)",
        response=ORG_NAME_LIST,
        errors=(401, 403),
        tag="Identity",
        description="For the agent console's organisation picker: support filters the queue by a name.",
        error_text={403: "Customers cannot list the organisations."},
    ),
    Operation(
        "get",
        "/orgs/{org}/users",
        "The users of an organisation (support and admin)",
        response=ORG_USER_LIST,
        errors=(400, 401, 403, 404),
        tag="Identity",
        description="For raising a ticket on a customer's behalf: the requester is one of these users.",
        error_text={403: "Customers cannot list users.", 404: "There is no such organisation."},
    ),
    Operation(
        "get", "/admin/organisations", "List organisations", response=ORGANISATION_LIST, errors=(401, 403), tag="Admin"
    ),
    Operation(
        "post",
        "/admin/organisations",
        "Create an organisation",
        body=ORG_CREATE,
        success=201,
        response=ORGANISATION,
        errors=(400, 401, 403, 409, 413),
        tag="Admin",
        error_text={409: "An organisation with this id exists already."},
        links=(
            Link("InviteUser", "post", "/admin/users", body={"org": _ORG}),
            Link("IssueLicense", "post", "/admin/licenses", body={"org": _ORG}),
            Link("ItsLicenses", "get", "/admin/licenses", {"org": _ORG}),
            Link("ItsTickets", "get", "/tickets", {"org": _ORG}),
            Link("RaiseTicket", "post", "/tickets", body={"org": _ORG}),
        ),
    ),
    Operation(
        "post",
        "/admin/users",
        "Invite a user (Cognito mails a temporary password)",
        body=USER_INVITE,
        success=201,
        response=INVITED_USER,
        errors=(400, 401, 403, 404, 409, 413),
        tag="Admin",
        error_text={
            400: "Bad input; the message names the field. Cognito's own e-mail check is stricter than the "
            "pattern here (it refuses addresses such as 0@0.0): such an address is refused naming email.",
            404: "The org named does not exist; create it first.",
            409: "A user with this e-mail exists already.",
        },
        links=(Link("RaiseTicketFor", "post", "/tickets", body={"org": _ORG, "requester": "$response.body#/email"}),),
    ),
]


@bp.route("/me", methods=["GET"])
@answers_errors
def me():
    return principal(bp.current_request).as_dict()


@bp.route("/orgs", methods=["GET"])
@answers_errors
def list_org_names():
    return {"items": organisations.organisation_names(principal(bp.current_request))}


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
