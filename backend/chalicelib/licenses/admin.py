"""The admin's license use cases: issue, renew, suspend, re-activate, and the list of every license."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from chalicelib.core.clock import iso, now, parse, utcnow
from chalicelib.core.errors import Conflict, Invalid, NotFound
from chalicelib.core.storage import ConditionFailed, conditional, transact
from chalicelib.identity.auth import Principal, require_admin
from chalicelib.identity.models import ORG_SK, OrganisationItem, org_pk
from chalicelib.licenses import views
from chalicelib.licenses.access import list_licenses, not_found, org_of_visible, visible_license
from chalicelib.licenses.models import KEY_SK, LICENSES_PK, Capability, LicenseItem, expiry_sk, key_pk, license_sk

LAST_YEAR = 9000  # far beyond any license, and far from datetime's year 9999 limit
_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, no 0/O or 1/I to misread
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def _new_key() -> str:
    """25 symbols of 32: 125 random bits, so keys cannot be guessed (lookups are rate limited too)."""
    return "-".join("".join(secrets.choice(_KEY_ALPHABET) for _ in range(5)) for _ in range(5))


def _new_id(org: str) -> str:
    return f"{org}_{''.join(secrets.choice(_ID_ALPHABET) for _ in range(10))}"


def _capabilities(raw: list[dict[str, Any]]) -> list[Capability]:
    names = [c["name"].lower() for c in raw]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise Invalid(f"capabilities lists '{duplicates[0]}' twice; name each capability once.")
    return [Capability(name=c["name"], enabled=c.get("enabled", True), limit=c.get("limit")) for c in raw]


def issue_license(principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    require_admin(principal)
    org = data["org"]
    at = utcnow()
    license_id, key = _new_id(org), _new_key()
    expires_at = iso(at + timedelta(days=data["days"]))
    item = LicenseItem(
        org_pk(org),
        license_sk(license_id),
        id=license_id,
        org=org,
        product=data["product"],
        edition=data["edition"],
        key=key,
        issued_at=iso(at),
        expires_at=expires_at,
        suspended=False,
        capabilities=_capabilities(data.get("capabilities", [])),
        max_deployments=data.get("max_deployments"),
        deployment_count=0,
        updated_at=now(),
        updated_by=principal.email,
        gsi1pk=key_pk(key),
        gsi1sk=KEY_SK,
        gsi2pk=LICENSES_PK,
        gsi2sk=expiry_sk(expires_at, license_id),
    )

    def build(tx):
        tx.condition_check(OrganisationItem, org_pk(org), ORG_SK, condition=OrganisationItem.pk.exists())
        tx.save(item, condition=LicenseItem.pk.does_not_exist())

    try:
        transact(build)
    except ConditionFailed:
        # Both items live in the organisation's partition: read which rule failed.
        try:
            OrganisationItem.get(org_pk(org), ORG_SK)
        except OrganisationItem.DoesNotExist:
            raise NotFound(f"org: there is no organisation '{org}'; create it first.") from None
        raise Conflict("A license with this id was issued at the same moment; issue it again.") from None
    return views.detail(item, [], at)


def renew_license(principal: Principal, license_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Extend from the current expiry, or from now if it has passed, so no paid day is lost."""
    require_admin(principal)
    item = visible_license(principal, license_id)
    at = utcnow()
    start = max(at, parse(item.expires_at))
    if start.year + data["days"] // 365 + 1 > LAST_YEAR:  # datetime itself stops at 9999
        raise Invalid(f"days: renewing by {data['days']} days would take the expiry past the year {LAST_YEAR}.")
    expires_at = iso(start + timedelta(days=data["days"]))
    previous = item.expires_at
    try:
        conditional(
            item.update,
            actions=[
                LicenseItem.expires_at.set(expires_at),
                LicenseItem.gsi2sk.set(expiry_sk(expires_at, license_id)),
                LicenseItem.updated_at.set(now()),
                LicenseItem.updated_by.set(principal.email),
            ],
            # Guards against a renewal racing this one: both would extend the same expiry.
            condition=LicenseItem.expires_at == previous,
        )
    except ConditionFailed:
        raise Conflict(f"License {license_id} was renewed meanwhile; reload it and renew again if needed.") from None
    return views.summary(item, at)


def change_license(principal: Principal, license_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Set the deployment limit (the one setting changed in place); one conditional UpdateItem."""
    require_admin(principal)
    org = org_of_visible(principal, license_id)
    item = LicenseItem(org_pk(org), license_sk(license_id))
    limit = data["max_deployments"]
    try:
        conditional(
            item.update,
            actions=[
                LicenseItem.max_deployments.remove() if limit is None else LicenseItem.max_deployments.set(limit),
                LicenseItem.updated_at.set(now()),
                LicenseItem.updated_by.set(principal.email),
            ],
            condition=LicenseItem.pk.exists(),
        )
    except ConditionFailed:
        raise not_found(license_id) from None
    return views.summary(item, utcnow())


def _set_suspended(principal: Principal, license_id: str, suspended: bool) -> dict[str, Any]:
    require_admin(principal)
    org = org_of_visible(principal, license_id)
    item = LicenseItem(org_pk(org), license_sk(license_id))
    try:
        conditional(
            item.update,
            actions=[
                LicenseItem.suspended.set(suspended),
                LicenseItem.updated_at.set(now()),
                LicenseItem.updated_by.set(principal.email),
            ],
            condition=LicenseItem.pk.exists() & (LicenseItem.suspended == (not suspended)),
        )
    except ConditionFailed:
        try:
            LicenseItem.get(org_pk(org), license_sk(license_id))
        except LicenseItem.DoesNotExist:
            raise not_found(license_id) from None
        state = "suspended" if suspended else "not suspended"
        raise Conflict(f"License {license_id} is already {state}.") from None
    return views.summary(item, utcnow())


def suspend_license(principal: Principal, license_id: str) -> dict[str, Any]:
    return _set_suspended(principal, license_id, True)


def reactivate_license(principal: Principal, license_id: str) -> dict[str, Any]:
    return _set_suspended(principal, license_id, False)


def admin_list(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    require_admin(principal)
    return list_licenses(principal, query)
