"""Request schemas of organisations and users; ORG and EMAIL are shared by every feature."""

from __future__ import annotations

from chalicelib.identity.auth import ROLES

ORG_PATTERN = r"[a-z0-9][a-z0-9-]{0,39}"

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
        "roles": {
            "type": "array",
            "maxItems": 2,
            "uniqueItems": True,
            "items": {"type": "string", "enum": list(ROLES)},
        },
    },
}
