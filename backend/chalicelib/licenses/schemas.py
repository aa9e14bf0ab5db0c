"""Schemas of the license API: the requests (validation and the OpenAPI document share them)
and the answers (``views`` builds them; the document describes them)."""

from __future__ import annotations

from chalicelib.core.operations import CURSOR, TEXT, TIME, answer, page_of
from chalicelib.licenses.models import ID_PATTERN, KEY_PATTERN
from chalicelib.tickets.schemas import ORG

MAX_DAYS = 3650

KEY = {
    "type": "string",
    "pattern": KEY_PATTERN,
    "description": "a license key: five groups of five letters or digits, like ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2.",
}
DAYS = {"type": "integer", "minimum": 1, "maximum": MAX_DAYS}
CAPABILITY = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 64},
        "enabled": {"type": "boolean", "description": "Defaults to true."},
        "limit": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "What the capability is limited to, like '10 Gbps'.",
        },
    },
}

MAX_DEPLOYMENTS = {
    "type": "integer",
    "minimum": 1,
    "maximum": 100000,
    "nullable": True,
    "description": "How many instances may check in with the key (Keygen's maxMachines); null or "
    "left out: unlimited. A new instance beyond it is refused with 403; known ones keep checking in.",
}

LICENSE_ISSUE = {
    "type": "object",
    "required": ["org", "product", "edition", "days"],
    "properties": {
        "org": {**ORG, "description": "The organisation that owns the license."},
        "product": {"type": "string", "minLength": 1, "maxLength": 100},
        "edition": {"type": "string", "minLength": 1, "maxLength": 50},
        "days": {**DAYS, "description": "Valid for this many days from now."},
        "capabilities": {"type": "array", "maxItems": 50, "items": CAPABILITY},
        "max_deployments": MAX_DEPLOYMENTS,
    },
}

LICENSE_CHANGE = {
    "type": "object",
    "required": ["max_deployments"],
    "properties": {
        "max_deployments": {
            **MAX_DEPLOYMENTS,
            "description": "The new deployment limit, or null for unlimited. Lowering it below the "
            "deployments recorded removes none of them: they keep checking in, and new instances are "
            "refused until enough are released.",
        },
    },
}

LICENSE_RENEW = {
    "type": "object",
    "required": ["days"],
    "properties": {
        "days": {
            **DAYS,
            "description": "Extend by this many days, from the current expiry or from now if the license has expired.",
        },
    },
}

INSTANCE_ID = {
    "type": "string",
    "minLength": 1,
    "maxLength": 128,
    "pattern": r"[A-Za-z0-9._:-]+",
    "description": "a stable id of this installation: letters, digits and . _ : -",
}


# People paste keys: spaces around one are allowed (and dropped); products send them exactly.
PASTED_KEY = {
    **KEY,
    "pattern": rf" *{KEY_PATTERN} *",
    "description": "a key as typed or pasted, like ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2; spaces around it are ignored.",
}
LICENSE_LOOKUP = {"type": "object", "required": ["key"], "properties": {"key": PASTED_KEY}}

LICENSE_CHECKIN = {
    "type": "object",
    "required": ["key", "instance_id", "version", "hostname"],
    "properties": {
        "key": KEY,
        "instance_id": INSTANCE_ID,
        "version": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "pattern": r"[A-Za-z0-9.+_-]+",
            "description": "the product version, like 4.2.1 or 4.3.0-rc.1.",
        },
        "hostname": {
            "type": "string",
            "minLength": 1,
            "maxLength": 253,
            "pattern": r"[A-Za-z0-9._-]+",
            "description": "a host name, like app01.acme.example.",
        },
    },
}

LICENSE_LIST_QUERY = {
    "type": "object",
    "properties": {
        "org": {**ORG, "description": "Support and admin only: one organisation's licenses (all in one page)."},
        "limit": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "description": "Page size of the list across organisations (default 50).",
        },
        "cursor": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2048,
            "description": "next_cursor of the previous page of the list across organisations.",
        },
    },
}

