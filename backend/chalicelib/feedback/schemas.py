"""Schemas of the feedback API: the requests (validation and the OpenAPI document share them)
and the answers (``views`` builds them; the document describes them)."""

from __future__ import annotations

from chalicelib.core.operations import NULLABLE_TEXT, TEXT, TIME, answer, page_of

COMMENT_MAX = 1000

PAGE = {
    "type": "string",
    "maxLength": 300,
    # What MkDocs makes of the docs' file names, with directory URLs: /, /glossary/, /kb/an-article/.
    "pattern": r"/(?:[A-Za-z0-9][A-Za-z0-9._-]{0,99}/){0,8}",
    "description": "a path of the site that starts and ends with a slash, like /kb/reset-a-forgotten-password/ "
    "(letters, digits, dots, hyphens and underscores between the slashes).",
}

FEEDBACK = {
    "type": "object",
    "required": ["page", "helpful"],
    "properties": {
        "page": PAGE,
        "helpful": {"type": "boolean", "description": "true: the page helped; false: it did not."},
        "comment": {
            "type": "string",
            "minLength": 1,
            "maxLength": COMMENT_MAX,  # the widget's textarea takes the same (contract.js)
            "description": "What was missing or wrong, in the reader's words (optional). Stored as "
            "sent and shown to admins: the site asks readers to leave out personal details.",
        },
    },
}

_PAGING = {
    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Page size (default 50)."},
    "cursor": {
        "type": "string",
        "minLength": 1,
        "maxLength": 2048,
        "description": "next_cursor of the previous page of this list.",
    },
}
REPORT_QUERY = {"type": "object", "properties": _PAGING}

RECORDED = answer(
    {
        "page": TEXT,
        "helpful": {"type": "boolean"},
        "comment": NULLABLE_TEXT,
        "recorded": {
            "type": "boolean",
            "description": "true when this request counted the vote; false for a repeat of a submission "
            "already counted (the same Idempotency-Key), which counts nothing again.",
        },
    }
)
TALLY = answer(
    {
        "page": TEXT,
        "helpful": {"type": "integer", "minimum": 0},
        "not_helpful": {"type": "integer", "minimum": 0},
        "updated_at": TIME,
    }
)
COMMENT = answer({"page": TEXT, "helpful": {"type": "boolean"}, "comment": TEXT, "created_at": TIME})
TALLY_PAGE = page_of(TALLY)
COMMENT_PAGE = page_of(COMMENT)
