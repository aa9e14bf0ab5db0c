"""Feedback items as the API answers them (shapes in ``schemas``)."""

from __future__ import annotations

from typing import Any

from chalicelib.feedback.models import FeedbackTally, FeedbackVote


def recorded(vote: FeedbackVote, counted: bool) -> dict[str, Any]:
    return {"page": vote.page, "helpful": vote.helpful, "comment": vote.comment, "recorded": counted}


def tally(item: FeedbackTally) -> dict[str, Any]:
    return {
        "page": item.page,
        "helpful": int(item.helpful or 0),
        "not_helpful": int(item.not_helpful or 0),
        "updated_at": item.updated_at,
    }


def comment(vote: FeedbackVote) -> dict[str, Any]:
    return {"page": vote.page, "helpful": vote.helpful, "comment": vote.comment or "", "created_at": vote.created_at}
