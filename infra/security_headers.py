"""The security headers the site is served with: CloudFront's response-headers policy and
the local server send the same ones, so the browser tests run under the production CSP."""
from __future__ import annotations

# Widgets are plain files from the same origin; Material inlines no scripts we need to allow.
# connect-src: the API and the local Cognito proxy are same-origin; Cognito's public API
# in AWS is listed by the CDK stack through COGNITO_CONNECT_SRC.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self' {cognito}",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def content_security_policy(cognito_origin: str = "") -> str:
    return CONTENT_SECURITY_POLICY.format(cognito=cognito_origin).replace("  ", " ").replace(" ;", ";")


def security_headers(cognito_origin: str = "") -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(cognito_origin),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
    }
