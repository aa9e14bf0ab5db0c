"""Items of mail: the marker that makes each notification go out exactly once per recipient."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute

from chalicelib.core.table import PortalItem

MARK_SK = "#SENT"


class NotificationMarkerItem(PortalItem, discriminator="notification_marker"):
    """Which recipients of one event were mailed, and how often sending failed."""

    event_key = UnicodeAttribute()
    sent = UnicodeSetAttribute(null=True)
    attempts = NumberAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    dead_lettered_at = UnicodeAttribute(null=True)


def marker_pk(key: str) -> str:
    return f"NOTIFY#{key}"
