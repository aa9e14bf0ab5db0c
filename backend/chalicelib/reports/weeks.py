"""ISO weeks (UTC) as the reports name them, ``2026-W48``, and the first-response histogram's
buckets: whole minutes below an hour, then buckets 5 % wide (a median within 2.5 %)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from chalicelib.core.clock import parse

EXACT_MINUTES = 60  # below an hour, a bucket per whole minute
RATIO = 1.05  # above, each bucket is 5 % wider than the one before


def week_of(moment: datetime | date) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_of_stamp(text: str) -> str:
    return week_of(parse(text))


def monday(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def weeks_between(first: str, last: str) -> list[str]:
    """Every week from ``first`` to ``last``, both included."""
    start, end = monday(first), monday(last)
    return [week_of(start + timedelta(weeks=n)) for n in range((end - start).days // 7 + 1)]


def bucket(minutes: float) -> int:
    """The histogram bucket of a first-response time: 0-59 the whole minute, then 60 + k for
    [60 * 1.05**k, 60 * 1.05**(k+1)) minutes."""
    if minutes < EXACT_MINUTES:
        return max(0, int(minutes))
    return EXACT_MINUTES + int(math.floor(math.log(minutes / EXACT_MINUTES) / math.log(RATIO) + 1e-9))


def bucket_minutes(index: int) -> float:
    """The time a bucket stands for: its whole minute, or the geometric middle of its range
    (at most 2.5 % from any time in it)."""
    if index < EXACT_MINUTES:
        return float(index)
    low = EXACT_MINUTES * RATIO ** (index - EXACT_MINUTES)
    return low * math.sqrt(RATIO)


def median(histogram: dict[int, int]) -> float | None:
    """The median of the times a histogram counts (the mean of the two middle ones for an even
    count), each time as its bucket stands for it; None for no times."""
    total = sum(histogram.values())
    if total <= 0:
        return None
    ordered = sorted((index, count) for index, count in histogram.items() if count > 0)

    def nth(position: int) -> float:  # 0-based
        seen = 0
        for index, count in ordered:
            seen += count
            if position < seen:
                return bucket_minutes(index)
        return bucket_minutes(ordered[-1][0])

    middle = (nth((total - 1) // 2) + nth(total // 2)) / 2
    return round(middle, 1)
