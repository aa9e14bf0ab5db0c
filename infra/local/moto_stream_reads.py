"""moto's GetRecords answered as JSON directly, not through its generic response serializer.

The serializer walks every attribute of every record against the service model: about 1.5 ms a
record, so a full batch of 100 held the emulator's one lock for about 150 ms, and every API
request behind it waited while the stream worker caught up after a burst of writes. The records
are DynamoDB JSON already; only their creation time needs writing as epoch seconds.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

DEFAULT_LIMIT = 1000  # moto's, and DynamoDB Streams'
ORIGINAL_GET_RECORDS = DynamoDBStreamsHandler.get_records  # kept for the test that compares the two


def _epoch_seconds(value: Any) -> float:
    if isinstance(value, datetime):  # moto stamps records with naive UTC datetimes
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.timestamp()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def get_records(self: DynamoDBStreamsHandler) -> str:
    limit = self._get_param("Limit")
    result = self.backend.get_records(self._get_param("ShardIterator"), DEFAULT_LIMIT if limit is None else limit)
    return json.dumps(result, default=_epoch_seconds, separators=(",", ":"))


def install() -> None:
    """Patch moto's streams handler (idempotent)."""
    DynamoDBStreamsHandler.get_records = get_records  # type: ignore[method-assign,assignment]
