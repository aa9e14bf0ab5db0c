"""GET /reports/tickets: the weeks asked for and the backlog, from the aggregates (two Queries,
each read to its end: at most 104 weeks of a few counts and histogram buckets, and one count
per status, priority, tag and organisation with open tickets). Never reads a ticket."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from chalicelib.core.clock import utcnow
from chalicelib.core.errors import Forbidden, Invalid
from chalicelib.identity.auth import Principal
from chalicelib.reports import weeks
from chalicelib.reports.models import BACKLOG_PK, WEEKS_PK, ReportCountItem
from chalicelib.reports.schemas import DEFAULT_WEEKS, MAX_WEEKS
from chalicelib.tickets.schemas import PRIORITIES, TAGS


def _week(name: str, text: str) -> str:
    """A date or an ISO week as its ISO week; a 400 naming the parameter otherwise."""
    try:
        if re.fullmatch(r"\d{4}-W\d{2}", text):
            year, number = text.split("-W")
            return weeks.week_of(date.fromisocalendar(int(year), int(number), 1))
        return weeks.week_of(date.fromisoformat(text))
    except ValueError:
        raise Invalid(f"{name}: {text} is not a date (like 2026-11-23) or an ISO week (like 2026-W48).") from None


def _range(query: dict[str, Any]) -> tuple[str, str]:
    last = _week("to", query["to"]) if "to" in query else weeks.week_of(utcnow())
    if "from" in query:
        first = _week("from", query["from"])
    else:
        try:
            first = weeks.week_of(weeks.monday(last) - timedelta(weeks=DEFAULT_WEEKS - 1))
        except OverflowError:  # "to" in the first weeks of the year 1
            first = weeks.week_of(date.min)
    if first > last:
        raise Invalid(f"from: {first} is after to ({last}); send from before to.")
    count = (weeks.monday(last) - weeks.monday(first)).days // 7 + 1
    if count > MAX_WEEKS:
        raise Invalid(f"from: the range is {count} weeks; a report covers at most {MAX_WEEKS}.")
    return first, last


def ticket_report(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    if not principal.is_support:
        raise Forbidden("Reports are for support.")
    first, last = _range(query)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    condition = ReportCountItem.sk.between(f"{first}#", f"{last}#~")
    for item in ReportCountItem.query(WEEKS_PK, condition):
        week, measure = item.sk.split("#", 1)
        if measure.startswith("first_response#"):
            histograms[week][int(measure.split("#")[1])] = int(item.value)
        else:
            counts[week][measure] = int(item.value)
    return {
        "from": first,
        "to": last,
        "weeks": [_row(week, counts[week], histograms[week]) for week in weeks.weeks_between(first, last)],
        "backlog": _backlog(),
    }


def _row(week: str, counts: dict[str, int], histogram: dict[int, int]) -> dict[str, Any]:
    good, bad = max(0, counts.get("csat#good", 0)), max(0, counts.get("csat#bad", 0))
    return {
        "week": week,
        "starts_on": weeks.monday(week).isoformat(),
        "created": max(0, counts.get("created", 0)),
        "solved": max(0, counts.get("solved", 0)),
        "first_responses": max(0, sum(histogram.values())),
        "median_first_response_minutes": weeks.median(histogram),
        "csat_good": good,
        "csat_bad": bad,
        "csat_share": round(good / (good + bad), 3) if good + bad else None,
    }


def _backlog() -> dict[str, dict[str, int]]:
    backlog: dict[str, dict[str, int]] = {
        "by_status": dict.fromkeys(("open", "pending"), 0),
        "by_priority": dict.fromkeys(PRIORITIES, 0),
        "by_tag": dict.fromkeys(TAGS, 0),
        "by_org": {},
    }
    for item in ReportCountItem.query(BACKLOG_PK):
        dimension, value = item.sk.split("#", 1)
        group = backlog.get(f"by_{dimension}")
        if group is None or int(item.value) <= 0 or (dimension != "org" and value not in group):
            continue
        group[value] = int(item.value)
    backlog["by_org"] = dict(sorted(backlog["by_org"].items()))
    return backlog
