"""The daily expiry-reminder run: one reminder item per (license, threshold, expiry).

Mail goes through the durable path: this only writes ``LicenseReminderItem``s with
``attribute_not_exists(pk)``, and the stream handler mails the organisation when one is
inserted. So a second run on the same day writes nothing, and a late run still catches a
threshold crossed since, while a license already inside 7 days never gets the 30-day one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.core.clock import iso, now, parse, utcnow
from chalicelib.core.storage import ConditionFailed, conditional
from chalicelib.core.table import PortalItem
from chalicelib.licenses import views
from chalicelib.licenses.models import LICENSES_PK, LicenseItem, LicenseReminderItem, reminder_pk, reminder_sk

THRESHOLDS = (1, 7, 30)  # days before expiry, the nearest first


def due_threshold(expires_at: datetime, at: datetime) -> int | None:
    """The nearest threshold already crossed, or None if the license is far off or expired."""
    remaining = expires_at - at
    if remaining <= timedelta(0):
        return None
    return next((days for days in THRESHOLDS if remaining <= timedelta(days=days)), None)


def send_expiry_reminders(at: datetime | None = None) -> list[dict[str, Any]]:
    """Write the reminders due at ``at``; returns those written by this run.

    One Query on gsi2 (every license by expiry, only the next 30 days) plus one conditional
    PutItem per license in that window.
    """
    at = at or utcnow()
    horizon = iso(at + timedelta(days=max(THRESHOLDS)))
    written = []
    licenses = PortalItem.across_orgs.query(LICENSES_PK, PortalItem.gsi2sk.between(iso(at), horizon + "#~"))
    for item in licenses:
        if not isinstance(item, LicenseItem) or item.suspended:
            continue
        days = due_threshold(parse(item.expires_at), at)
        if days is None:
            continue
        reminder = LicenseReminderItem(
            reminder_pk(item.id),
            reminder_sk(days, item.expires_at),
            org=item.org,
            license_id=item.id,
            product=item.product,
            edition=item.edition,
            expires_at=item.expires_at,
            days_before=days,
            days_left=views.days_left(item, at),
            created_at=now(),
        )
        try:
            conditional(reminder.save, condition=LicenseReminderItem.pk.does_not_exist())
        except ConditionFailed:
            continue  # already written by an earlier run: exactly once
        written.append({"license_id": item.id, "org": item.org, "days_before": days, "expires_at": item.expires_at})
    return written
