"""Request schemas of the ticket API: validation and the OpenAPI document share them."""
from __future__ import annotations

TAGS = ["Bug", "Installation", "Feature Request", "Help Wanted", "Question"]
STATUSES = ["open", "pending", "closed"]
PRIORITIES = ["low", "normal", "high", "urgent"]
ORG_PATTERN = r"[a-z0-9][a-z0-9-]{0,39}"

TITLE = {"type": "string", "minLength": 1, "maxLength": 200}
DESCRIPTION = {"type": "string", "minLength": 1, "maxLength": 20000}
TAG_LIST = {
    "type": "array",
    "minItems": 1,
    "maxItems": len(TAGS),
    "uniqueItems": True,
    "items": {"type": "string", "enum": TAGS},
}
ORG = {
    "type": "string",
    "pattern": ORG_PATTERN,
    "description": "an organisation id: lower-case letters, digits and dashes, like 'acme'.",
}
EMAIL = {
    "type": "string",
    "maxLength": 254,
    "pattern": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "description": "an e-mail address like alice@acme.example.",
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
    },
}

TICKET_UPDATE = {
    "type": "object",
    "required": ["version"],
    "minProperties": 2,
    "x-empty-message": "Send at least one of title, description, tags, status, priority.",
    "properties": {
        "version": {"type": "integer", "minimum": 1,
                    "description": "The version you read; a stale one answers 409."},
        "title": TITLE,
        "description": DESCRIPTION,
        "tags": TAG_LIST,
        "status": {"type": "string", "enum": STATUSES, "description": "Support only."},
        "priority": {"type": "string", "enum": PRIORITIES, "description": "Support only."},
    },
}

MESSAGE_CREATE = {
    "type": "object",
    "required": ["body"],
    "properties": {
        "body": {"type": "string", "minLength": 1, "maxLength": 20000},
        "internal": {"type": "boolean", "description": "Support only: an internal note."},
    },
}

TICKET_LIST_QUERY = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": STATUSES},
        "tag": {"type": "string", "enum": TAGS},
        "priority": {"type": "string", "enum": PRIORITIES},
        "q": {"type": "string", "minLength": 1, "maxLength": 200,
              "description": "Words the title contains (case-insensitive)."},
        "org": {**ORG, "description": "Support only: one organisation's tickets."},
        "limit": {"type": "integer", "minimum": 1, "maximum": 100},
        "cursor": {"type": "string", "minLength": 1, "maxLength": 2048,
                   "description": "next_cursor of the previous page."},
    },
}

ORG_CREATE = {
    "type": "object",
    "required": ["org", "name"],
    "properties": {"org": ORG, "name": {"type": "string", "minLength": 1, "maxLength": 120}},
}

USER_INVITE = {
    "type": "object",
    "required": ["email", "org"],
    "properties": {
        "email": EMAIL,
        "org": ORG,
        "roles": {"type": "array", "maxItems": 2, "uniqueItems": True,
                  "items": {"type": "string", "enum": ["support", "admin"]}},
    },
}
