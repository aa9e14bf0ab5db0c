"""Idempotency-Key: a retried create or response returns what the first call made.

The record is written in the same transaction as the change, with ``attribute_not_exists``;
a retry's transaction fails on it, and the stored result names what the first call made.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from chalicelib.core.clock import utcnow
from chalicelib.core.errors import Conflict, Invalid
from chalicelib.core.storage import ConditionFailed
from chalicelib.tickets.models import IdempotencyItem

TTL = timedelta(days=1)


def fingerprint(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def record(scope: str, key: str, result: str, digest: str) -> IdempotencyItem:
    """The record of this call (``digest`` is its request's fingerprint), to write with the change."""
    if not 1 <= len(key) <= 128 or not key.isprintable():
        raise Invalid("Idempotency-Key must be 1 to 128 printable characters.")
    expires = utcnow() + TTL
    return IdempotencyItem(f"IDEMPOTENCY#{scope}#{key}", "#RESULT", result=f"{digest}:{result}", expires=expires)


def earlier_result(written: IdempotencyItem | None, failure: ConditionFailed, digest: str) -> str | None:
    """When this call is a retry (its idempotency record exists), what the first call made."""
    if written is None or not failure.hit(written.pk):
        return None
    return stored_result(written, digest)


def stored_result(written: IdempotencyItem | None, digest: str) -> str | None:
    """What the first call with this key made, if there was one (a change refused on the state
    it left behind is still answered as the first call was)."""
    if written is None:
        return None
    try:
        stored = IdempotencyItem.get(written.pk, written.sk)
    except IdempotencyItem.DoesNotExist:
        return None
    stored_digest, _, result = stored.result.partition(":")
    if stored_digest != digest:
        raise Conflict("This Idempotency-Key was already used for a different request; use a new key.")
    return result
