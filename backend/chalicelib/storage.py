"""The storage edge: one connection, transactions, and storage errors made domain-shaped."""
from __future__ import annotations

import functools
import random
import time
from datetime import datetime, timezone
from typing import Callable

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.config import settings

_ATTEMPTS = 4


class ConditionFailed(Exception):
    """A transaction was cancelled because a condition of one of its items failed.

    ``failed`` holds the positions (in the order the items were added) whose condition
    failed, so the caller can tell which rule was broken.
    """

    def __init__(self, failed: list[int]):
        super().__init__(f"condition failed for items {failed}")
        self.failed = failed


@functools.lru_cache(maxsize=1)
def connection() -> Connection:
    config = settings()
    return Connection(region=config.region, host=config.endpoint_url)


def now() -> str:
    """UTC ISO-8601 with microseconds: sorts as text in time order."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def transact(build: Callable[[TransactWrite], None]) -> None:
    """Run one TransactWriteItems built by ``build``; retried only on transaction conflicts."""
    for attempt in range(_ATTEMPTS):
        try:
            with TransactWrite(connection=connection()) as transaction:
                build(transaction)
            return
        except TransactWriteError as error:
            codes = [reason.code if reason else None for reason in error.cancellation_reasons or []]
            failed = [i for i, code in enumerate(codes) if code == "ConditionalCheckFailed"]
            if failed:
                raise ConditionFailed(failed) from None
            if attempt + 1 < _ATTEMPTS and "TransactionConflict" in codes:
                # Another writer held the ticket for a moment: back off and go again.
                time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
                continue
            raise
