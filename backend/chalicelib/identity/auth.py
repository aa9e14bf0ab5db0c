"""Cognito ID token -> Principal(user, org, roles).

The API verifies tokens itself (RS256 only, signature against the pool's JWKS, ``iss``,
``aud``, ``token_use``, ``exp``) so the same check runs in Lambda and in the local stack.
The JWKS URL and the expected issuer are separate settings: the local Cognito serves its
keys at a local URL but names the AWS issuer. ``iss``, ``aud`` and ``token_use`` are read
unverified first, so a token meant for someone else is refused before any key is fetched.
"""

from __future__ import annotations

import json
import math
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.core.config import settings
from chalicelib.core.errors import Forbidden, Unauthenticated, Unavailable

SUPPORT = "support"
ADMIN = "admin"
ROLES = (SUPPORT, ADMIN)


@dataclass(frozen=True)
class Principal:
    user_id: str
    email: str
    org: str
    roles: frozenset[str]

    @property
    def is_support(self) -> bool:
        # Admins run the vendor side, so they see the queue as support does.
        return bool(self.roles & {SUPPORT, ADMIN})

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    def as_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "email": self.email,
            "org": self.org,
            "roles": sorted(self.roles),
        }


def require_admin(principal: Principal) -> Principal:
    """The one rule of the vendor's administration: organisations, users and licenses."""
    if not principal.is_admin:
        raise Forbidden("Only admins manage organisations, users and licenses.")
    return principal


def operator(name: str) -> Principal:
    """The vendor's own tooling (the admin CLI, demo data) acting as an admin named ``name``."""
    return Principal(user_id=f"cli:{name}", email=f"cli:{name}", org="vendor", roles=frozenset({ADMIN}))


class _JwksCache:
    """The pool's signing keys, fetched once per process and kept.

    A token names its key (``kid``); a kid we do not know makes us refetch, as Cognito may
    have rotated its keys, but at most once every ``REFETCH_SECONDS``: anyone can mint
    tokens with made-up kids, and each must not cost a request to Cognito. Until the first
    fetch succeeds, a failed one is retried at most every ``RETRY_SECONDS`` (answering 503
    meanwhile), so an outage of the key endpoint is not hammered either.
    """

    REFETCH_SECONDS = 300
    RETRY_SECONDS = 10

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, Any] | None = None
        self._attempted_at: float | None = None

    def key_for(self, kid: str) -> Any:
        keys = self._keys
        if keys is None or kid not in keys:
            with self._lock:
                if self._keys is None or kid not in self._keys:
                    self._refresh()
                keys = self._keys
        if keys is None or kid not in keys:
            raise Unauthenticated("The token was signed by an unknown key.")
        return keys[kid]

    def _refresh(self) -> None:
        now = self._clock()
        wait = self.RETRY_SECONDS if self._keys is None else self.REFETCH_SECONDS
        if self._attempted_at is not None and now - self._attempted_at < wait:
            if self._keys is None:
                raise _unavailable(math.ceil(wait - (now - self._attempted_at)))
            return  # keys fetched lately: the kid stays unknown until a refetch is due
        self._attempted_at = now
        self._keys = self._fetch()

    def _fetch(self) -> dict[str, Any]:
        import jwt  # imported here: only requests that carry a token pay for it

        try:
            with urllib.request.urlopen(settings().cognito_jwks_url, timeout=5) as answer:
                if answer.status != 200:
                    raise ValueError(f"HTTP {answer.status}")
                document = json.load(answer)
            return {
                str(jwk["kid"]): jwt.PyJWK(jwk, algorithm="RS256").key
                for jwk in document["keys"]
                if jwk.get("kty") == "RSA"
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError, jwt.PyJWTError):
            # OSError: unreachable, timeout, HTTP error; ValueError: not JSON; the rest: not a JWKS.
            raise _unavailable(self.RETRY_SECONDS) from None


def _unavailable(retry_after: int) -> Unavailable:
    return Unavailable(
        "Sign-in cannot be checked right now: the user pool's signing keys could not be fetched. Try again shortly.",
        retry_after=retry_after,
    )


jwks = _JwksCache()


def principal_from_header(authorization: str | None) -> Principal:
    """Verify ``Authorization: Bearer <ID token>`` and return who is calling."""
    if not authorization:
        raise Unauthenticated("Sign in first: send 'Authorization: Bearer <ID token>'.")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <ID token>'.")
    return principal_from_token(token.strip())


def _check_addressed_to_us(token: str) -> None:
    """Refuse, from the unverified claims, a token of another pool, client or use: cheap, and
    before any key is fetched. The signature check below checks the same claims again."""
    import jwt

    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise Unauthenticated("The token is not a well-formed JWT.") from None
    config = settings()
    if claims.get("iss") != config.cognito_issuer:
        raise Unauthenticated("The token does not verify: it was issued by another user pool.")
    audience = claims.get("aud")
    if audience != config.user_pool_client_id and not (
        isinstance(audience, list) and config.user_pool_client_id in audience
    ):
        raise Unauthenticated("The token does not verify: it was issued to another app client.")
    if claims.get("token_use") != "id":
        raise Unauthenticated("Send the ID token, not the access token.")


def principal_from_token(token: str) -> Principal:
    import jwt

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise Unauthenticated("The token is not a well-formed JWT.") from None
    if header.get("alg") != "RS256":
        raise Unauthenticated("Only RS256-signed Cognito ID tokens are accepted.")
    _check_addressed_to_us(token)
    config = settings()
    try:
        claims = jwt.decode(
            token,
            key=jwks.key_for(str(header.get("kid", ""))),
            algorithms=["RS256"],
            audience=config.user_pool_client_id,
            issuer=config.cognito_issuer,
            options={"require": ["exp", "iss", "aud", "sub", "token_use"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("The token has expired: sign in again.") from None
    except jwt.PyJWTError as error:
        raise Unauthenticated(f"The token does not verify: {error}.") from None
    if claims.get("token_use") != "id":
        raise Unauthenticated("Send the ID token, not the access token.")
    roles = frozenset(g for g in claims.get("cognito:groups", []) if g in ROLES)
    org = str(claims.get("custom:org", ""))
    if not org and not roles:
        raise Unauthenticated("The account belongs to no organisation; ask an admin to set one.")
    return Principal(
        user_id=str(claims["sub"]),
        email=str(claims.get("email", "")).lower(),  # addresses are compared and keyed lower-case
        org=org,
        roles=roles,
    )
