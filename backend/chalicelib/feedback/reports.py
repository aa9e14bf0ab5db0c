"""The admins' feedback report: per-page tallies and the latest comments, each a page of one Query."""

from __future__ import annotations

from typing import Any

from chalicelib.core import cursors
from chalicelib.core.errors import Forbidden
from chalicelib.core.table import PortalItem
from chalicelib.feedback import views
from chalicelib.feedback.models import COMMENTS_PK, TALLIES_PK, FeedbackTally, FeedbackVote
from chalicelib.identity.auth import Principal

DEFAULT_PAGE = 50


def require_reader(principal: Principal) -> Principal:
    """The one rule of the report: admins read it (PRODUCT.md §5)."""
    if not principal.is_admin:
        raise Forbidden("Only admins see the feedback report.")
    return principal


def _page(index: Any, pk: str, scope: str, query: dict[str, Any], kind: type, view: Any, **options: Any) -> dict:
    start = cursors.decode(query["cursor"], scope) if "cursor" in query else None
    limit = query.get("limit", DEFAULT_PAGE)
    results = index.query(pk, last_evaluated_key=start, limit=limit, page_size=limit, **options)
    items = [view(item) for item in results if isinstance(item, kind)]
    position = results.last_evaluated_key
    return {"items": items, "next_cursor": cursors.encode(position, scope) if position else None}


def tallies(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    """Every page rated so far, by path, with its helpful and not-helpful counts."""
    require_reader(principal)
    scope = f"feedback-tallies#{principal.user_id}"
    return _page(PortalItem.by_org, TALLIES_PK, scope, query, FeedbackTally, views.tally)


def comments(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    """The comments, newest first, each naming its page and rating."""
    require_reader(principal)
    scope = f"feedback-comments#{principal.user_id}"
    return _page(
        PortalItem.across_orgs, COMMENTS_PK, scope, query, FeedbackVote, views.comment, scan_index_forward=False
    )
