"""Schemas of the ticket API: the requests (validation, the OpenAPI document and the widgets'
constants share them) and the answers (``views`` builds them; the document describes them)."""

from __future__ import annotations

from typing import Any

from chalicelib.attachments.schemas import ATTACHMENT_IDS, ATTACHMENT_LIST
from chalicelib.core.operations import NULLABLE_TEXT, NULLABLE_TIME, TEXT, TIME, answer, page_of
from chalicelib.identity.schemas import EMAIL, ORG

TAGS = ["Bug", "Installation", "Feature Request", "Help Wanted", "Question"]
STATUSES = ["open", "pending", "closed"]
PRIORITIES = ["low", "normal", "high", "urgent"]
CUSTOMER_VIEWS = ["mine", "following", "org"]
SUPPORT_VIEWS = ["mine", "unassigned", "all"]
SLA_STATES = ["ok", "at_risk", "breached"]

TITLE = {"type": "string", "minLength": 1, "maxLength": 200}
DESCRIPTION = {"type": "string", "minLength": 1, "maxLength": 20000}
TAG_LIST = {
    "type": "array",
    "minItems": 1,
    "maxItems": len(TAGS),
    "uniqueItems": True,
    "items": {"type": "string", "enum": TAGS},
}

TICKET_CREATE = {
    "type": "object",
    "required": ["title", "description", "tags"],
    "properties": {
        "title": TITLE,
        "description": DESCRIPTION,
        "tags": TAG_LIST,
        "org": {
            **ORG,
            "description": "the customer's organisation id, like 'acme' (support: required, 404 if there is "
            "none such; customers: leave it out or send their own, another answers 403).",
        },
        "requester": {
            **EMAIL,
            "description": "the customer's e-mail address, like alice@acme.example (support: required; "
            "customers may not send it, 403).",
        },
        "priority": {"type": "string", "enum": PRIORITIES, "description": "Support only (customers: 403)."},
        "attachments": ATTACHMENT_IDS,
    },
}

TICKET_UPDATE: dict[str, Any] = {
    "type": "object",
    "required": ["version"],
    "minProperties": 2,
    "x-empty-message": "Send at least one of title, description, tags, status, priority, assignee.",
    "properties": {
        "version": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1_000_000_000,  # DynamoDB numbers have 38 digits; no ticket changes this often
            "description": "The version you read; a stale one answers 409.",
        },
        "title": TITLE,
        "description": DESCRIPTION,
        "tags": TAG_LIST,
        "status": {
            "type": "string",
            "enum": STATUSES,
            "description": "Support only (customers: 403; they close and re-open).",
        },
        "priority": {"type": "string", "enum": PRIORITIES, "description": "Support only (customers: 403)."},
        "assignee": {
            **EMAIL,
            "nullable": True,
            "description": "Support only (customers: 403): the support user who works the ticket, like "
            "agent@vendor.example, or null for nobody; someone who is not a support user is a 400.",
        },
    },
}

# Typed as JSON so readers can index its nested rules (the widgets' contract reads the body limit).
MESSAGE_CREATE: dict[str, Any] = {
    "type": "object",
    "required": ["body"],
    "properties": {
        "body": {"type": "string", "minLength": 1, "maxLength": 20000},
        "internal": {"type": "boolean", "description": "Support only: an internal note (customers: 403 for true)."},
        "attachments": ATTACHMENT_IDS,
    },
}

TICKET_LIST_QUERY = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": STATUSES},
        "tag": {"type": "string", "enum": TAGS},
        "priority": {"type": "string", "enum": PRIORITIES},
        "q": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Text the title or the description contains (case-insensitive).",
        },
        "org": {**ORG, "description": "Support only: one organisation's tickets."},
        "view": {
            "type": "string",
            "enum": sorted(set(CUSTOMER_VIEWS + SUPPORT_VIEWS)),
            "description": "Customers: the tickets they raised (mine), follow (following), or all of their "
            "organisation's (org, the default). Support: assigned to them (mine), to nobody (unassigned), or "
            "all (the default). Another role's view answers 403.",
        },
        "sort": {
            "type": "string",
            "enum": ["due"],
            "description": "Support only: the tickets awaiting support's response, soonest due first (with "
            "status left out or open).",
        },
        "limit": {"type": "integer", "minimum": 1, "maximum": 100},
        "cursor": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2048,
            "description": "next_cursor of the previous page.",
        },
    },
}

RATING_SCORES = ["good", "bad"]
RATING_CREATE = {
    "type": "object",
    "required": ["score"],
    "properties": {
        "score": {"type": "string", "enum": RATING_SCORES, "description": "How support did: good or bad."},
        "comment": {
            "type": "string",
            "maxLength": 2000,
            "description": "What went well or what did not (optional; empty is none).",
        },
    },
}

FOLLOWER_ADD = {
    "type": "object",
    "required": ["email"],
    "properties": {"email": {**EMAIL, "description": "A user of the ticket's organisation."}},
}

