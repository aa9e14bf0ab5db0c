"""Settings read once from the environment.

The CDK stack sets these names through Chalice's ``stage_config``; the local stack
sets the same names, so no value that differs by environment lives in code.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

# The defaults PRODUCT.md promises; the CDK stack's settings (infra/aws) import them from here.
REOPEN_WINDOW_DAYS = 30
LOOKUP_LIMIT_PER_CLIENT = 30
LOOKUP_LIMIT_PER_KEY = 60
# Check-ins: a site's instances often share one address, and a key serves all of them.
CHECKIN_LIMIT_PER_CLIENT = 60
CHECKIN_LIMIT_PER_KEY = 120
NOTIFICATION_MAX_ATTEMPTS = 3
# SLA targets per priority, in calendar hours (24x7), PRODUCT.md §3.4; SLA_FIRST_RESPONSE_HOURS and
# SLA_NEXT_RESPONSE_HOURS override them as "urgent=1,high=4,normal=8,low=24".
SLA_FIRST_RESPONSE_HOURS = {"urgent": 1.0, "high": 4.0, "normal": 8.0, "low": 24.0}
SLA_NEXT_RESPONSE_HOURS = {"urgent": 4.0, "high": 8.0, "normal": 24.0, "low": 48.0}
# A running SLA timer is at risk when less than this share of its target is left.
SLA_AT_RISK_SHARE = 0.25
# Attachments (PRODUCT.md §3.3): the largest file, and how long an upload nobody referenced stays.
ATTACHMENT_MAX_MB = 25
ATTACHMENT_UPLOAD_DAYS = 1


@dataclass(frozen=True)
class Settings:
    table_name: str
    region: str
    user_pool_id: str
    user_pool_client_id: str
    cognito_issuer: str
    cognito_jwks_url: str
    site_url: str
    support_email: str
    sender_email: str
    # Reply addresses (support+<token>@<reply_domain>) and the plain address there raise or
    # answer tickets by mail; SES receives this domain (its MX points at SES inbound).
    reply_domain: str
    # Received mail must carry SES's passing verdicts (spam, virus, SPF, DKIM, DMARC). Only the
    # local stack, whose SMTP server checks nothing, turns this off.
    require_mail_verdicts: bool
    reopen_window_days: int
    # The Secrets Manager secret (ARN or name) with the cursors' HMAC key, read at run time;
    # CURSOR_SECRET (the key itself) is for tests and benchmarks that run without one.
    cursor_secret_id: str
    cursor_secret: str
    dead_letter_queue_url: str
    # The table's stream, for the notification handler's event source (the CDK stack wires it).
    table_stream_arn: str
    # Failed sends of one event before the handler parks it in the dead-letter queue.
    notification_max_attempts: int
    license_signing_key_secret: str
    lookup_limit_per_client: int
    lookup_limit_per_key: int
    # Only behind the edge (the CDK stack sets it): True-Client-IP, which CloudFront writes and a
    # WAF rule guarantees, names the caller. Elsewhere anyone could send it.
    trust_viewer_address: bool
    checkin_limit_per_client: int
    checkin_limit_per_key: int
    # Per priority, hours until the first (and the next) response by support is due.
    sla_first_response_hours: dict[str, float]
    sla_next_response_hours: dict[str, float]
    # Attachments: the bucket, the largest file, and the S3 endpoint as a browser reaches it
    # (the local stack's same-origin /_s3 proxy; empty on AWS: the bucket's regional endpoint).
    attachments_bucket: str
    attachment_max_mb: int
    attachments_public_endpoint: str
    # Only the local stack and tests set this: every AWS client then talks to the emulator.
    endpoint_url: str | None


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def _hours(name: str, defaults: dict[str, float]) -> dict[str, float]:
    """``urgent=1,high=4``: the priorities named get those hours, the others keep the default."""
    hours = dict(defaults)
    for part in os.environ.get(name, "").split(","):
        if not part.strip():
            continue
        priority, _, value = part.partition("=")
        priority = priority.strip().lower()
        if priority not in defaults:
            raise ValueError(f"{name}: unknown priority '{priority}' (use {', '.join(defaults)})")
        number = float(value)
        if not number > 0:
            raise ValueError(f"{name}: {priority} needs a positive number of hours, not '{value.strip()}'")
        hours[priority] = number
    return hours


def hours_text(hours: dict[str, float]) -> str:
    """The form ``_hours`` reads: ``urgent=1,high=4,normal=8,low=24``."""
    return ",".join(f"{priority}={value:g}" for priority, value in hours.items())


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    user_pool_id = os.environ.get("USER_POOL_ID", "")
    issuer = os.environ.get("COGNITO_ISSUER") or (f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}")
    return Settings(
        table_name=os.environ.get("TABLE_NAME", "portal"),
        region=region,
        user_pool_id=user_pool_id,
        user_pool_client_id=os.environ.get("USER_POOL_CLIENT_ID", ""),
        cognito_issuer=issuer,
        cognito_jwks_url=os.environ.get("COGNITO_JWKS_URL") or f"{issuer}/.well-known/jwks.json",
        site_url=os.environ.get("SITE_URL", "http://127.0.0.1:8000/").rstrip("/") + "/",
        support_email=os.environ.get("SUPPORT_EMAIL", "support@vendor.example"),
        sender_email=os.environ.get("SENDER_EMAIL", "portal@vendor.example"),
        reply_domain=(os.environ.get("REPLY_DOMAIN") or "reply.vendor.example").strip().lower(),
        require_mail_verdicts=os.environ.get("REQUIRE_MAIL_VERDICTS", "").strip().lower() != "false",
        reopen_window_days=_int("REOPEN_WINDOW_DAYS", REOPEN_WINDOW_DAYS),
        cursor_secret_id=os.environ.get("CURSOR_SECRET_ID", ""),
        cursor_secret=os.environ.get("CURSOR_SECRET", ""),
        dead_letter_queue_url=os.environ.get("DEAD_LETTER_QUEUE_URL", ""),
        table_stream_arn=os.environ.get("TABLE_STREAM_ARN")
        or f"arn:aws:dynamodb:{region}:000000000000:table/{os.environ.get('TABLE_NAME', 'portal')}/stream/local",
        notification_max_attempts=max(1, _int("NOTIFICATION_MAX_ATTEMPTS", NOTIFICATION_MAX_ATTEMPTS)),
        license_signing_key_secret=os.environ.get("LICENSE_SIGNING_KEY_SECRET", ""),
        lookup_limit_per_client=_int("LOOKUP_LIMIT_PER_CLIENT", LOOKUP_LIMIT_PER_CLIENT),
        lookup_limit_per_key=_int("LOOKUP_LIMIT_PER_KEY", LOOKUP_LIMIT_PER_KEY),
        trust_viewer_address=os.environ.get("TRUST_VIEWER_ADDRESS", "").strip().lower() == "true",
        checkin_limit_per_client=_int("CHECKIN_LIMIT_PER_CLIENT", CHECKIN_LIMIT_PER_CLIENT),
        checkin_limit_per_key=_int("CHECKIN_LIMIT_PER_KEY", CHECKIN_LIMIT_PER_KEY),
        sla_first_response_hours=_hours("SLA_FIRST_RESPONSE_HOURS", SLA_FIRST_RESPONSE_HOURS),
        sla_next_response_hours=_hours("SLA_NEXT_RESPONSE_HOURS", SLA_NEXT_RESPONSE_HOURS),
        attachments_bucket=os.environ.get("ATTACHMENTS_BUCKET", "portal-attachments"),
        attachment_max_mb=max(1, _int("ATTACHMENT_MAX_MB", ATTACHMENT_MAX_MB)),
        attachments_public_endpoint=os.environ.get("ATTACHMENTS_PUBLIC_ENDPOINT", "").rstrip("/"),
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
    )
