"""Signed license files (PRODUCT.md §4): Ed25519 over ``"license/" + enc``, Keygen-style armour.

The signing key lives in Secrets Manager (``LICENSE_SIGNING_KEY_SECRET``): a PEM private key,
read once per process through one cached client, so only the first file of a cold start pays.
"""

from __future__ import annotations

import base64
import functools
import json
import textwrap
from datetime import datetime, timedelta
from typing import Any

from chalicelib.core.clock import iso, utcnow
from chalicelib.core.config import settings

ALG = "base64+ed25519"
BEGIN = "-----BEGIN LICENSE FILE-----"
END = "-----END LICENSE FILE-----"
# How long a downloaded file stays valid offline before the product wants a fresh one.
FILE_TTL = timedelta(days=30)
DEFAULT_SECRET = "portal/license-signing-key"


def secret_name() -> str:
    return settings().license_signing_key_secret or DEFAULT_SECRET


@functools.lru_cache(maxsize=1)
def _secrets_client():
    import boto3

    config = settings()
    return boto3.client("secretsmanager", region_name=config.region, endpoint_url=config.endpoint_url)


@functools.lru_cache(maxsize=1)
def signing_key():
    """The Ed25519 private key; a PEM (PKCS#8) secret, or 64 hex digits of the raw seed."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    secret = _secrets_client().get_secret_value(SecretId=secret_name())["SecretString"].strip()
    if secret.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(secret.encode(), password=None)
    else:
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(secret))
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"The secret {secret_name()} does not hold an Ed25519 private key.")
    return key


def public_key_hex() -> str:
    from cryptography.hazmat.primitives import serialization

    raw = signing_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def public_key() -> dict[str, str]:
    return {"alg": "ed25519", "public_key": public_key_hex()}


def payload(license_data: dict[str, Any], at: datetime | None = None) -> dict[str, Any]:
    """The license plus the file's own validity: issued_at, expires_at and ttl in seconds."""
    at = at or utcnow()
    return {
        "license": license_data,
        "issued_at": iso(at),
        "expires_at": iso(at + FILE_TTL),
        "ttl": int(FILE_TTL.total_seconds()),
    }


def sign(data: dict[str, Any]) -> str:
    """The armoured file for ``data``: base64 of {"enc", "sig", "alg"} between the markers."""
    enc = base64.b64encode(json.dumps(data, separators=(",", ":"), sort_keys=True).encode()).decode()
    sig = base64.b64encode(signing_key().sign(f"license/{enc}".encode())).decode()
    document = json.dumps({"enc": enc, "sig": sig, "alg": ALG}, separators=(",", ":"))
    body = base64.b64encode(document.encode()).decode()
    return "\n".join([BEGIN, *textwrap.wrap(body, 64), END]) + "\n"


def license_file(license_data: dict[str, Any]) -> str:
    return sign(payload(license_data))
