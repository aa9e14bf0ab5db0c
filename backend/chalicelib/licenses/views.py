"""What a license looks like to each audience, with its status derived from the clock.

Status is never stored: ``suspended`` is a flag, the rest follows from ``expires_at`` at the
moment of reading, so a list, a lookup and a check-in can never disagree or go stale.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from chalicelib.core.clock import parse
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


def summary(item: LicenseItem, at: datetime) -> dict[str, Any]:
    return {
        "id": item.id,
        "org": item.org,
        **public(item, at),
        "issued_at": item.issued_at,
        "key_masked": masked(item.key),
    }


def deployment(item: DeploymentItem) -> dict[str, Any]:
    return {
        "instance_id": item.instance_id,
        "hostname": item.hostname,
        "version": item.version,
        "first_seen_at": item.first_seen_at,
        "last_seen_at": item.last_seen_at,
    }


def detail(item: LicenseItem, deployments: Iterable[DeploymentItem], at: datetime) -> dict[str, Any]:
    return {
        **summary(item, at),
        "key": item.key,
        "updated_at": item.updated_at,
        "updated_by": item.updated_by,
        "deployments": sorted((deployment(d) for d in deployments), key=lambda d: d["last_seen_at"], reverse=True),
    }


def file_license(item: LicenseItem, at: datetime) -> dict[str, Any]:
    """The license as a signed file carries it: enough for the product to decide offline."""
    return {
        "id": item.id,
        "org": item.org,
        "product": item.product,
        "edition": item.edition,
        "key": item.key,
        "status": status(item, at),
        "issued_at": item.issued_at,
        "expires_at": item.expires_at,
        "capabilities": capabilities(item),
    }
