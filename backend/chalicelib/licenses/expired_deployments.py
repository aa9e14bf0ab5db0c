"""Stream side of activation limits: a deployment that DynamoDB's TTL removed frees its slot.

A release through the API changes the license's ``deployment_count`` in its own transaction;
TTL deletions happen outside any request, so the stream handler counts them down here. Each
removal is counted once: a marker item per stream record is written in the same transaction
as the decrement, so a retried batch changes nothing twice. Only the stream handler imports this.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pynamodb.attributes import UnicodeAttribute

from chalicelib.core.clock import utcnow
from chalicelib.core.storage import ConditionFailed, transact
from chalicelib.core.table import PortalItem
from chalicelib.licenses.models import LicenseItem, license_sk

MARK_SK = "#FREED"
_TTL_DELETER = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


class FreedSlotItem(PortalItem, discriminator="freed_slot"):
    """The stream record of one TTL removal whose slot was counted down (kept two days)."""

    license_id = UnicodeAttribute()


def _ttl_removed_deployment(record: dict[str, Any]) -> dict[str, str] | None:
    if record.get("eventName") != "REMOVE" or record.get("userIdentity") != _TTL_DELETER:
        return None
    image = (record.get("dynamodb") or {}).get("OldImage") or {}
    if (image.get("type") or {}).get("S") != "deployment":
        return None
    return {"pk": image["pk"]["S"], "license_id": image["license_id"]["S"]}


def free_slot(record: dict[str, Any]) -> bool:
    """Count down the license of a deployment TTL removed; True unless the write failed."""
    removed = _ttl_removed_deployment(record)
    if removed is None:
        return True
    marker = FreedSlotItem(f"FREED#{record['eventID']}", MARK_SK, license_id=removed["license_id"])
    marker.expires = utcnow() + timedelta(days=2)  # a stream keeps records 24 hours
    license_item = LicenseItem(removed["pk"], license_sk(removed["license_id"]))

    def build(tx: Any) -> None:
        tx.save(marker, condition=FreedSlotItem.pk.does_not_exist())
        tx.update(
            license_item,
            actions=[LicenseItem.deployment_count.add(-1)],
            condition=LicenseItem.pk.exists() & (LicenseItem.deployment_count > 0),
        )

    try:
        transact(build)
    except ConditionFailed:
        pass  # counted already, or the license is gone, or nothing is counted: nothing to free
    except Exception:  # throttled, unavailable: the record is retried with its batch
        return False
    return True


def free_slots(event: dict[str, Any]) -> list[dict[str, str]]:
    """The batch item failures (Lambda's partial batch response) of this part of the handler."""
    return [
        {"itemIdentifier": record["dynamodb"]["SequenceNumber"]}
        for record in event.get("Records", [])
        if not free_slot(record)
    ]