# --- Answers (tickets.views) ---------------------------------------------------------------
ROLE_OF_AUTHOR = {"type": "string", "enum": ["customer", "support"]}
EVENT_KINDS = [
    "created",
    "updated",
    "responded",
    "noted",
    "closed",
    "reopened",
    "follower_added",
    "follower_removed",
    "sla_breached",
    "rated",
]
NUMBER = {"type": "integer", "minimum": 1}
TICKET_SUMMARY = answer(
    {
        "number": NUMBER,
        "title": TEXT,
        "status": {"type": "string", "enum": STATUSES},
        "priority": {"type": "string", "enum": PRIORITIES},
        "tags": {"type": "array", "items": {"type": "string", "enum": TAGS}},
        "org": TEXT,
        "created_at": TIME,
        "created_by": {**TEXT, "description": "The requester's e-mail."},
        "requester": {**TEXT, "description": "The customer the ticket is for (the same as created_by)."},
        "updated_at": TIME,
        "updated_by": TEXT,
        "closed_at": {**NULLABLE_TIME, "description": "When it was closed; null unless closed."},
        "version": {**NUMBER, "description": "Send it back with a PATCH."},
        "message_count": {"type": "integer", "minimum": 0, "description": "Responses (internal notes not counted)."},
        "assignee": {**NULLABLE_TEXT, "description": "The support user who works it; null: unassigned."},
        "first_response_due_at": {
            **NULLABLE_TIME,
            "description": "When support's first response is due at the ticket's priority; null once given.",
        },
        "next_response_due_at": {
            **NULLABLE_TIME,
            "description": "When support's next response is due (after a customer's response or a re-opening).",
        },
        "sla_state": {
            "type": "string",
            "enum": SLA_STATES,
            "description": "ok, at_risk (less than a quarter of the target left) or breached; ok while "
            "nothing is awaited from support.",
        },
    }
)
MESSAGE = answer(
    {
        "id": TEXT,
        "body": TEXT,
        "internal": {"type": "boolean"},
        "author": TEXT,
        "author_role": ROLE_OF_AUTHOR,
        "created_at": TIME,
        "attachments": ATTACHMENT_LIST,
    }
)
HISTORY_ENTRY = answer(
    {
        "at": TIME,
        "by": TEXT,
        "by_role": ROLE_OF_AUTHOR,
        "kind": {"type": "string", "enum": EVENT_KINDS},
        "changes": {
            "type": "object",
            "description": "For kind updated: each changed field's new value, {field: {to}}; for the "
            "follower kinds {follower: {to}} or {follower: {from}}; for rated {score: {to, from?}, "
            "comment?: {to}}; else empty.",
            "additionalProperties": answer(
                {
                    "to": {"description": "The field's new value."},
                    "from": {"description": "The follower removed; the score before."},
                },
                optional=("to", "from"),
            ),
        },
    }
)
FOLLOWER_LIST = {
    "type": "array",
    "items": TEXT,
    "minItems": 1,
    "description": "Who gets the ticket's mail on the customer side: the requester first, then its followers.",
}
FOLLOWERS = answer({"number": NUMBER, "requester": TEXT, "followers": FOLLOWER_LIST})
RATING = answer(
    {
        "score": {"type": "string", "enum": RATING_SCORES},
        "comment": NULLABLE_TEXT,
        "at": TIME,
    },
    description="The requester's rating of the ticket's last close (CSAT).",
)
TICKET_DETAIL = answer(
    {
        **TICKET_SUMMARY["properties"],
        "description": TEXT,
        "followers": FOLLOWER_LIST,
        "attachments": {
            **ATTACHMENT_LIST,
            "description": "The files of the ticket itself; each message lists its own.",
        },
        "messages": {"type": "array", "items": MESSAGE, "description": "Oldest first; support also sees notes."},
        "history": {"type": "array", "items": HISTORY_ENTRY, "description": "Oldest first."},
        "rating": {
            **RATING,
            "nullable": True,
            "description": "The requester's rating (CSAT) of the last close: shown to the requester and "
            "support, null to the requester's colleagues and while there is none.",
        },
    },
    description="The ticket with every response and its history.",
)
TICKET_PAGE = page_of(TICKET_SUMMARY)
TICKET_UPDATED = answer(
    {
        "number": NUMBER,
        "version": {**NUMBER, "description": "The new version."},
        "updated_at": TIME,
        "updated_by": TEXT,
        **{
            name: TICKET_UPDATE["properties"][name]
            for name in ("title", "description", "tags", "status", "priority", "assignee")
        },
    },
    optional=("title", "description", "tags", "status", "priority", "assignee"),
    description="The new version and, of the fields you sent, their new values.",
)
MESSAGE_ADDED = answer(
    {
        "message": MESSAGE,
        "ticket": answer(
            {
                "number": NUMBER,
                "status": {"type": "string", "enum": ["open", "pending"]},
                "updated_at": TIME,
                "updated_by": TEXT,
            },
            optional=("status", "updated_at", "updated_by"),
            description="The ticket's new state; only its number after an internal note, which changes nothing.",
        ),
    }
)
TICKET_MOVED = answer(
    {
        "number": NUMBER,
        "status": {"type": "string", "enum": ["open", "closed"]},
        "updated_at": TIME,
        "updated_by": TEXT,
    }
)
COUNTS = answer(
    {
        name: {"type": "integer", "minimum": 0, "description": text}
        for name, text in (
            ("unassigned", "Open or pending tickets assigned to nobody."),
            ("mine", "Open or pending tickets assigned to you."),
            ("open", "Tickets awaiting support."),
            ("pending", "Tickets awaiting the customer."),
            ("breached", "Open or pending tickets whose SLA target passed (marked by the breach check)."),
        )
    },
    description="The queue's counters, kept by every change in its own transaction.",
)
RATED = answer({"number": NUMBER, "rating": RATING}, description="The rating as the ticket now holds it.")
