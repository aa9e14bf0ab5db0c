"""Cognito ID token verification: what is accepted, what is refused, and JWKS caching."""

import base64
import hashlib
import hmac
import json
import time

import pytest

from chalicelib.core.errors import Unauthenticated
from chalicelib.identity import auth
from tests.support import tokens


def test_valid_token_gives_user_organisation_and_roles():
    claims = tokens.claims_for("agent@vendor.example", "vendor", ("support", "admin", "beta-testers"))
    principal = auth.principal_from_header(f"Bearer {tokens.sign(claims)}")
    assert principal.email == "agent@vendor.example"
    assert principal.org == "vendor"
    assert principal.roles == frozenset({"support", "admin"})
    assert principal.is_support and principal.is_admin


def test_customer_has_no_roles():
    principal = auth.principal_from_token(tokens.sign(tokens.claims_for("alice@acme.example", "acme")))
    assert (principal.org, principal.roles, principal.is_support) == ("acme", frozenset(), False)


@pytest.mark.parametrize(
    "header, message",
    [
        (None, "Sign in first"),
        ("", "Sign in first"),
        ("Basic dXNlcjpwYXNz", "must be 'Bearer <ID token>'"),
        ("Bearer ", "must be 'Bearer <ID token>'"),
    ],
)
def test_missing_or_malformed_header_is_refused(header, message):
    with pytest.raises(Unauthenticated, match=message):
        auth.principal_from_header(header)


def test_hs256_token_signed_with_the_public_key_is_refused():
    """The classic algorithm-confusion attack: only RS256 is accepted."""
    from cryptography.hazmat.primitives import serialization

    public_pem = tokens.SIGNING_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    # PyJWT itself refuses to HMAC-sign with a PEM key, so the forger builds the token by hand.
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    signing_input = f"{part({'alg': 'HS256', 'kid': tokens.KID})}.{part(tokens.claims_for('eve@evil.example', 'acme'))}"
    signature = base64.urlsafe_b64encode(hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest())
    forged = f"{signing_input}.{signature.rstrip(b'=').decode()}"
    with pytest.raises(Unauthenticated, match="Only RS256"):
        auth.principal_from_token(forged)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"exp": int(time.time()) - 1}, "expired"),
        ({"iss": "https://evil.example"}, "does not verify"),
        ({"aud": "other-client"}, "does not verify"),
        ({"token_use": "access"}, "ID token"),
    ],
)
def test_claims_are_checked(change, message):
    token = tokens.sign({**tokens.claims_for("alice@acme.example", "acme"), **change})
    with pytest.raises(Unauthenticated, match=message):
        auth.principal_from_token(token)


def test_token_without_organisation_or_role_is_refused():
    with pytest.raises(Unauthenticated, match="no organisation"):
        auth.principal_from_token(tokens.sign(tokens.claims_for("drifter@nowhere.example")))


def test_jwks_is_fetched_once_and_cached(monkeypatch):
    fetches = []

    def fetch():
        fetches.append(1)
        return tokens.public_keys()

    monkeypatch.setattr(auth.jwks, "_fetch", fetch)
    for _ in range(5):
        auth.principal_from_token(tokens.sign(tokens.claims_for("alice@acme.example", "acme")))
    assert len(fetches) == 1


def test_unknown_key_id_refetches_once_then_refuses(monkeypatch):
    fetches = []

    def fetch():
        fetches.append(1)
        return tokens.public_keys()

    monkeypatch.setattr(auth.jwks, "_fetch", fetch)
    auth.principal_from_token(tokens.sign(tokens.claims_for("alice@acme.example", "acme")))
    with pytest.raises(Unauthenticated, match="unknown key"):
        auth.principal_from_token(tokens.sign(tokens.claims_for("a@acme.example", "acme"), kid="rotated"))
    assert len(fetches) == 2
