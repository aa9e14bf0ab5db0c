"""Fixed one-minute request windows counted in DynamoDB, so a limit holds across Lambda instances.

Each (scope, caller, minute) is one item whose ``count`` is raised by a conditional ADD: the
condition refuses the request that would pass the limit, so there is no read-then-write and
no race. DynamoDB's TTL removes old windows. Callers are stored as digests, never in clear.
"""

from __future__ import annotations

import hashlib
import math
import time
from datetime import UTC, datetime

from pynamodb.attributes import NumberAttribute

from chalicelib.core.config import settings
from chalicelib.core.errors import RateLimited
from chalicelib.core.storage import ConditionFailed, conditional
from chalicelib.core.table import PortalItem

WINDOW_SECONDS = 60
_clock = time.time  # tests move it to cross window boundaries on purpose


class RateWindowItem(PortalItem, discriminator="rate_window"):
    """Requests counted in one fixed minute; DynamoDB's TTL deletes it afterwards."""

    # Named ``requests`` in Python because ``Model.count`` is PynamoDB's query-count classmethod;
    # the stored attribute keeps its name.
    requests = NumberAttribute(attr_name="count", default=0)


def hit(scope: str, caller: str, limit: int, at: float | None = None, what: str = "requests") -> None:
    """Count one request of ``caller`` in ``scope``; raise RateLimited once ``limit`` is reached.

    ``what`` names the requests in the message ("lookups", "check-ins")."""
    at = _clock() if at is None else at
    window = int(at // WINDOW_SECONDS)
    digest = hashlib.sha256(caller.encode()).hexdigest()[:32]
    item = RateWindowItem(f"RATE#{scope}#{digest}#{window}", "#WINDOW")
    window_end = (window + 1) * WINDOW_SECONDS
    try:
        conditional(
            item.update,
            actions=[
                RateWindowItem.item_type.set(RateWindowItem),
                RateWindowItem.requests.add(1),
                # Kept one window longer than needed: TTL deletion is lazy anyway.
                RateWindowItem.expires.set(datetime.fromtimestamp(window_end + WINDOW_SECONDS, UTC)),
            ],
            condition=RateWindowItem.requests.does_not_exist() | (RateWindowItem.requests < limit),
        )
    except ConditionFailed:
        retry_after = max(1, math.ceil(window_end - at))
        raise RateLimited(
            f"Too many {what} {'from your address' if scope.endswith('client') else 'of this key'} "
            f"(limit {limit} a minute); try again in {retry_after} seconds.",
            retry_after=retry_after,
        ) from None


def check_lookup(client: str, key: str) -> None:
    """A busy client is stopped before it counts against the key, so it cannot starve the key
    for others; a key looked up from many addresses is stopped by its own limit."""
    config = settings()
    hit("lookup-client", client, config.lookup_limit_per_client, what="lookups")
    hit("lookup-key", key, config.lookup_limit_per_key, what="lookups")


def check_checkin(client: str, key: str) -> None:
    """The same two limits for check-ins, before the key is looked up: unknown keys count
    against the client, so check-in cannot probe which keys exist, nor flood deployments."""
    config = settings()
    hit("checkin-client", client, config.checkin_limit_per_client, what="check-ins")
    hit("checkin-key", key, config.checkin_limit_per_key, what="check-ins")
