"""Reading licenses: who sees which license, its detail, deployments and file contents, lookup.

No HTTP and no boto3 here. A customer's access is decided from the id alone (it carries the
organisation), so another organisation's license is a 404 without touching the table.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import cursors, rate_limit
from chalicelib.core.clock import utcnow
from chalicelib.core.errors import Conflict, Forbidden, Invalid, NotFound
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
DEPLOYMENTS_PAGE = 50  # deployments in a license's detail (and in each further page)


def org_of_visible(principal: Principal, license_id: str) -> str:
    org = org_of(license_id)
    if org is None:
        raise Invalid(f"id '{license_id[:60]}' is not a license id; they look like acme_k7q2m6x4pz.")
    if not (principal.is_support or org == principal.org):
        raise not_found(license_id)
    return org


def not_found(license_id: str) -> NotFound:
    return NotFound(f"License {license_id} does not exist.")


def visible_license(principal: Principal, license_id: str) -> LicenseItem:
    """The license item (one GetItem) if the principal may see it; otherwise 400 or 404."""
    org = org_of_visible(principal, license_id)
    try:
        return LicenseItem.get(org_pk(org), license_sk(license_id))
    except LicenseItem.DoesNotExist:
        raise not_found(license_id) from None


def _load(org: str, license_id: str) -> tuple[LicenseItem | None, list[DeploymentItem], dict[str, Any] | None]:
    """The license and the first page of its deployments: one Query on the organisation's
    partition (the license's sort key comes first), with the key to page on from."""
    license_item, deployments = None, []
    results = PortalItem.query(
        org_pk(org), PortalItem.sk.startswith(license_sk(license_id)), limit=DEPLOYMENTS_PAGE + 1
    )
    for item in results:
        if isinstance(item, LicenseItem):
            license_item = item
        elif isinstance(item, DeploymentItem):
            deployments.append(item)
    return license_item, deployments, results.last_evaluated_key


def deployments_scope(principal: Principal, license_id: str) -> str:
    return f"deployments#{principal.user_id}#{license_id}"


def by_key(key: str) -> LicenseItem | None:
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
    license_item, deployments, position = _load(org, license_id)
    if license_item is None:
        raise not_found(license_id)
    more = position is not None and views.deployments_total(license_item) > len(deployments)
    cursor = cursors.encode(position, deployments_scope(principal, license_id)) if more and position else None
    return views.detail(license_item, deployments, utcnow(), cursor)


def list_deployments(principal: Principal, license_id: str, query: dict[str, Any]) -> dict[str, Any]:
    """The next page of a license's deployments (one Query), from the detail's cursor."""
    org = org_of_visible(principal, license_id)
    scope = deployments_scope(principal, license_id)
    start = cursors.decode(query["cursor"], scope) if "cursor" in query else None
    results = DeploymentItem.query(
        org_pk(org),
        DeploymentItem.sk.startswith(deployment_sk(license_id, "")),
        last_evaluated_key=start,
        limit=DEPLOYMENTS_PAGE,
    )
    page = [views.deployment(item) for item in results if isinstance(item, DeploymentItem)]
    position = results.last_evaluated_key
    return {"items": page, "next_cursor": cursors.encode(position, scope) if position else None}


def license_for_file(principal: Principal, license_id: str) -> dict[str, Any]:
    """What the signed file carries (one GetItem): Keygen's dataset of the license now.

    A file lets a product run offline until the file expires, so a license that may not run
    now gets none: a suspended or expired license is a Conflict naming what to do instead.
    """
    item = visible_license(principal, license_id)
    at = utcnow()
    state = views.status(item, at)
    if state == "suspended":
        raise Conflict(
            f"License {license_id} is suspended, so it gets no license file; "
            "ask the vendor's support to re-activate it."
        )
    if state == "expired":
        raise Conflict(
            f"License {license_id} expired on {item.expires_at}, so it gets no license file; request a renewal first."
        )
    return views.file_dataset(item, at)


def lookup(key: str, client: str) -> dict[str, Any]:
    """Public: by key alone (as pasted: spaces around it dropped), rate limited per client and key."""
    key = key.strip().upper()
    rate_limit.check_lookup(client, key)
    item = by_key(key)
    if item is None:
        raise NotFound("No license has this key; check it for typos (it looks like ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2).")
    return views.public(item, utcnow())