LICENSE_FILE_QUERY = {
    "type": "object",
    "properties": {
        "algorithm": {
            "type": "string",
            "enum": ["base64+ed25519", "aes-256-gcm+ed25519"],
            "description": "Keygen's algorithm of the file: base64+ed25519 (the default, readable by anyone "
            "holding the file) or aes-256-gcm+ed25519 (encrypted with SHA-256 of the license key).",
        },
    },
}

LICENSE_RENEWAL_REQUEST = {
    "type": "object",
    "properties": {
        "message": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2000,
            "description": "Optional: anything the vendor should know, like the term you want.",
        },
    },
}

DEPLOYMENT_LIST_QUERY = {
    "type": "object",
    "properties": {
        "cursor": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2048,
            "description": "deployments_next_cursor of the license's detail, or next_cursor of the previous page.",
        },
    },
}


# --- Answers (licenses.views) ----------------------------------------------------------------
STATUSES = ["active", "expiring", "expired", "suspended"]
LICENSE_ID = {"type": "string", "pattern": f"^(?:{ID_PATTERN})$"}
NULLABLE_LIMIT = {"type": "integer", "minimum": 1, "nullable": True, "description": "null: unlimited."}
CAPABILITY_STATE = answer(
    {"name": TEXT, "enabled": {"type": "boolean"}, "limit": TEXT},
    optional=("limit",),
)
PUBLIC_LICENSE = answer(
    {
        "product": TEXT,
        "edition": TEXT,
        "status": {
            "type": "string",
            "enum": STATUSES,
            "description": "expiring: within 30 days; derived from the clock at each read.",
        },
        "expires_at": TIME,
        "days_left": {"type": "integer", "description": "Whole days to expiry, rounded up; 0 or less once expired."},
        "capabilities": {"type": "array", "items": CAPABILITY_STATE},
    },
    description="What anyone holding the key may see: nothing about the organisation.",
)
LICENSE_SUMMARY = answer(
    {
        "id": LICENSE_ID,
        "org": TEXT,
        **PUBLIC_LICENSE["properties"],
        "issued_at": TIME,
        "key_masked": {"type": "string", "pattern": r"^(?:\*{5}-){4}[A-Za-z0-9]{5}$"},
        "max_deployments": NULLABLE_LIMIT,
        "deployments_total": {"type": "integer", "minimum": 0},
    }
)
DEPLOYMENT = answer(
    {
        "instance_id": TEXT,
        "hostname": TEXT,
        "version": TEXT,
        "first_seen_at": TIME,
        "last_seen_at": TIME,
    }
)
LICENSE_DETAIL = answer(
    {
        **LICENSE_SUMMARY["properties"],
        "key": {"type": "string", "pattern": f"^(?:{KEY_PATTERN})$"},
        "updated_at": TIME,
        "updated_by": TEXT,
        "deployments": {"type": "array", "maxItems": 50, "items": DEPLOYMENT},
        "deployments_next_cursor": {**CURSOR, "description": "Pass to GET /licenses/{id}/deployments; null: no more."},
    }
)
LICENSE_PAGE = page_of(LICENSE_SUMMARY)
DEPLOYMENT_PAGE = page_of(DEPLOYMENT)
PUBLIC_KEY = answer(
    {"alg": {"type": "string", "enum": ["ed25519"]}, "public_key": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}
)
CHECKIN_ANSWER = answer(
    {
        **PUBLIC_LICENSE["properties"],
        "valid": {"type": "boolean", "description": "false for a suspended or expired license."},
        "message": {**TEXT, "description": "What the product may show its operator."},
        "instance_id": TEXT,
        "checked_in_at": TIME,
        "max_deployments": NULLABLE_LIMIT,
    }
)
RENEWAL_REQUESTED = answer(
    {"ticket": answer({"number": {"type": "integer", "minimum": 1}}, description="The ticket raised.")}
)
