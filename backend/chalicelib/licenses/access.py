"""Reading licenses: who sees which license, its detail and file contents, lookup and check-in.

No HTTP and no boto3 here. A customer's access is decided from the id alone (it carries the
organisation), so another organisation's license is a 404 without touching the table.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.core import cursors, rate_limit
from chalicelib.core.clock import now, utcnow
from chalicelib.core.errors import Forbidden, Invalid, NotFound
from chalicelib.core.table import PortalItem
from chalicelib.identity.auth import Principal
from chalicelib.identity.models import org_pk
from chalicelib.licenses import views
from chalicelib.licenses.models import (
    LICENSE_SK_PREFIX,
    LICENSES_PK,
    DeploymentItem,
    LicenseItem,
    deployment_sk,
    key_pk,
    license_sk,
    org_of,
)

DEFAULT_PAGE = 50
DEPLOYMENT_RETENTION = timedelta(days=90)


def org_of_visible(principal: Principal, license_id: str) -> str:
    org = org_of(license_id)
    if org is None:
        raise Invalid(f"id '{license_id[:60]}' is not a license id; they look like acme_k7q2m6x4pz.")
    if not (principal.is_support or org == principal.org):
        raise not_found(license_id)
    return org


def not_found(license_id: str) -> NotFound:
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


def list_licenses(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    """Soonest expiry first, one Query per page.

    An organisation has few licenses, so its list is one page (one Query on its partition).
    Support and admins without ``org`` page through every organisation's licenses on gsi2,
    which keeps them in expiry order.
    """
    if "org" in query and not principal.is_support:
        raise Forbidden("Only support and admins filter by organisation; you see your own organisation's licenses.")
    org = query.get("org") if principal.is_support else principal.org
    at = utcnow()
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
    return {
        "items": [views.summary(item, at) for item in licenses],
        "next_cursor": cursors.encode(position, scope) if position else None,
    }


def get_license(principal: Principal, license_id: str) -> dict[str, Any]:
    org = org_of_visible(principal, license_id)
    license_item, deployments = _load(org, license_id)
    if license_item is None:
        raise not_found(license_id)
    return views.detail(license_item, deployments, utcnow())


def license_for_file(principal: Principal, license_id: str) -> dict[str, Any]:
    """What the signed file carries (one GetItem): the license with its state now."""
    org = org_of_visible(principal, license_id)
    try:
        item = LicenseItem.get(org_pk(org), license_sk(license_id))
    except LicenseItem.DoesNotExist:
        raise not_found(license_id) from None
    return views.file_license(item, utcnow())


def lookup(key: str, client: str) -> dict[str, Any]:
    """Public: by key alone (as pasted: spaces around it dropped), rate limited per client and key."""
    key = key.strip().upper()
    rate_limit.check_lookup(client, key)
    item = _by_key(key)
    if item is None:
        raise NotFound("No license has this key; check it for typos (it looks like ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2).")
    return views.public(item, utcnow())


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
    deployment.update(
        actions=[
            DeploymentItem.item_type.set(DeploymentItem),
            DeploymentItem.license_id.set(item.id),
            DeploymentItem.instance_id.set(data["instance_id"]),
            DeploymentItem.hostname.set(data["hostname"]),
            DeploymentItem.version.set(data["version"]),
            DeploymentItem.first_seen_at.set(DeploymentItem.first_seen_at | at),
            DeploymentItem.last_seen_at.set(at),
            # An instance silent for this long is gone; TTL drops it so the list shows what runs.
            DeploymentItem.expires.set(utcnow() + DEPLOYMENT_RETENTION),
        ]
    )
    moment = utcnow()
    state = views.public(item, moment)
    return {
        **state,
        "valid": state["status"] in ("active", "expiring"),
        "message": _CHECKIN_MESSAGES[state["status"]].format(**state),
        "instance_id": data["instance_id"],
        "checked_in_at": at,
    }
