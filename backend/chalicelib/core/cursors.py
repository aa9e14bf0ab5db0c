"""Opaque, tamper-proof list cursors.

A cursor is the DynamoDB key to resume from, bound to the list it came from (who asked,
which filters) and signed with HMAC-SHA256, so an altered or borrowed cursor is a 400.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from chalicelib.core import secrets
from chalicelib.core.config import settings
from chalicelib.core.errors import Invalid

_BAD = "cursor is not valid for this list; start again without it."


def signing_key() -> bytes:
    """The portal's HMAC secret: cursors sign with it, reply addresses derive their tokens from it."""
    config = settings()
    # The deployed and local stacks name a secret (CURSOR_SECRET_ID), read once per process and
    # never in the functions' environment. Without one (a bare developer run) the key is still
    # unique per table, but only a secret keeps cursors unforgeable.
    if config.cursor_secret_id:
        return secrets.secret_string(config.cursor_secret_id).encode()
    return (config.cursor_secret or f"unset:{config.table_name}:{config.user_pool_id}").encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(position: dict[str, Any], scope: str) -> str:
    payload = json.dumps({"k": position, "s": scope}, separators=(",", ":"), sort_keys=True)
    body = _b64(payload.encode())
    signature = _b64(hmac.new(signing_key(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


def decode(cursor: str, scope: str) -> dict[str, Any]:
    body, _, signature = cursor.partition(".")
    try:
        expected = _b64(hmac.new(signing_key(), body.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(expected, signature):
            raise Invalid(_BAD)
        payload = json.loads(_unb64(body))
    except (ValueError, TypeError):
        raise Invalid(_BAD) from None
    if not isinstance(payload, dict) or payload.get("s") != scope or not isinstance(payload.get("k"), dict):
        raise Invalid(_BAD)
    return payload["k"]
