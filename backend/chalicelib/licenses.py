"""License use cases: who sees which license, issuing and changing them, lookup and check-in.

No HTTP and no boto3 here. A customer's access is decided from the id alone (it carries the
organisation), so another organisation's license is a 404 without touching the table.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib import cursors
from chalicelib import license_views as views
from chalicelib import rate_limit
from chalicelib.auth import Principal
from chalicelib.errors import Conflict, Forbidden, Invalid, NotFound
from chalicelib.license_models import (
    LICENSE_SK_PREFIX,
    LICENSES_PK,
    Capability,
    DeploymentItem,
    LicenseItem,
    deployment_sk,
    expiry_sk,
    key_pk,
    license_sk,
    org_of,
)
from chalicelib.models import ORG_SK, OrganisationItem, PortalItem, org_pk
from chalicelib.storage import ConditionFailed, now, transact

_KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, no 0/O or 1/I to misread
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
KEY_SK = "#LICENSE"
DEFAULT_PAGE = 50
DEPLOYMENT_RETENTION = timedelta(days=90)


def _new_key() -> str:
    """25 symbols of 32: 125 random bits, so keys cannot be guessed (lookups are rate limited too)."""
    return "-".join("".join(secrets.choice(_KEY_ALPHABET) for _ in range(5)) for _ in range(5))


def _new_id(org: str) -> str:
    return f"{org}_{''.join(secrets.choice(_ID_ALPHABET) for _ in range(10))}"


def _condition_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", "") == "ConditionalCheckFailedException"


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("Only admins issue, renew, suspend and re-activate licenses.")


def _org_of_visible(principal: Principal, license_id: str) -> str:
    org = org_of(license_id)
    if org is None:
        raise Invalid(f"id '{license_id[:60]}' is not a license id; they look like acme_k7q2m6x4pz.")
    if not (principal.is_support or org == principal.org):
        raise _not_found(license_id)
    return org


def _not_found(license_id: str) -> NotFound:
    return NotFound(f"License {license_id} does not exist.")


def _load(org: str, license_id: str) -> tuple[LicenseItem | None, list[DeploymentItem]]:
    """The license and all its deployments: one Query on the organisation's partition."""
    license_item, deployments = None, []
    for item in PortalItem.query(org_pk(org), PortalItem.sk.startswith(license_sk(license_id))):
        if isinstance(item, LicenseItem):
            license_item = item
        elif isinstance(item, DeploymentItem):
            deployments.append(item)
    return license_item, deployments


def _by_key(key: str) -> LicenseItem | None:
    """The license with this key: one Query on gsi1, never a Scan."""
    for item in PortalItem.by_org.query(key_pk(key.upper()), limit=1):
        if isinstance(item, LicenseItem):
            return item
    return None


# --- reading ---------------------------------------------------------------------------

