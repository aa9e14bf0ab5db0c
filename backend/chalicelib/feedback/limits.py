"""How much feedback one client may send, counted without keeping who sent it.

Windows are rate-limit items (``core.rate_limit.RateWindowItem``) raised inside the vote's own
transaction, so a refused vote counts nothing and a counted one is never refused afterwards.
A client is named by an HMAC of its address with the portal's secret key and the window: the
digest changes every window, so no stored value can be traced back to an address or linked
across hours, and DynamoDB's TTL removes the windows soon after they end.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from pynamodb.transactions import TransactWrite

from chalicelib.core.cursors import signing_key
from chalicelib.core.errors import RateLimited
from chalicelib.core.rate_limit import RateWindowItem
from chalicelib.core.storage import ConditionFailed, conditional

HOUR = 3600
MINUTE = 60
# Defaults (PRODUCT.md §5): a reader rates a page a few times at most; an office behind one
# address rates many pages; the whole site takes bursts, not floods.
PER_PAGE = 10  # per client and page, each hour
PER_CLIENT = 100  # per client across pages, each hour
SITE = 600  # everyone together, each minute
_FROM_YOU = "Too much feedback from your address"
_clock = time.time  # tests move it to cross window boundaries on purpose


@dataclass(frozen=True)
class Limits:
    per_page: int
    per_client: int
    site: int


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return max(1, int(raw)) if raw.strip() else default


@functools.lru_cache(maxsize=1)
def limits() -> Limits:
    """Read once from the environment (FEEDBACK_LIMIT_PER_PAGE, _PER_CLIENT, _SITE)."""
    return Limits(
        per_page=_int("FEEDBACK_LIMIT_PER_PAGE", PER_PAGE),
        per_client=_int("FEEDBACK_LIMIT_PER_CLIENT", PER_CLIENT),
        site=_int("FEEDBACK_LIMIT_SITE", SITE),
    )


@dataclass(frozen=True)
class Window:
    """One counted window: its item's key, its limit and the message of a refusal."""

    pk: str
    limit: int
    seconds: int
    ends: int
    what: str

    def refusal(self, at: float) -> RateLimited:
        wait = max(1, math.ceil(self.ends - at))
        when = f"{wait} seconds" if wait < 120 else f"{math.ceil(wait / 60)} minutes"
        return RateLimited(f"{self.what} (limit {self.limit}); try again in {when}.", retry_after=wait)


def digest(*parts: str) -> str:
    return hmac.new(signing_key(), "\n".join(parts).encode(), hashlib.sha256).hexdigest()[:32]


def _window(scope: str, seconds: int, limit: int, what: str, at: float, *names: str) -> Window:
    number = int(at // seconds)
    pk = f"RATE#{scope}#{digest(scope, str(number), *names)}#{number}"
    return Window(pk, limit, seconds, (number + 1) * seconds, what)


def client_windows(client: str, page: str, at: float) -> list[Window]:
    """The hourly windows of this client: on this page, and on every page."""
    config = limits()
    return [
        _window("feedback-page", HOUR, config.per_page, _FROM_YOU + " on this page this hour", at, client, page),
        _window("feedback-client", HOUR, config.per_client, _FROM_YOU + " this hour", at, client),
    ]


def _actions(window: Window) -> list:
    return [
        RateWindowItem.item_type.set(RateWindowItem),
        RateWindowItem.requests.add(1),
        # Kept one window longer than needed: TTL deletion is lazy anyway.
        RateWindowItem.expires.set(datetime.fromtimestamp(window.ends + window.seconds, UTC)),
    ]


def _under(window: Window):
    return RateWindowItem.requests.does_not_exist() | (RateWindowItem.requests < window.limit)


def count_in(transaction: TransactWrite, window: Window) -> None:
    """Raise the window's count in ``transaction``, on condition it stays within the limit."""
    transaction.update(RateWindowItem(window.pk, "#WINDOW"), actions=_actions(window), condition=_under(window))


def guard_site(at: float) -> None:
    """The site-wide guard, one UpdateItem of its own: a shared counter in every vote's
    transaction would make concurrent votes conflict."""
    window = _window("feedback-site", MINUTE, limits().site, "The portal is receiving too much feedback", at, "all")
    try:
        conditional(RateWindowItem(window.pk, "#WINDOW").update, actions=_actions(window), condition=_under(window))
    except ConditionFailed:
        raise window.refusal(at) from None


def now() -> float:
    return _clock()
