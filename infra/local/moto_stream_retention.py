"""moto's table streams keep 24 hours of records, as DynamoDB Streams does, instead of all of them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from moto.core.utils import utcnow
from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodb.models.table import StreamShard

RETENTION = timedelta(hours=24)


def _created(record: Any) -> Any:
    # moto stamps each record with a naive UTC datetime when it is added.
    return record.record["dynamodb"]["ApproximateCreationDateTime"]


def trim(shard: StreamShard) -> None:
    """Drop the records older than the retention period from the front of the shard.

    moto numbers a record ``starting_sequence_number + its index`` and shard iterators hold
    sequence numbers, so the start moves up by as many records as are dropped: every kept
    record keeps its number, open iterators still point at the same record, and TRIM_HORIZON
    and LATEST stay right.
    """
    items = shard.items
    if not items or _created(items[0]) >= utcnow() - RETENTION:
        return  # the common case: one comparison per record added
    cut_off = utcnow() - RETENTION
    expired = 0
    while expired < len(items) and _created(items[expired]) < cut_off:
        expired += 1
    del items[:expired]
    shard.starting_sequence_number += expired


def install() -> None:
    """Patch moto's StreamShard (idempotent) to trim on every record added."""
    if getattr(StreamShard.add, "trims_to_retention", False):
        return
    add, get = StreamShard.add, StreamShard.get

    def add_and_trim(self: StreamShard, old: Item | None, new: Item | None) -> None:
        add(self, old, new)
        trim(self)

    def get_retained(self: StreamShard, start: int, quantity: int) -> list[dict[str, Any]]:
        # An iterator left behind the trimmed records reads on from the oldest one kept
        # (moto would fail its index assertion).
        return get(self, max(start, self.starting_sequence_number), quantity)

    add_and_trim.trims_to_retention = True  # type: ignore[attr-defined]
    StreamShard.add = add_and_trim  # type: ignore[method-assign]
    StreamShard.get = get_retained  # type: ignore[method-assign]
