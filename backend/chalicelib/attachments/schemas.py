"""Request schemas of attachments: the upload request, and the ids tickets and responses carry."""

from __future__ import annotations

from typing import Any

from chalicelib.core.config import ATTACHMENT_MAX_MB
from chalicelib.core.operations import TEXT, answer

ID_PATTERN = r"[0-9a-f]{32}"
MAX_PER_CHANGE = 10  # files on one new ticket or one response
# S3 takes at most 5 GiB in one POST; the limit that applies is ATTACHMENT_MAX_MB, checked on use.
_S3_POST_LIMIT = 5 * 1024**3
CONTENT_TYPE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}"

UPLOAD_CREATE: dict[str, Any] = {
    "type": "object",
    "required": ["filename", "content_type", "size"],
    "properties": {
        "filename": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1000,
            "description": "The file's name; stored without any folder, control or bidirectional characters.",
        },
        "content_type": {
            "type": "string",
            "pattern": CONTENT_TYPE_PATTERN,
            "description": "A MIME type such as text/plain or image/png, without parameters.",
        },
        "size": {
            "type": "integer",
            "minimum": 1,
            "maximum": _S3_POST_LIMIT,
            "description": f"The file's exact size in bytes: at most ATTACHMENT_MAX_MB "
            f"(default {ATTACHMENT_MAX_MB}) MB.",
        },
    },
}

ATTACHMENT_IDS: dict[str, Any] = {
    "type": "array",
    "maxItems": MAX_PER_CHANGE,
    "uniqueItems": True,
    "items": {"type": "string", "pattern": ID_PATTERN, "description": "The id POST /attachments answered."},
    "description": f"Files uploaded through POST /attachments (at most {MAX_PER_CHANGE}).",
}


# --- Answers ---------------------------------------------------------------------------------
ATTACHMENT = answer(
    {
        "id": {"type": "string", "pattern": f"^(?:{ID_PATTERN})$"},
        "filename": {**TEXT, "description": "The name as it is stored (no folders, no control characters)."},
        "content_type": {**TEXT, "description": "The type it is served with."},
        "size": {"type": "integer", "minimum": 1, "description": "Bytes."},
    }
)
ATTACHMENT_LIST = {"type": "array", "items": ATTACHMENT, "description": "Oldest first."}
UPLOAD_STARTED = answer(
    {
        "id": {
            "type": "string",
            "pattern": f"^(?:{ID_PATTERN})$",
            "description": "Reference it from a ticket or a response.",
        },
        "filename": ATTACHMENT["properties"]["filename"],
        "content_type": ATTACHMENT["properties"]["content_type"],
        "size": ATTACHMENT["properties"]["size"],
        "upload": answer(
            {
                "url": {**TEXT, "description": "POST the file here as multipart/form-data."},
                "fields": {
                    "type": "object",
                    "additionalProperties": TEXT,
                    "description": "The policy's fields, sent before the file (named file).",
                },
            }
        ),
    },
    description="The upload: POST the file to url as multipart/form-data, fields first, the file last "
    "(named file). S3 refuses any other size or type.",
)
