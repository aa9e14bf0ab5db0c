"""The security headers the site is served with: CloudFront's response-headers policy and
the local server send the same ones, so the browser tests run under the production CSP."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

# Widgets are plain files from the same origin. MkDocs Material inlines a few small scripts
# (its storage helpers, the palette, the anchor target) that its bundle needs: they are
# allowed by their sha256 hashes, computed from the built site (inline_script_hashes).
# connect-src: the API and the local Cognito proxy are same-origin; in AWS the CDK stack
# passes Cognito's public API origin. The attachments bucket: the widgets POST uploads to it and
# show thumbnails from it (locally it is same-origin, the /_s3/ proxy; on AWS its own origin).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' {script_hashes}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: {attachments}",
        "font-src 'self' data:",
        "connect-src 'self' {cognito} {attachments}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Powerful browser features the portal never uses are off for its pages and anything they embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


# An inline <script> without src whose type is JavaScript (data blocks such as
# type="application/json" are never executed, so CSP does not apply to them).
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def inline_script_hashes(site_dir: Path | str) -> list[str]:
    """The CSP hash sources (``'sha256-...'``) of every executable inline script of a built
    site, sorted and without duplicates; empty when the site is not built."""
    hashes: set[str] = set()
    for page in sorted(Path(site_dir).rglob("*.html")):
        for match in _INLINE_SCRIPT.finditer(page.read_text(encoding="utf-8")):
            attrs = match.group("attrs") or ""
            if re.search(r"\bsrc\s*=", attrs, re.I):
                continue
            script_type = _TYPE.search(attrs)
            if (script_type.group(1).lower() if script_type else "") not in _JS_TYPES:
                continue
            digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


def content_security_policy(
    cognito_origin: str = "", script_hashes: Iterable[str] = (), attachments_origin: str = ""
) -> str:
    policy = CONTENT_SECURITY_POLICY.format(
        cognito=cognito_origin, script_hashes=" ".join(script_hashes), attachments=attachments_origin
    )
    while "  " in policy:
        policy = policy.replace("  ", " ")
    return policy.replace(" ;", ";")


def security_headers(
    cognito_origin: str = "", script_hashes: Iterable[str] = (), attachments_origin: str = ""
) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(cognito_origin, script_hashes, attachments_origin),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": PERMISSIONS_POLICY,
        # A window the portal opens, or that opens it, gets no handle on it (no cross-window tricks).
        "Cross-Origin-Opener-Policy": "same-origin",
    }
