"""moto's S3, made to enforce what the portal's attachments rely on S3 to enforce.

moto stores whatever a browser POSTs and serves a presigned GET however old it is. S3 does
neither: a POST upload must match its policy (expiration, every field named by a condition,
exact values and prefixes, ``content-length-range``), and a presigned URL answers 403 once
``X-Amz-Date`` + ``X-Amz-Expires`` has passed. This patch adds those checks, so the tests and
the local stack see S3's refusals. (Signatures are not checked: moto takes any credentials.)
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

_installed = False
Answer = tuple[int, dict[str, str], bytes]
# Fields S3 does not ask a condition for (the signature's own, and x-ignore-*).
_UNCOVERED = {"policy", "x-amz-signature", "file", "x-amz-algorithm", "x-amz-credential", "x-amz-date"}


def _error(status: int, code: str, message: str) -> Answer:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return status, {"Content-Type": "application/xml"}, body.encode()


def post_refusal(bucket: str, form: dict[str, str], size: int, now: datetime) -> Answer | None:
    """S3's answer to a POST upload its policy does not allow, or None when it is allowed."""
    fields = {name.lower(): value for name, value in form.items()}
    if "policy" not in fields:
        return _error(403, "AccessDenied", "Access Denied")  # an anonymous POST to a private bucket
    try:
        policy = json.loads(base64.b64decode(fields["policy"]))
        expiration = datetime.strptime(policy["expiration"].replace(".000Z", "Z"), "%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, KeyError, TypeError):
        return _error(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")
    if expiration.replace(tzinfo=UTC) < now:
        return _error(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    values = {**fields, "bucket": bucket}
    covered: set[str] = set()
    for condition in policy.get("conditions", []):
        if isinstance(condition, dict):
            (name, expected), *_ = condition.items()
            condition = ["eq", f"${name}", expected]
        operator, name, expected = condition[0].lower(), str(condition[1]), condition[2]
        if operator == "content-length-range":
            if size > int(expected):
                return _error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            if size < int(name):
                return _error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
            continue
        field = name.lstrip("$").lower()
        covered.add(field)
        actual = values.get(field, "")
        if (operator == "eq" and actual != expected) or (operator == "starts-with" and not actual.startswith(expected)):
            return _error(403, "AccessDenied", f"Invalid according to Policy: Policy Condition failed: {condition}")
    extra = sorted(f for f in fields if f not in covered and f not in _UNCOVERED and not f.startswith("x-ignore-"))
    if extra:
        return _error(403, "AccessDenied", f"Invalid according to Policy: Extra input fields: {', '.join(extra)}")
    return None


def presign_expired(query: dict[str, Any], now: datetime) -> bool:
    def first(name: str) -> str:
        value = query.get(name) or [""]
        return value[0] if isinstance(value, list) else value

    signed, lifetime = first("X-Amz-Date"), first("X-Amz-Expires")
    if not signed or not lifetime:
        return False
    try:
        start = datetime.strptime(signed, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return now > start + timedelta(seconds=int(lifetime))
    except ValueError:
        return True


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    from moto.s3.responses import S3Response

    original_post = S3Response._bucket_response_post
    original_get = S3Response._key_response_get

    def bucket_post(self: Any, request: Any, bucket_name: str) -> Any:
        if not self.is_delete_keys() and request.headers.get("Content-Length"):
            body = self.raw_body if isinstance(self.raw_body, bytes) else str(self.raw_body or "").encode()
            refusal = post_refusal(bucket_name, dict(self.form_data.items()), len(body), datetime.now(UTC))
            if refusal is not None:
                return refusal
        return original_post(self, request, bucket_name)

    def key_get(self: Any, query: dict[str, Any], key_name: str) -> Any:
        if presign_expired(query, datetime.now(UTC)):
            return _error(403, "AccessDenied", "Request has expired")
        return original_get(self, query, key_name)

    S3Response._bucket_response_post = bucket_post  # type: ignore[method-assign]
    S3Response._key_response_get = key_get  # type: ignore[method-assign]
