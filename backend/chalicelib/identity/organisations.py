"""Organisations (the tenants that own tickets and licenses) and their members."""

from __future__ import annotations

from typing import Any

from chalicelib.core.clock import now
from chalicelib.core.errors import Conflict, Forbidden, NotFound
from chalicelib.core.storage import ConditionFailed, conditional
from chalicelib.core.table import PortalItem
from chalicelib.identity.auth import Principal, require_admin
from chalicelib.identity.models import (
    ORG_SK,
    ORGS_INDEX_PK,
    USER_SK_PREFIX,
    OrganisationItem,
    UserItem,
    org_pk,
    user_sk,
)


def _view(item: OrganisationItem) -> dict[str, Any]:
    return {"org": item.org, "name": item.name, "created_at": item.created_at}


def create_organisation(principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` is valid against ``identity.schemas.ORG_CREATE``."""
    require_admin(principal)
    org = data["org"]
    item = OrganisationItem(
        org_pk(org), ORG_SK, org=org, name=data["name"], created_at=now(), gsi1pk=ORGS_INDEX_PK, gsi1sk=org
    )
    try:
        conditional(item.save, condition=OrganisationItem.pk.does_not_exist())
    except ConditionFailed:
        raise Conflict(f"Organisation '{org}' exists already.") from None
    return _view(item)


def get_organisation(org: str) -> dict[str, Any] | None:
    try:
        return _view(OrganisationItem.get(org_pk(org), ORG_SK))
    except OrganisationItem.DoesNotExist:
        return None


def list_organisations(principal: Principal) -> list[dict[str, Any]]:
    """All organisations, by id: one Query on gsi1, where every organisation is listed."""
    require_admin(principal)
    return [_view(item) for item in PortalItem.by_org.query(ORGS_INDEX_PK) if isinstance(item, OrganisationItem)]


def organisation_names(principal: Principal) -> list[dict[str, str]]:
    """Every organisation's id and name, by id, for support's organisation picker: one Query on gsi1."""
    if not principal.is_support:
        raise Forbidden("Only support and admins list the organisations.")
    items = PortalItem.by_org.query(ORGS_INDEX_PK)
    return [{"org": item.org, "name": item.name} for item in items if isinstance(item, OrganisationItem)]


def record_member(org: str, email: str, roles: list[str]) -> None:
    UserItem(org_pk(org), user_sk(email), email=email.lower(), org=org, roles=roles, created_at=now()).save()


def org_members(org: str) -> list[dict[str, Any]]:
    """Every member of the organisation: one Query on its partition (who gets its mail)."""
    return [
        {"email": item.email, "org": item.org, "roles": list(item.roles or [])}
        for item in UserItem.query(org_pk(org), UserItem.sk.startswith(USER_SK_PREFIX))
    ]


def list_org_users(principal: Principal, org: str) -> list[dict[str, Any]]:
    """An organisation's users for support's on-behalf picker: one Query on its members."""
    if not principal.is_support:
        raise Forbidden("Only support and admins list an organisation's users.")
    users = org_members(org)
    if not users and get_organisation(org) is None:  # only an empty answer needs telling apart
        raise NotFound(f"There is no organisation '{org}'.")
    return users
