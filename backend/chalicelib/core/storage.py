"""The storage edge: one connection, transactions, and failed conditions made one error.

Every write carries its rule as a condition; ``transact`` (many items) and ``conditional``
(one item) are the two ways to write, and both turn a failed condition into
``ConditionFailed``, which the use cases translate into the domain error that fits.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.core.config import settings

_ATTEMPTS = 4
T = TypeVar("T")


class ConditionFailed(Exception):
    """A write was refused because its condition failed.

    For a transaction, ``partitions`` holds the ``pk`` of every item whose condition failed,
    and ``keys`` its ``(pk, sk)``, so the caller can tell which rule was broken (``keys`` tells
    apart two items of one partition). ``items`` has, by ``(pk, sk)``, the item as it stood when
    its write asked for it (``return_values="ALL_OLD"``): what the caller needs to try again
    without reading.
    """

    def __init__(
        self,
        keys: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
        items: dict[tuple[str, str], dict[str, Any]] | None = None,
    ):
        super().__init__(f"condition failed for {sorted(keys)}")
        self.keys = frozenset(keys)
        self.partitions = frozenset(pk for pk, _ in keys)
        self.items = items or {}

    def hit(self, pk: str, sk: str | None = None) -> bool:
        return (pk, sk) in self.keys if sk is not None else pk in self.partitions


def _item_keys(transaction: TransactWrite) -> list[tuple[str, str]]:
    """The (pk, sk) of each item, in the order PynamoDB sends them (and DynamoDB reports reasons)."""
    operations = (
        transaction._condition_check_items
        + transaction._delete_items
        + transaction._put_items
        + transaction._update_items
    )
    # Puts carry the whole Item; condition checks, deletes and updates carry only its Key.
    keys = [op["Key"] if "Key" in op else op["Item"] for op in operations]
    return [(key["pk"]["S"], key["sk"]["S"]) for key in keys]


@functools.lru_cache(maxsize=1)
def connection() -> Connection:
    config = settings()
    return Connection(region=config.region, host=config.endpoint_url)


def conditional(write: Callable[..., T], **arguments: Any) -> T:
    """``write(**arguments)``: one conditional PutItem, UpdateItem or DeleteItem (a model's
    ``save``, ``update`` or ``delete``); its failed condition raises ``ConditionFailed``, any
    other storage error propagates."""
    try:
        return write(**arguments)
    except (PutError, UpdateError, DeleteError) as error:
        if getattr(error, "cause_response_code", "") == "ConditionalCheckFailedException":
            raise ConditionFailed() from None
        raise


def transact(build: Callable[[TransactWrite], None]) -> None:
    """Run one TransactWriteItems built by ``build``; retried only on transaction conflicts."""
    for attempt in range(_ATTEMPTS):
        transaction = TransactWrite(connection=connection())
        try:
            with transaction:
                build(transaction)
            return
        except TransactWriteError as error:
            reasons = error.cancellation_reasons or []
            codes = [reason.code if reason else None for reason in reasons]
            keys = _item_keys(transaction)
            failed = {keys[i] for i, code in enumerate(codes) if code == "ConditionalCheckFailed"}
            if failed:
                items = {
                    keys[i]: reason.raw_item
                    for i, reason in enumerate(reasons)
                    if reason and reason.code == "ConditionalCheckFailed" and reason.raw_item
                }
                raise ConditionFailed(failed, items) from None
            if attempt + 1 < _ATTEMPTS and "TransactionConflict" in codes:
                # Another writer held the ticket for a moment: back off and go again.
                time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
                continue
            raise
