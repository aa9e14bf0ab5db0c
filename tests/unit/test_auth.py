"""Cognito ID token verification: what is accepted, what is refused, and JWKS caching."""

import base64
import hashlib
import hmac
import json
import time

import pytest

from chalicelib.core.errors import Unauthenticated, Unavailable
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


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Fetches(list):
    """When the JWKS was fetched, on the clock the test moves."""

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock


@pytest.fixture
def key_fetches(monkeypatch):
    fetches = Fetches(Clock())

    def fetch():
        fetches.append(fetches.clock.now)
        return tokens.public_keys()

    cache = auth._JwksCache(clock=fetches.clock)
    monkeypatch.setattr(cache, "_fetch", fetch)
    monkeypatch.setattr(auth, "jwks", cache)
    return fetches


@pytest.mark.parametrize(
    "change, message",
    [
        ({"exp": int(time.time()) - 1}, "expired"),
        ({"iss": "https://evil.example"}, "another user pool"),
        ({"aud": "other-client"}, "another app client"),
        ({"token_use": "access"}, "ID token"),
    ],
)
def test_claims_are_checked(change, message):
    token = tokens.sign({**tokens.claims_for("alice@acme.example", "acme"), **change})
    with pytest.raises(Unauthenticated, match=message):
        auth.principal_from_token(token)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"iss": "https://evil.example"}, "another user pool"),
        ({"iss": None}, "another user pool"),
        ({"aud": "other-client"}, "another app client"),
        ({"aud": ["other-client"]}, "another app client"),
        ({"token_use": "access"}, "ID token"),
        ({"token_use": None}, "ID token"),
    ],
)
def test_token_for_another_pool_client_or_use_is_refused_before_any_key_is_fetched(key_fetches, change, message):
    claims = {k: v for k, v in {**tokens.claims_for("alice@acme.example", "acme"), **change}.items() if v is not None}
    with pytest.raises(Unauthenticated, match=message):
        auth.principal_from_token(tokens.sign(claims, kid="never-seen"))
    assert key_fetches == []


def test_token_whose_audience_lists_the_client_is_accepted(key_fetches):
    claims = tokens.claims_for("alice@acme.example", "acme", aud=["other-client", tokens.CLIENT_ID])
    assert auth.principal_from_token(tokens.sign(claims)).org == "acme"


def test_token_without_organisation_or_role_is_refused():
    with pytest.raises(Unauthenticated, match="no organisation"):
        auth.principal_from_token(tokens.sign(tokens.claims_for("drifter@nowhere.example")))


def test_jwks_is_fetched_once_and_cached(key_fetches):
    for _ in range(5):
        auth.principal_from_token(tokens.sign(tokens.claims_for("alice@acme.example", "acme")))
    assert len(key_fetches) == 1


def test_unknown_key_id_refetches_once_then_refuses(key_fetches):
    auth.principal_from_token(tokens.sign(tokens.claims_for("alice@acme.example", "acme")))
    key_fetches.clock.advance(auth.jwks.REFETCH_SECONDS)
    with pytest.raises(Unauthenticated, match="unknown key"):
        auth.principal_from_token(tokens.sign(tokens.claims_for("a@acme.example", "acme"), kid="rotated"))
    assert len(key_fetches) == 2


def test_unknown_key_id_storm_fetches_the_keys_at_most_once_per_five_minutes(key_fetches):
    valid = tokens.sign(tokens.claims_for("alice@acme.example", "acme"))
    started = key_fetches.clock.now
    for n in range(200):  # 200 junk tokens over 1000 seconds, each with a fresh kid
        junk = tokens.sign(tokens.claims_for("eve@acme.example", "acme"), key=tokens.OTHER_KEY, kid=f"junk-{n}")
        with pytest.raises(Unauthenticated, match="unknown key"):
            auth.principal_from_token(junk)
        if n % 20 == 0:
            assert auth.principal_from_token(valid).org == "acme"  # real users are unaffected
        key_fetches.clock.advance(5)
    elapsed = key_fetches.clock.now - started
    assert 1 <= len(key_fetches) <= 1 + elapsed // (5 * 60)
    assert all(later - earlier >= 5 * 60 for earlier, later in zip(key_fetches, key_fetches[1:], strict=False))


