"""Reading the table's stream: which records make mail, and their images as plain values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Events that are history lines only (internal notes still reach an assignee who did not write them).
HISTORY_ONLY = ("follower_added", "follower_removed", "rated")


@dataclass(frozen=True)
class Source:
    """A stream record that makes mail: a ticket event or a license expiry reminder."""

    kind: str  # "event" or "license_reminder"
    key: str  # identifies the event across retries and replays
    item: dict[str, Any]


def source_of(record: dict[str, Any]) -> Source | None:
    """Only INSERTs of events and reminders make mail (by the raw ``type``, so the reminder
    model's module need not be imported here)."""
    if record.get("eventName") != "INSERT":
        return None
    image = (record.get("dynamodb") or {}).get("NewImage") or {}
    kind = (image.get("type") or {}).get("S")
    if kind not in ("event", "license_reminder"):
        return None
    item = plain(image)
    if kind == "event":
        if item.get("kind") in HISTORY_ONLY:
            return None  # no mail to anybody: no reads, no writes
        return Source(kind, f"event:{item['id']}", item)
    return Source(kind, f"reminder:{item['pk']}:{item['sk']}", item)


def plain(image: dict[str, Any]) -> dict[str, Any]:
    """A stream image (DynamoDB JSON) as plain Python values."""
    return {name: _value(attribute) for name, attribute in image.items()}


def _value(attribute: dict[str, Any]) -> Any:
    [(tag, raw)] = attribute.items()
    return _DECODERS[tag](raw)


def _number(raw: str) -> int | float:
    number = float(raw)
    return int(number) if number.is_integer() and "e" not in raw.lower() else number


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "S": str,
    "N": _number,
    "BOOL": bool,
    "NULL": lambda raw: None,
    "M": lambda raw: plain(raw),
    "L": lambda raw: [_value(attribute) for attribute in raw],
    "SS": list,
    "NS": lambda raw: [_number(n) for n in raw],
    "B": lambda raw: raw,
    "BS": list,
}
