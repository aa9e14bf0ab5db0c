"""Items of reports: one count per (week, measure) or backlog dimension, and the marker of each
stream record already counted (the key table is in ``chalicelib.core.table``)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute

from chalicelib.core.table import PortalItem

WEEKS_PK = "REPORT#WEEKS"  # sk <week>#created|solved|csat#good|csat#bad|first_response#<bucket>
BACKLOG_PK = "REPORT#BACKLOG"  # sk status#<s>|priority#<p>|tag#<t>|org#<org>
APPLIED_SK = "#APPLIED"


class ReportCountItem(PortalItem, discriminator="report_count"):
    """One number of the reports, moved by ADD (never read before it is written)."""

    value = NumberAttribute(default=0)


class AppliedRecordItem(PortalItem, discriminator="report_applied"):
    """A stream record whose counts were added, written in the same transaction (kept two days)."""


def applied_pk(event_id: str) -> str:
    return f"REPORTED#{event_id}"
