"""Local stack: demo licenses in every state.

Licenses are issued and checked in through the same use cases as the API; only the expired
ones have their expiry moved into the past afterwards, since no use case issues a license
that has already expired.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

GATEWAY_CAPABILITIES = [
    {"name": "Throughput", "limit": "10 Gbps"},
    {"name": "High availability"},
    {"name": "TLS inspection", "limit": "2 Gbps"},
    {"name": "Traffic reports", "enabled": False},
]
ANALYTICS_CAPABILITIES = [
    {"name": "Seats", "limit": "50 users"},
    {"name": "Data retention", "limit": "13 months"},
    {"name": "Scheduled exports"},
]

# (org, product, edition, days, capabilities, state, deployments as (instance, hostname, version))
# Deployment limits (max_deployments) are in LIMITS: Acme's Gateway Enterprise has used all of its.
DEMO_LICENSES = [
    (
        "acme",
        "Vendor Gateway",
        "Enterprise",
        365,
        GATEWAY_CAPABILITIES,
        "active",
        [("gw-fra-01", "gw01.fra.acme.example", "4.3.0"), ("gw-fra-02", "gw02.fra.acme.example", "4.2.1")],
    ),
    (
        "acme",
        "Vendor Analytics",
        "Standard",
        12,
        ANALYTICS_CAPABILITIES,
        "expiring",
        [("an-01", "analytics.acme.example", "2.8.4")],
    ),
    (
        "acme",
        "Vendor Gateway",
        "Lab",
        90,
        GATEWAY_CAPABILITIES[:2],
        "expired",
        [("gw-lab", "gw-lab.acme.example", "4.1.7")],
    ),
    ("acme", "Vendor Gateway", "Standard", 200, GATEWAY_CAPABILITIES[:1], "suspended", []),
    (
        "globex",
        "Vendor Analytics",
        "Professional",
        240,
        ANALYTICS_CAPABILITIES,
        "active",
        [("bi-prod", "bi.globex.example", "2.9.0")],
    ),
    (
        "globex",
        "Vendor Gateway",
        "Standard",
        5,
        GATEWAY_CAPABILITIES[:1] + GATEWAY_CAPABILITIES[3:],
        "expiring",
        [("edge-1", "edge1.globex.example", "4.2.1"), ("edge-2", "edge2.globex.example", "4.2.1")],
    ),
    ("globex", "Vendor Gateway", "Enterprise", 30, GATEWAY_CAPABILITIES, "expired", []),
    (
        "globex",
        "Vendor Analytics",
        "Standard",
        120,
        ANALYTICS_CAPABILITIES[:1],
        "suspended",
        [("bi-test", "bi-test.globex.example", "2.7.0")],
    ),
]


# The limit reached on Acme's Gateway Enterprise: a third instance's check-in is refused (403).
LIMITS = {
    ("acme", "Vendor Gateway", "Enterprise"): 2,
    ("acme", "Vendor Analytics", "Standard"): 5,
    ("globex", "Vendor Gateway", "Standard"): 10,
}


def _expire(license_id: str, org: str, days_ago: int) -> None:
    from chalicelib.core.clock import iso
    from chalicelib.licenses.models import LicenseItem, expiry_sk, license_key

    stamp = iso(datetime.now(UTC) - timedelta(days=days_ago))
    LicenseItem(*license_key(org, license_id)).update(
        actions=[LicenseItem.expires_at.set(stamp), LicenseItem.gsi2sk.set(expiry_sk(stamp, license_id))]
    )


def seed_licenses() -> None:
    """Issue the demo licenses (once: an organisation that has licenses is left alone)."""
    from chalicelib.identity.auth import operator
    from chalicelib.licenses import admin as license_admin
    from chalicelib.licenses.deployments import checkin

    admin = operator("demo")
    orgs = {entry[0] for entry in DEMO_LICENSES}
    seeded = {org for org in orgs if license_admin.admin_list(admin, {"org": org})["items"]}
    for org, product, edition, days, capabilities, state, deployments in DEMO_LICENSES:
        if org in seeded:
            continue
        limit = LIMITS.get((org, product, edition))
        issued = license_admin.issue_license(
            admin,
            {
                "org": org,
                "product": product,
                "edition": edition,
                "days": days,
                "capabilities": capabilities,
                "max_deployments": limit,
            },
        )
        for instance_id, hostname, version in deployments:
            checkin(
                {"key": issued["key"], "instance_id": instance_id, "hostname": hostname, "version": version},
                client=f"demo-seed:{issued['id']}",
            )
        if state == "suspended":
            license_admin.suspend_license(admin, issued["id"])
        elif state == "expired":
            _expire(issued["id"], org, days_ago=9)
