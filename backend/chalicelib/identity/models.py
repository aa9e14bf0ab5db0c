"""Items of organisations (the tenants that own tickets and licenses) and their members."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, UnicodeAttribute

from chalicelib.core.table import PortalItem

ORG_SK = "#ORG"
ORGS_INDEX_PK = "ORGS"  # gsi1 partition listing every organisation
USER_SK_PREFIX = "USER#"


class OrganisationItem(PortalItem, discriminator="organisation"):
    org = UnicodeAttribute()
    name = UnicodeAttribute()
    created_at = UnicodeAttribute()


class UserItem(PortalItem, discriminator="user"):
    """A member of an organisation: who gets the organisation's mail (license reminders)."""

    email = UnicodeAttribute()
    org = UnicodeAttribute()
    roles = ListAttribute(of=UnicodeAttribute, default=list)
    created_at = UnicodeAttribute()


def org_pk(org: str) -> str:
    return f"ORG#{org}"


def user_sk(email: str) -> str:
    return f"{USER_SK_PREFIX}{email.lower()}"


def member_key(org: str, email: str) -> tuple[str, str]:
    """The key of the item that makes ``email`` a user of ``org``."""
    return org_pk(org), user_sk(email)
