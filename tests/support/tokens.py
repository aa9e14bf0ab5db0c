"""Mint Cognito-shaped ID tokens with a test key, and forged ones for the attack cases."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KID = "test-key-1"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test"
CLIENT_ID = "test-client"

SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def claims_for(email: str, org: str = "", groups: tuple[str, ...] = (), **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": f"sub-{email}",
        "email": email,
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "token_use": "id",
        "iat": now,
        "exp": now + 3600,
    }
    if org:
        claims["custom:org"] = org
    if groups:
        claims["cognito:groups"] = list(groups)
    claims.update(overrides)
    return claims


def sign(claims: dict[str, Any], key=SIGNING_KEY, kid: str = KID) -> str:
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def unsigned(claims: dict[str, Any]) -> str:
    """An ``alg: none`` token: a forger's first try."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{part(claims)}."


def tampered(token: str, **changes: Any) -> str:
    """A valid token whose claims were edited after signing (the signature no longer fits)."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    new_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{new_payload}.{signature}"


def public_keys() -> dict[str, Any]:
    return {KID: SIGNING_KEY.public_key()}
