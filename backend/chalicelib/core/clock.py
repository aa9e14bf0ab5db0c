"""The one clock and the one way times are written: UTC ISO-8601, in two precisions.

``stamp`` (to the microsecond) is the stored form of every change, so keys built from it sort
in the order things happened; ``iso`` (to the second) is the form of dates people read and
products compare, such as a license's expiry. ``parse`` reads either back.
"""

from __future__ import annotations

from datetime import UTC, datetime

_PRECISE = "%Y-%m-%dT%H:%M:%S.%fZ"
_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


def utcnow() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """``2026-12-01T09:00:00.123456Z``: sorts as text in time order."""
    return moment.astimezone(UTC).strftime(_PRECISE)


def now() -> str:
    """The stamp of this moment."""
    return stamp(utcnow())


def iso(moment: datetime) -> str:
    """``2027-11-23T09:00:00Z``: dates to the second."""
    return moment.astimezone(UTC).strftime(_SECONDS)


def parse(text: str) -> datetime:
    """A time written by ``stamp`` or ``iso``, as an aware UTC datetime."""
    return datetime.strptime(text, _PRECISE if "." in text else _SECONDS).replace(tzinfo=UTC)