def test_rotated_key_is_picked_up_once_the_refetch_is_due(key_fetches, monkeypatch):
    auth.principal_from_token(tokens.sign(tokens.claims_for("alice@acme.example", "acme")))
    monkeypatch.setattr(
        tokens,
        "public_keys",
        lambda: {tokens.KID: tokens.SIGNING_KEY.public_key(), "new": tokens.OTHER_KEY.public_key()},
    )
    rotated = tokens.sign(tokens.claims_for("alice@acme.example", "acme"), key=tokens.OTHER_KEY, kid="new")
    key_fetches.clock.advance(auth.jwks.REFETCH_SECONDS)
    assert auth.principal_from_token(rotated).org == "acme"


class KeyEndpoint:
    """A JWKS endpoint on a free local port that answers what the test sets, counting requests."""

    def __init__(self) -> None:
        import http.server
        import threading

        endpoint = self
        self.status, self.body, self.requests = 200, b"", 0
        self.clock = Clock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                endpoint.requests += 1
                self.send_response(endpoint.status)
                self.send_header("Content-Length", str(len(endpoint.body)))
                self.end_headers()
                self.wfile.write(endpoint.body)

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/.well-known/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def key_endpoint(monkeypatch):
    """The real fetch against a local endpoint, on a clock the test moves."""
    import dataclasses

    endpoint = KeyEndpoint()
    config = dataclasses.replace(auth.settings(), cognito_jwks_url=endpoint.url)
    monkeypatch.setattr(auth, "settings", lambda: config)
    monkeypatch.setattr(auth, "jwks", auth._JwksCache(clock=endpoint.clock))
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


def jwks_document() -> bytes:
    import jwt

    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(tokens.SIGNING_KEY.public_key()))
    return json.dumps({"keys": [{**jwk, "kid": tokens.KID, "alg": "RS256", "use": "sig"}]}).encode()


def test_keys_are_fetched_from_the_pools_jwks_url(key_endpoint):
    key_endpoint.body = jwks_document()
    assert auth.principal_from_token(tokens.sign(tokens.claims_for("alice@acme.example", "acme"))).org == "acme"
    assert key_endpoint.requests == 1


@pytest.mark.parametrize(
    "status, body",
    [
        (500, b'{"message": "internal error"}'),
        (404, b"Not found"),
        (204, b""),
        (200, b"<html>maintenance</html>"),
        (200, b'["not", "a", "key set"]'),
        (200, b'{"keys": [{"kty": "RSA", "kid": "k", "n": "!!", "e": "AQAB"}]}'),
    ],
)
def test_a_key_endpoint_that_answers_nonsense_makes_the_token_unverifiable_for_now(key_endpoint, status, body):
    key_endpoint.status, key_endpoint.body = status, body
    with pytest.raises(Unavailable, match="signing keys could not be fetched") as refused:
        auth.principal_from_token(tokens.sign(tokens.claims_for("alice@acme.example", "acme")))
    assert refused.value.retry_after > 0


def test_an_unreachable_key_endpoint_makes_the_token_unverifiable_for_now(key_endpoint):
    key_endpoint.server.shutdown()
    key_endpoint.server.server_close()  # nothing listens on the port any more
    with pytest.raises(Unavailable, match="signing keys could not be fetched"):
        auth.principal_from_token(tokens.sign(tokens.claims_for("alice@acme.example", "acme")))


def test_a_failed_key_fetch_is_retried_only_after_a_pause(key_endpoint):
    token = tokens.sign(tokens.claims_for("alice@acme.example", "acme"))
    key_endpoint.status, key_endpoint.body = 500, b"down"
    for _ in range(50):
        with pytest.raises(Unavailable):
            auth.principal_from_token(token)
    assert key_endpoint.requests == 1
    key_endpoint.status, key_endpoint.body = 200, jwks_document()
    key_endpoint.clock.advance(auth.jwks.RETRY_SECONDS)
    assert auth.principal_from_token(token).org == "acme"
    assert key_endpoint.requests == 2
