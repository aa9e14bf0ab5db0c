"""Schemas of organisations and users (requests and answers); ORG and EMAIL are shared by every
feature."""

from __future__ import annotations

from chalicelib.core.operations import TEXT, TIME, answer
from chalicelib.core.validation import WHITE_SPACE
from chalicelib.identity.auth import ROLES

ORG_PATTERN = r"[a-z0-9][a-z0-9-]{0,39}"

ORG = {
    "type": "string",
    "pattern": ORG_PATTERN,
    "description": "an organisation id: lower-case letters, digits and dashes, like 'acme'.",
    "example": "acme",
}
# Neither white space (spelt out: Python's \s and the document's ECMAScript \s differ) nor control
# characters, an @, and a dot in the domain.
_ADDRESS_PART = rf"[^@{WHITE_SPACE}\x00-\x1f\x7f-\x9f]+"
EMAIL = {
    "type": "string",
    "maxLength": 254,
    "pattern": rf"{_ADDRESS_PART}@{_ADDRESS_PART}\.{_ADDRESS_PART}",
    "description": "an e-mail address like alice@acme.example.",
    "example": "alice@acme.example",
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


# --- Answers ---------------------------------------------------------------------------------
ROLE_LIST = {"type": "array", "uniqueItems": True, "items": {"type": "string", "enum": list(ROLES)}}
ME = answer(
    {
        "user_id": TEXT,
        "email": TEXT,
        "org": {**TEXT, "description": "The organisation (custom:org); empty for staff without one."},
        "roles": {**ROLE_LIST, "description": "Empty for a customer."},
    }
)
ORGANISATION = answer({"org": TEXT, "name": TEXT, "created_at": TIME})
ORG_USER_LIST = answer({"items": {"type": "array", "items": answer({"email": TEXT, "org": TEXT, "roles": ROLE_LIST})}})
ORG_NAME_LIST = answer({"items": {"type": "array", "items": answer({"org": TEXT, "name": TEXT})}})
ORGANISATION_LIST = answer({"items": {"type": "array", "items": ORGANISATION}})
INVITED_USER = answer(
    {"email": TEXT, "org": TEXT, "roles": ROLE_LIST, "status": {"type": "string", "enum": ["invited"]}}
)
