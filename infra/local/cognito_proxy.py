"""The site's same-origin proxy to the emulator's Cognito, passing only what the widgets use.

moto's Cognito runs any operation without credentials and lets a user write any attribute of
their own; AWS refuses ``Admin*`` calls without IAM credentials and holds a user to the app
client's write attributes. The proxy does both, so a user of the local stack cannot make
themselves an admin or move to another organisation (``custom:org``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from infra.local import settings as local

Answer = tuple[int, dict[str, str], bytes]

TARGET_PREFIX = "AWSCognitoIdentityProviderService."

# What the sign-in widget (docs/assets/portal/auth.js) calls, and what a user may do to their
# own account with their access token: read it, sign out, TOTP enrolment and the MFA choice.
OPERATIONS = frozenset(
    {
        "InitiateAuth",
        "RespondToAuthChallenge",
        "ForgotPassword",
        "ConfirmForgotPassword",
        "GetUser",
        "GlobalSignOut",
        "RevokeToken",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "SetUserMFAPreference",
        "UpdateUserAttributes",
    }
)


def _refusal(status: int, kind: str, message: str) -> Answer:
    """An answer in Cognito's own error shape, which the widget reads (``__type``, ``message``)."""
    body = json.dumps({"__type": kind, "message": message}).encode()
    return status, {"Content-Type": "application/x-amz-json-1.1"}, body


def _headers_get(headers: dict[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def written_attributes(operation: str, request: dict) -> list[str]:
    """The user attributes a request would write: UpdateUserAttributes' list, and the
    ``userAttributes.<name>`` answers of the new-password challenge."""
    if operation == "UpdateUserAttributes":
        attributes = request.get("UserAttributes")
        if not isinstance(attributes, list):
            return []
        return [str(a.get("Name")) if isinstance(a, dict) else str(a) for a in attributes]
    if operation == "RespondToAuthChallenge":
        answers = request.get("ChallengeResponses")
        if not isinstance(answers, dict):
            return []
        return [str(key).removeprefix("userAttributes.") for key in answers if str(key).startswith("userAttributes.")]
    return []


def check(headers: dict[str, str], body: bytes, write_attributes: frozenset[str]) -> Answer | None:
    """The refusal for a request the app client would not allow in AWS, or None to forward it."""
    target = _headers_get(headers, "x-amz-target") or ""
    operation = target.removeprefix(TARGET_PREFIX) if target.startswith(TARGET_PREFIX) else ""
    if operation not in OPERATIONS:
        named = operation or target or "(no X-Amz-Target)"
        return _refusal(
            403,
            "AccessDeniedException",
            f"The local stack's Cognito proxy passes only the operations the sign-in widgets use; "
            f"{named} is not one of them. Administer users with bin/portal.",
        )
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return _refusal(400, "SerializationException", "The request body is not JSON.")
    if not isinstance(request, dict):
        return _refusal(400, "SerializationException", "The request body must be a JSON object.")
    refused = sorted(name for name in written_attributes(operation, request) if name not in write_attributes)
    if refused:
        return _refusal(
            400,
            "NotAuthorizedException",
            f"A client attempted to write unauthorized attribute: {', '.join(refused)} "
            f"(the app client may write only {', '.join(sorted(write_attributes))}).",
        )
    return None


class CognitoProxy:
    """Forwards the widgets' Cognito calls to the emulator so they stay same-origin (CSP)."""

    def __init__(
        self, aws_endpoint: str, write_attributes: tuple[str, ...] = local.APP_CLIENT_WRITE_ATTRIBUTES
    ) -> None:
        self._endpoint = aws_endpoint.rstrip("/") + "/"
        self._write_attributes = frozenset(write_attributes)

    def __call__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if method != "POST":
            return 405, {"Content-Type": "text/plain; charset=utf-8", "Allow": "POST"}, b"POST only"
        refusal = check(headers, body, self._write_attributes)
        if refusal is not None:
            return refusal
        forward = {k: v for k, v in headers.items() if k.lower() in ("content-type", "x-amz-target")}
        request = urllib.request.Request(self._endpoint, data=body, headers=forward, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return (
                    answer.status,
                    {"Content-Type": answer.headers.get("Content-Type", "application/x-amz-json-1.1")},
                    answer.read(),
                )
        except urllib.error.HTTPError as error:
            content_type = error.headers.get("Content-Type", "application/x-amz-json-1.1")
            return error.code, {"Content-Type": content_type}, error.read()
