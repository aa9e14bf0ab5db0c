"""`bin/portal org ...` and `bin/portal user ...`: through the same use cases as the admin API."""

from __future__ import annotations

import argparse

from infra.admin.target import acting_admin


def register(subparsers: argparse._SubParsersAction) -> None:
    org = subparsers.add_parser("org", help="organisations").add_subparsers(dest="action", required=True)
    create = org.add_parser("create", help="create an organisation")
    create.add_argument("org", help="id: lower-case letters, digits, dashes (e.g. acme)")
    create.add_argument("name", help='display name (e.g. "Acme Corp")')
    create.set_defaults(run=_create_org)
    org.add_parser("list", help="list organisations").set_defaults(run=_list_orgs)

    user = subparsers.add_parser("user", help="users").add_subparsers(dest="action", required=True)
    invite = user.add_parser("invite", help="invite a user; Cognito mails a temporary password")
    invite.add_argument("email")
    invite.add_argument("--org", required=True)
    invite.add_argument(
        "--group", action="append", choices=["support", "admin"], default=[], help="add to a group (repeatable)"
    )
    invite.set_defaults(run=_invite)
    members = user.add_parser("list", help="list an organisation's users")
    members.add_argument("--org", required=True)
    members.set_defaults(run=_list_users)


def _create_org(args) -> str:
    from chalicelib.core.validation import validate
    from chalicelib.identity.organisations import create_organisation
    from chalicelib.identity.schemas import ORG_CREATE

    created = create_organisation(acting_admin(), validate({"org": args.org, "name": args.name}, ORG_CREATE))
    return f"Created organisation {created['org']} ({created['name']})."


def _list_orgs(args) -> str:
    from chalicelib.identity.organisations import list_organisations

    rows = list_organisations(acting_admin())
    return "\n".join(f"{o['org']:<20} {o['name']}" for o in rows) or "No organisations yet."


def _invite(args) -> str:
    from chalicelib.core.validation import validate
    from chalicelib.identity.schemas import USER_INVITE
    from chalicelib.identity.users import invite_user

    data = validate({"email": args.email, "org": args.org, "roles": args.group}, USER_INVITE)
    invited = invite_user(acting_admin(), data)
    roles = f" as {', '.join(invited['roles'])}" if invited["roles"] else ""
    return f"Invited {invited['email']} to {invited['org']}{roles}; Cognito mails the temporary password."


def _list_users(args) -> str:
    from chalicelib.identity.organisations import list_org_users

    rows = list_org_users(acting_admin(), args.org)
    return "\n".join(f"{u['email']:<36} {', '.join(u['roles']) or 'customer'}" for u in rows) or "No users."
