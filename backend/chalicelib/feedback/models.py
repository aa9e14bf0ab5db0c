"""Items of page feedback, in the one table (the key table is in ``chalicelib.core.table``).

A page's tally and its votes share the partition ``FEEDBACK#<page>``. Tallies are counters that
each vote's transaction raises, so the report reads them (gsi1 ``FEEDBACK_TALLIES``, by page)
and never counts votes; votes with a comment are also on gsi2 (``FEEDBACK_COMMENTS``, newest
last). Nothing here names a person: a vote is keyed by a digest of its submission key.
"""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.core.table import PortalItem

TALLIES_PK = "FEEDBACK_TALLIES"  # gsi1pk of every page's tally
COMMENTS_PK = "FEEDBACK_COMMENTS"  # gsi2pk of every vote with a comment
TALLY_SK = "#TALLY"


def page_pk(page: str) -> str:
    return f"FEEDBACK#{page}"


def vote_sk(submission: str) -> str:
    return f"VOTE#{submission}"


class FeedbackTally(PortalItem, discriminator="feedback_tally"):
    """A page's counts, raised in the same transaction as each vote."""

    page = UnicodeAttribute()
    helpful = NumberAttribute(default=0)
    not_helpful = NumberAttribute(default=0)
    updated_at = UnicodeAttribute()


class FeedbackVote(PortalItem, discriminator="feedback_vote"):
    """One submission: the page, the rating and the optional comment, as sent; no address, no
    e-mail, no user. DynamoDB's TTL removes it after KEEP_DAYS; the tally keeps its count."""

    page = UnicodeAttribute()
    helpful = BooleanAttribute()
    comment = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
