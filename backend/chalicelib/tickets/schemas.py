"""Request schemas of the ticket API: validation, the OpenAPI document and the widgets' constants
share them."""

from __future__ import annotations

from typing import Any

from chalicelib.attachments.schemas import ATTACHMENT_IDS
from chalicelib.identity.schemas import EMAIL, ORG

TAGS = ["Bug", "Installation", "Feature Request", "Help Wanted", "Question"]
STATUSES = ["open", "pending", "closed"]
PRIORITIES = ["low", "normal", "high", "urgent"]
CUSTOMER_VIEWS = ["mine", "following", "org"]

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
        "org": {**ORG, "description": "Support only (required there): the customer's organisation."},
        "requester": {**EMAIL, "description": "Support only (required there): the customer's e-mail."},
        "priority": {"type": "string", "enum": PRIORITIES, "description": "Support only."},
        "attachments": ATTACHMENT_IDS,
    },
}

TICKET_UPDATE = {
    "type": "object",
    "required": ["version"],
    "minProperties": 2,
    "x-empty-message": "Send at least one of title, description, tags, status, priority.",
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
        "status": {"type": "string", "enum": STATUSES, "description": "Support only."},
        "priority": {"type": "string", "enum": PRIORITIES, "description": "Support only."},
    },
}

# Typed as JSON so readers can index its nested rules (the widgets' contract reads the body limit).
MESSAGE_CREATE: dict[str, Any] = {
    "type": "object",
    "required": ["body"],
    "properties": {
        "body": {"type": "string", "minLength": 1, "maxLength": 20000},
        "internal": {"type": "boolean", "description": "Support only: an internal note."},
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
            "description": "Words the title contains (case-insensitive).",
        },
        "org": {**ORG, "description": "Support only: one organisation's tickets."},
        "view": {
            "type": "string",
            "enum": CUSTOMER_VIEWS,
            "description": "Customers only: the tickets they raised (mine), follow (following), or all of "
            "their organisation's (org, the default).",
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

FOLLOWER_ADD = {
    "type": "object",
    "required": ["email"],
    "properties": {"email": {**EMAIL, "description": "A user of the ticket's organisation."}},
}
