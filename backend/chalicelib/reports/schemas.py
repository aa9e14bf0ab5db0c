"""Schemas of the reports API: the query (validation and the OpenAPI document share it) and
the answer (``reading`` builds it; the document describes it)."""

from __future__ import annotations

from typing import Any

from chalicelib.core.operations import TEXT, answer
from chalicelib.tickets.schemas import PRIORITIES, TAGS

MAX_WEEKS = 104  # two years of weeks: the longest range one report reads
DEFAULT_WEEKS = 12
WEEK_PATTERN = r"\d{4}-\d{2}-\d{2}|\d{4}-W\d{2}"
_WEEK = {
    "type": "string",
    "pattern": WEEK_PATTERN,
    "description": "a date like 2026-11-23 or an ISO week like 2026-W48 (UTC); a date stands for its week",
}
REPORT_QUERY = {
    "type": "object",
    "properties": {
        "from": {**_WEEK, "description": _WEEK["description"] + "; default: 11 weeks before to"},
        "to": {**_WEEK, "description": _WEEK["description"] + "; default: this week"},
    },
}

COUNT = {"type": "integer", "minimum": 0}
NULLABLE_NUMBER: dict[str, Any] = {"type": "number", "nullable": True, "minimum": 0}
WEEK_ROW = answer(
    {
        "week": {**TEXT, "description": "The ISO week, like 2026-W48."},
        "starts_on": {"type": "string", "format": "date", "description": "Its Monday."},
        "created": {**COUNT, "description": "Tickets raised that week."},
        "solved": {**COUNT, "description": "Closes that week (a ticket closed twice counts twice)."},
        "first_responses": {**COUNT, "description": "First public responses from support given that week."},
        "median_first_response_minutes": {
            **NULLABLE_NUMBER,
            "description": "Their median time since the ticket was raised: exact to the whole minute below an "
            "hour, within 2.5 % above; null without first responses.",
        },
        "csat_good": {**COUNT, "description": "Good ratings of the tickets closed that week."},
        "csat_bad": {**COUNT, "description": "Bad ratings of the tickets closed that week."},
        "csat_share": {
            **NULLABLE_NUMBER,
            "maximum": 1,
            "description": "good / (good + bad), to three decimals; null without ratings.",
        },
    }
)


def _counts(names: list[str] | None, what: str) -> dict[str, Any]:
    """Counts by a fixed list of names (every one there), or by organisation id (a map)."""
    if names is None:
        return {"type": "object", "additionalProperties": COUNT, "description": what}
    return {**answer({name: COUNT for name in names}), "description": what}


BACKLOG = answer(
    {
        "by_status": _counts(["open", "pending"], "Tickets not closed, by status."),
        "by_priority": _counts(PRIORITIES, "Tickets not closed, by priority."),
        "by_tag": _counts(TAGS, "Tickets not closed, by tag (a ticket with two tags counts under both)."),
        "by_org": _counts(None, "Tickets not closed, by organisation id (organisations with none are left out)."),
    },
    description="The tickets not closed now.",
)
REPORT = answer(
    {
        "from": {**TEXT, "description": "The first week reported, like 2026-W37."},
        "to": {**TEXT, "description": "The last week reported."},
        "weeks": {"type": "array", "items": WEEK_ROW, "description": "Every week from from to to, oldest first."},
        "backlog": BACKLOG,
    },
    description="Per week and the current backlog, from the aggregates the stream handler keeps.",
)
