"""What a license looks like to each audience, with its status derived from the clock.

Status is never stored: ``suspended`` is a flag, the rest follows from ``expires_at`` at the
moment of reading, so a list, a lookup and a check-in can never disagree or go stale.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from chalicelib.core.clock import iso, parse
from chalicelib.licenses.models import DeploymentItem, LicenseItem

EXPIRING_WITHIN = timedelta(days=30)


def status(item: LicenseItem, at: datetime) -> str:
    if item.suspended:
        return "suspended"
    expires = parse(item.expires_at)
    if expires <= at:
        return "expired"
    return "expiring" if expires - at <= EXPIRING_WITHIN else "active"


def days_left(item: LicenseItem, at: datetime) -> int:
    """Whole days until expiry, rounded up; zero or negative once expired."""
    return math.ceil((parse(item.expires_at) - at).total_seconds() / 86400)


def masked(key: str) -> str:
    return "-".join(["*****"] * 4 + [key[-5:]])


def capabilities(item: LicenseItem) -> list[dict[str, Any]]:
    out = []
    for capability in item.capabilities or []:
        entry: dict[str, Any] = {"name": capability.name, "enabled": bool(capability.enabled)}
        if capability.limit:
            entry["limit"] = capability.limit
        out.append(entry)
    return out


def public(item: LicenseItem, at: datetime) -> dict[str, Any]:
    """What anyone holding the key may see: nothing about the organisation."""
    return {
        "product": item.product,
        "edition": item.edition,
        "status": status(item, at),
        "expires_at": item.expires_at,
        "days_left": days_left(item, at),
        "capabilities": capabilities(item),
    }


def max_deployments(item: LicenseItem) -> int | None:
    return None if item.max_deployments is None else int(item.max_deployments)


def deployments_total(item: LicenseItem) -> int:
    return int(item.deployment_count or 0)


def summary(item: LicenseItem, at: datetime) -> dict[str, Any]:
    return {
        "id": item.id,
        "org": item.org,
        **public(item, at),
        "issued_at": item.issued_at,
        "key_masked": masked(item.key),
        "max_deployments": max_deployments(item),
        "deployments_total": deployments_total(item),
    }


def deployment(item: DeploymentItem) -> dict[str, Any]:
    return {
        "instance_id": item.instance_id,
        "hostname": item.hostname,
        "version": item.version,
        "first_seen_at": item.first_seen_at,
        "last_seen_at": item.last_seen_at,
    }


def detail(
    item: LicenseItem, deployments: Iterable[DeploymentItem], at: datetime, next_cursor: str | None = None
) -> dict[str, Any]:
    """The license with one page of its deployments (most recently seen first within the page);
    ``deployments_total`` counts them all, ``deployments_next_cursor`` pages on."""
    return {
        **summary(item, at),
        "key": item.key,
        "updated_at": item.updated_at,
        "updated_by": item.updated_by,
        "deployments": sorted((deployment(d) for d in deployments), key=lambda d: d["last_seen_at"], reverse=True),
        "deployments_next_cursor": next_cursor,
    }


def entitlement_code(name: str) -> str:
    """Keygen's entitlement code for a capability name: ``High availability`` -> ``HIGH_AVAILABILITY``."""
    return re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") or "CAPABILITY"


def file_dataset(item: LicenseItem, at: datetime) -> dict[str, Any]:
    """The license as Keygen's license-file dataset carries it (JSON:API ``data`` and ``included``).

    Field names and shapes follow Keygen's license object, so Keygen's SDKs read it unchanged;
    only enabled capabilities are entitlements (a product tests an entitlement's presence),
    each with a stable UUID derived from the license and the capability's name.
    """
    updated = iso(parse(item.updated_at))
    entitlements = [
        {
            "type": "entitlements",
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"license:{item.id}/entitlement:{capability['name']}")),
            "attributes": {
                "name": capability["name"],
                "code": entitlement_code(capability["name"]),
                "metadata": {"limit": capability.get("limit")},
                "created": item.issued_at,
                "updated": updated,
            },
        }
        for capability in capabilities(item)
        if capability["enabled"]
    ]
    return {
        "data": {
            "type": "licenses",
            "id": item.id,
            "attributes": {
                "name": f"{item.product} {item.edition}",
                "key": item.key,
                "expiry": item.expires_at,
                "status": status(item, at).upper(),
                "suspended": bool(item.suspended),
                "maxMachines": max_deployments(item),
                "metadata": {"org": item.org, "product": item.product, "edition": item.edition},
                "created": item.issued_at,
                "updated": updated,
            },
        },
        "included": entitlements,
    }
