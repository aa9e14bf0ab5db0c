"""Organisations: the tenants that own tickets and licenses."""
from __future__ import annotations

from typing import Any

from chalicelib.errors import Conflict
from chalicelib.models import ORG_SK, OrganisationItem, org_pk
from chalicelib.schemas import ORG
from chalicelib.storage import now
from chalicelib.validation import validate


def create_organisation(org: str, name: str) -> dict[str, Any]:
    org = validate(org, ORG, "org")
    item = OrganisationItem(org_pk(org), ORG_SK, org=org, name=name.strip() or org, created_at=now())
    try:
        item.save(condition=OrganisationItem.pk.does_not_exist())
    except Exception as error:  # PutError wrapping ConditionalCheckFailed
        if "ConditionalCheckFailed" in str(error):
            raise Conflict(f"Organisation '{org}' exists already.") from None
        raise
    return {"org": org, "name": item.name, "created_at": item.created_at}


def get_organisation(org: str) -> dict[str, Any] | None:
    try:
        item = OrganisationItem.get(org_pk(org), ORG_SK)
    except OrganisationItem.DoesNotExist:
        return None
    return {"org": item.org, "name": item.name, "created_at": item.created_at}
