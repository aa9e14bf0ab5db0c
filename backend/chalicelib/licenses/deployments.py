"""Deployments: a product's check-in (rate limited, within the activation limit) and a release.

A license counts its deployments in ``deployment_count``; the transactions that add and
release a deployment change that counter too, and adding one carries the limit as the
counter's condition, so two new instances racing for the last slot cannot both get it.
No HTTP and no boto3 here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.core import rate_limit
from chalicelib.core.clock import now, utcnow
from chalicelib.core.errors import Forbidden, NotFound
from chalicelib.core.storage import ConditionFailed, conditional, transact
from chalicelib.identity.auth import Principal
from chalicelib.identity.models import org_pk
from chalicelib.licenses import views
from chalicelib.licenses.access import by_key, not_found, org_of_visible
from chalicelib.licenses.models import DeploymentItem, LicenseItem, deployment_sk, license_sk

DEPLOYMENT_RETENTION = timedelta(days=90)

_CHECKIN_MESSAGES = {
    "active": "The license is active until {expires_at}.",
    "expiring": "The license expires on {expires_at} ({days_left} days left); ask your administrator to renew it.",
    "expired": "The license expired on {expires_at}; renew it to keep using the product.",
    "suspended": "The license is suspended; contact the vendor's support to re-activate it.",
}


def _report(data: dict[str, Any], at: str) -> list[Any]:
    """What each check-in writes on the deployment: its latest report and a fresh TTL."""
    return [
        DeploymentItem.hostname.set(data["hostname"]),
        DeploymentItem.version.set(data["version"]),
        DeploymentItem.last_seen_at.set(at),
        # An instance silent for this long is gone; TTL drops it so the list shows what runs.
        DeploymentItem.expires.set(utcnow() + DEPLOYMENT_RETENTION),
    ]


def _limit_reached(item: LicenseItem) -> Forbidden:
    limit = views.max_deployments(item)
    return Forbidden(
        f"License {item.id} allows {limit} deployment{'s' if limit != 1 else ''} (max_deployments) and "
        f"all are in use; release one that no longer runs on the license's page in the portal, or ask "
        f"the vendor for a higher limit."
    )


def _add(item: LicenseItem, data: dict[str, Any], at: str) -> None:
    """A new instance: the deployment and the counter in one transaction, within the limit."""
    deployment = DeploymentItem(org_pk(item.org), deployment_sk(item.id, data["instance_id"]))
    license_item = LicenseItem(org_pk(item.org), license_sk(item.id))
    within_limit = (
        LicenseItem.max_deployments.does_not_exist()
        | LicenseItem.deployment_count.does_not_exist()
        | (LicenseItem.deployment_count < LicenseItem.max_deployments)
    )

    def build(tx: TransactWrite) -> None:
        tx.update(
            deployment,
            actions=[
                DeploymentItem.item_type.set(DeploymentItem),
                DeploymentItem.license_id.set(item.id),
                DeploymentItem.instance_id.set(data["instance_id"]),
                DeploymentItem.first_seen_at.set(at),
                *_report(data, at),
            ],
            condition=DeploymentItem.pk.does_not_exist(),
        )
        tx.update(
            license_item,
            actions=[LicenseItem.deployment_count.add(1)],
            condition=LicenseItem.pk.exists() & within_limit,
        )

    transact(build)


def checkin(data: dict[str, Any], client: str) -> dict[str, Any]:
    """A deployed product reports in: record the deployment and answer the license's state.

    Rate limited per client address and per key before the key is read. A known instance is
    one conditional UpdateItem; a new one (that update's condition failed) is one transaction
    that also counts it against ``max_deployments``, refused with 403 beyond it. Suspended and
    expired licenses are recorded as well (the vendor wants to know where they run) and answer
    ``valid: false``. Each check-in pushes the deployment's TTL out by ``DEPLOYMENT_RETENTION``.
    """
    key = data["key"].upper()
    rate_limit.check_checkin(client, key)
    item = by_key(key)
    if item is None:
        raise NotFound("No license has this key; check the key configured in the product.")
    at = now()
    deployment = DeploymentItem(org_pk(item.org), deployment_sk(item.id, data["instance_id"]))
    for _ in range(2):  # a second round only if another check-in of this instance added it meanwhile
        try:
            conditional(deployment.update, actions=_report(data, at), condition=DeploymentItem.pk.exists())
            break
        except ConditionFailed:
            pass
        try:
            _add(item, data, at)
            break
        except ConditionFailed as failed:
            if failed.hit(org_pk(item.org), license_sk(item.id)):
                raise _limit_reached(item) from None
    state = views.public(item, utcnow())
    return {
        **state,
        "valid": state["status"] in ("active", "expiring"),
        "message": _CHECKIN_MESSAGES[state["status"]].format(**state),
        "instance_id": data["instance_id"],
        "checked_in_at": at,
        "max_deployments": views.max_deployments(item),
    }


def release(principal: Principal, license_id: str, instance_id: str) -> None:
    """Remove a deployment and free its slot: one transaction (the delete and the counter).

    Customers of the organisation, support and admins may; another organisation gets 404.
    The instance may check in again later, as a new one (within the limit).
    """
    org = org_of_visible(principal, license_id)
    if not instance_id or len(instance_id) > 128:
        raise NotFound(f"License {license_id} has no deployment '{instance_id[:60]}'.")
    deployment = DeploymentItem(org_pk(org), deployment_sk(license_id, instance_id))
    license_item = LicenseItem(org_pk(org), license_sk(license_id))

    def build(tx: TransactWrite) -> None:
        tx.delete(deployment, condition=DeploymentItem.pk.exists())
        tx.update(license_item, actions=[LicenseItem.deployment_count.add(-1)], condition=LicenseItem.pk.exists())

    try:
        transact(build)
    except ConditionFailed as failed:
        if failed.hit(org_pk(org), license_sk(license_id)):
            raise not_found(license_id) from None
        raise NotFound(
            f"License {license_id} has no deployment '{instance_id[:60]}'; it may have been released already."
        ) from None
