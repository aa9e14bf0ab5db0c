"""POST /feedback: a vote on a page, counted once, with the page's tally, in one transaction.

A submission is a page and the Idempotency-Key the site's widget makes for each page view: the
first request counts the vote; a repeat (a retry, a second click, the comment typed after the
rating) counts nothing again, and may add the comment the first request did not carry.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

from chalicelib.core.clock import now, utcnow
from chalicelib.core.errors import Conflict, Invalid
from chalicelib.core.storage import ConditionFailed, conditional, transact
from chalicelib.feedback import limits, views
from chalicelib.feedback.models import COMMENTS_PK, TALLIES_PK, TALLY_SK, FeedbackTally, FeedbackVote, page_pk, vote_sk

KEEP = timedelta(days=365)  # votes and comments; the tallies stay
# What the OpenAPI document's Idempotency-Key parameter says: 1 to 128 printable ASCII
# characters, no space at either end (HTTP drops those).
_KEY = re.compile(r"[!-~](?:[ -~]{0,126}[!-~])?")


def _rating(helpful: bool) -> str:
    return "helpful" if helpful else "not helpful"


def submit(data: dict[str, Any], client: str, key: str | None) -> dict[str, Any]:
    """Count ``data`` ({page, helpful, comment?}) from ``client`` (its rate-limit key), once per
    ``key``; answers what is stored and whether this request counted it."""
    if key is not None and not _KEY.fullmatch(key):
        raise Invalid("Idempotency-Key must be 1 to 128 printable ASCII characters, without spaces at either end.")
    page, helpful, comment = data["page"], data["helpful"], data.get("comment")
    at = limits.now()
    limits.guard_site(at)
    windows = limits.client_windows(client, page, at)
    submission = limits.digest("submission", key) if key is not None else uuid.uuid4().hex
    created = now()
    vote = FeedbackVote(
        page_pk(page), vote_sk(submission), page=page, helpful=helpful, comment=comment, created_at=created
    )
    vote.expires = utcnow() + KEEP
    if comment is not None:
        vote.gsi2pk, vote.gsi2sk = COMMENTS_PK, f"{created}#{submission}"
    counter = FeedbackTally.helpful if helpful else FeedbackTally.not_helpful

    def build(tx) -> None:
        for window in windows:
            limits.count_in(tx, window)
        tx.save(vote, condition=FeedbackVote.pk.does_not_exist())
        tx.update(
            FeedbackTally(page_pk(page), TALLY_SK),
            actions=[
                FeedbackTally.item_type.set(FeedbackTally),
                FeedbackTally.page.set(page),
                counter.add(1),
                FeedbackTally.updated_at.set(created),
                FeedbackTally.gsi1pk.set(TALLIES_PK),
                FeedbackTally.gsi1sk.set(page),
            ],
        )

    try:
        transact(build)
    except ConditionFailed as failure:
        if failure.hit(vote.pk, vote.sk):
            return _repeat(vote)
        for window in windows:
            if failure.hit(window.pk):
                raise window.refusal(at) from None
        raise
    return views.recorded(vote, True)


def _repeat(sent: FeedbackVote) -> dict[str, Any]:
    """The submission was counted before: nothing is counted again; a comment it lacked is added."""
    stored = FeedbackVote.get(sent.pk, sent.sk, consistent_read=True)
    if stored.helpful != sent.helpful:
        raise Conflict(
            f"This submission was already counted as {_rating(stored.helpful)}; "
            "a different rating needs a new Idempotency-Key."
        )
    if sent.comment is not None and stored.comment is None:
        try:
            conditional(
                stored.update,
                actions=[
                    FeedbackVote.comment.set(sent.comment),
                    FeedbackVote.gsi2pk.set(COMMENTS_PK),
                    FeedbackVote.gsi2sk.set(f"{now()}#{sent.sk.removeprefix('VOTE#')}"),
                ],
                condition=FeedbackVote.comment.does_not_exist(),
            )
        except ConditionFailed:  # a concurrent repeat added one first
            stored.refresh(consistent_read=True)
    if sent.comment is not None and stored.comment != sent.comment:
        raise Conflict("This submission already has a comment; a new comment needs a new Idempotency-Key.")
    return views.recorded(stored, False)