def list_licenses(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    """Soonest expiry first, one Query per page.

    An organisation has few licenses, so its list is one page (one Query on its partition).
    Support and admins without ``org`` page through every organisation's licenses on gsi2,
    which keeps them in expiry order.
    """
    if "org" in query and not principal.is_support:
        raise Forbidden("Only support and admins filter by organisation; you see your own organisation's licenses.")
    org = query.get("org") if principal.is_support else principal.org
    at = views.utcnow()
    if org:
        for field in ("cursor", "limit"):
            if field in query:
                raise Invalid(f"{field}: an organisation's licenses come in one page; leave it out.")
        items = LicenseItem.query(org_pk(org), LicenseItem.sk.startswith(LICENSE_SK_PREFIX))
        licenses = sorted(items, key=lambda item: (item.expires_at, item.id))
        return {"items": [views.summary(item, at) for item in licenses], "next_cursor": None}

    scope = f"licenses#{principal.user_id}"
    start = cursors.decode(query["cursor"], scope) if "cursor" in query else None
    limit = query.get("limit", DEFAULT_PAGE)
    results = PortalItem.across_orgs.query(LICENSES_PK, last_evaluated_key=start, limit=limit, page_size=limit)
    licenses = [item for item in results if isinstance(item, LicenseItem)]
    position = results.last_evaluated_key
    return {"items": [views.summary(item, at) for item in licenses],
            "next_cursor": cursors.encode(position, scope) if position else None}


def get_license(principal: Principal, license_id: str) -> dict[str, Any]:
    org = _org_of_visible(principal, license_id)
    license_item, deployments = _load(org, license_id)
    if license_item is None:
        raise _not_found(license_id)
    return views.detail(license_item, deployments, views.utcnow())


def license_for_file(principal: Principal, license_id: str) -> dict[str, Any]:
    """What the signed file carries (one GetItem): the license with its state now."""
    org = _org_of_visible(principal, license_id)
    try:
        item = LicenseItem.get(org_pk(org), license_sk(license_id))
    except LicenseItem.DoesNotExist:
        raise _not_found(license_id) from None
    return views.file_license(item, views.utcnow())


def lookup(key: str, client: str) -> dict[str, Any]:
    """Public: by key alone, rate limited per client address and per key."""
    key = key.upper()
    rate_limit.check_lookup(client, key)
    item = _by_key(key)
    if item is None:
        raise NotFound("No license has this key; check it for typos (it looks like ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2).")
    return views.public(item, views.utcnow())


_CHECKIN_MESSAGES = {
    "active": "The license is active until {expires_at}.",
    "expiring": "The license expires on {expires_at} ({days_left} days left); ask your administrator to renew it.",
    "expired": "The license expired on {expires_at}; renew it to keep using the product.",
    "suspended": "The license is suspended; contact the vendor's support to re-activate it.",
}


def checkin(data: dict[str, Any]) -> dict[str, Any]:
    """A deployed product reports in: record the deployment and answer the license's state.

    Suspended and expired licenses are recorded as well (the vendor wants to know where they
    run) and answer ``valid: false``. Two requests: the key Query and one UpdateItem. Each
    check-in pushes the deployment's TTL out by ``DEPLOYMENT_RETENTION``, which keeps an
    organisation's partition (and so its one-Query list and detail) to the instances that run.
    """
    item = _by_key(data["key"])
    if item is None:
        raise NotFound("No license has this key; check the key configured in the product.")
    at = now()
    deployment = DeploymentItem(org_pk(item.org), deployment_sk(item.id, data["instance_id"]))
    deployment.update(actions=[
        DeploymentItem.item_type.set(DeploymentItem),
        DeploymentItem.license_id.set(item.id),
        DeploymentItem.instance_id.set(data["instance_id"]),
        DeploymentItem.hostname.set(data["hostname"]),
        DeploymentItem.version.set(data["version"]),
        DeploymentItem.first_seen_at.set(DeploymentItem.first_seen_at | at),
        DeploymentItem.last_seen_at.set(at),
        # An instance silent for this long is gone; TTL drops it so the list shows what runs.
        DeploymentItem.expires.set(views.utcnow() + DEPLOYMENT_RETENTION),
    ])
    moment = views.utcnow()
    state = views.public(item, moment)
    return {
        **state,
        "valid": state["status"] in ("active", "expiring"),
        "message": _CHECKIN_MESSAGES[state["status"]].format(**state),
        "instance_id": data["instance_id"],
        "checked_in_at": at,
    }


# --- admin -----------------------------------------------------------------------------

def _capabilities(raw: list[dict[str, Any]]) -> list[Capability]:
    names = [c["name"].lower() for c in raw]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise Invalid(f"capabilities lists '{duplicates[0]}' twice; name each capability once.")
    return [Capability(name=c["name"], enabled=c.get("enabled", True), limit=c.get("limit")) for c in raw]


def issue_license(principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    require_admin(principal)
    org = data["org"]
    at = views.utcnow()
    license_id, key = _new_id(org), _new_key()
    expires_at = views.iso(at + timedelta(days=data["days"]))
    item = LicenseItem(
        org_pk(org),
        license_sk(license_id),
        id=license_id,
        org=org,
        product=data["product"],
        edition=data["edition"],
        key=key,
        issued_at=views.iso(at),
        expires_at=expires_at,
        suspended=False,
        capabilities=_capabilities(data.get("capabilities", [])),
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
            raise Invalid(f"org: there is no organisation '{org}'; create it first.") from None
        raise Conflict("A license with this id was issued at the same moment; issue it again.") from None
    return views.detail(item, [], at)


def _admin_item(principal: Principal, license_id: str) -> tuple[str, LicenseItem]:
    require_admin(principal)
    org = _org_of_visible(principal, license_id)
    try:
        return org, LicenseItem.get(org_pk(org), license_sk(license_id))
    except LicenseItem.DoesNotExist:
        raise _not_found(license_id) from None


def renew_license(principal: Principal, license_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Extend from the current expiry, or from now if it has passed, so no paid day is lost."""
    _, item = _admin_item(principal, license_id)
    at = views.utcnow()
    start = max(at, views.parse(item.expires_at))
    expires_at = views.iso(start + timedelta(days=data["days"]))
    previous = item.expires_at
    try:
        item.update(
            actions=[
                LicenseItem.expires_at.set(expires_at),
                LicenseItem.gsi2sk.set(expiry_sk(expires_at, license_id)),
                LicenseItem.updated_at.set(now()),
                LicenseItem.updated_by.set(principal.email),
            ],
            # Guards against a renewal racing this one: both would extend the same expiry.
            condition=LicenseItem.expires_at == previous,
        )
    except UpdateError as error:
        if _condition_failed(error):
            raise Conflict(f"License {license_id} was renewed meanwhile; reload it and renew again if needed.") from None
        raise
    return views.summary(item, at)


def _set_suspended(principal: Principal, license_id: str, suspended: bool) -> dict[str, Any]:
    require_admin(principal)
    org = _org_of_visible(principal, license_id)
    item = LicenseItem(org_pk(org), license_sk(license_id))
    try:
        item.update(
            actions=[
                LicenseItem.suspended.set(suspended),
                LicenseItem.updated_at.set(now()),
                LicenseItem.updated_by.set(principal.email),
            ],
            condition=LicenseItem.pk.exists() & (LicenseItem.suspended == (not suspended)),
        )
    except UpdateError as error:
        if not _condition_failed(error):
            raise
        try:
            LicenseItem.get(org_pk(org), license_sk(license_id))
        except LicenseItem.DoesNotExist:
            raise _not_found(license_id) from None
        state = "suspended" if suspended else "not suspended"
        raise Conflict(f"License {license_id} is already {state}.") from None
    return views.summary(item, views.utcnow())


def suspend_license(principal: Principal, license_id: str) -> dict[str, Any]:
    return _set_suspended(principal, license_id, True)


def reactivate_license(principal: Principal, license_id: str) -> dict[str, Any]:
    return _set_suspended(principal, license_id, False)


def admin_list(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    require_admin(principal)
    return list_licenses(principal, query)

