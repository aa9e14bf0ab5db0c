"""Organisations (the tenants that own tickets and licenses) and their members."""
from __future__ import annotations

from typing import Any

from pynamodb.exceptions import PutError

from chalicelib.errors import Conflict
from chalicelib.models import ORG_SK, ORGS_INDEX_PK, OrganisationItem, PortalItem, UserItem, org_pk, user_sk
from chalicelib.schemas import ORG
from chalicelib.storage import now
from chalicelib.validation import validate


def _conditional_failure(error: PutError) -> bool:
    return getattr(error, "cause_response_code", "") == "ConditionalCheckFailedException"


def create_organisation(org: str, name: str) -> dict[str, Any]:
    org = validate(org, ORG, "org")
    item = OrganisationItem(org_pk(org), ORG_SK, org=org, name=name.strip() or org, created_at=now(),
                            gsi1pk=ORGS_INDEX_PK, gsi1sk=org)
    try:
        item.save(condition=OrganisationItem.pk.does_not_exist())
    except PutError as error:
        if _conditional_failure(error):
            raise Conflict(f"Organisation '{org}' exists already.") from None
        raise
    return {"org": org, "name": item.name, "created_at": item.created_at}


def get_organisation(org: str) -> dict[str, Any] | None:
    try:
        item = OrganisationItem.get(org_pk(org), ORG_SK)
    except OrganisationItem.DoesNotExist:
        return None
    return {"org": item.org, "name": item.name, "created_at": item.created_at}


def list_organisations() -> list[dict[str, Any]]:
    """All organisations, by id: one Query on gsi1, where every organisation is listed."""
    return [
        {"org": item.org, "name": item.name, "created_at": item.created_at}
        for item in PortalItem.by_org.query(ORGS_INDEX_PK)
        if isinstance(item, OrganisationItem)
    ]


def record_member(org: str, email: str, roles: list[str]) -> None:
    UserItem(org_pk(org), user_sk(email), email=email.lower(), org=org, roles=roles, created_at=now()).save()


def list_org_users(org: str) -> list[dict[str, Any]]:
    """Every member of the organisation: one Query on its partition."""
    return [
        {"email": item.email, "org": item.org, "roles": list(item.roles or [])}
        for item in UserItem.query(org_pk(org), UserItem.sk.startswith("USER#"))
    ]
