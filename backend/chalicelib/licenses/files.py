"""Keygen-compatible license files (PRODUCT.md §4): Ed25519 over ``"license/" + enc``, plain or AES-256-GCM.

The signing key lives in Secrets Manager (``LICENSE_SIGNING_KEY_SECRET``): a PEM private key,
read once per process through ``core.secrets``, so only the first file of a cold start pays.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import textwrap
from datetime import datetime, timedelta
from typing import Any

from chalicelib.core.clock import iso, parse, utcnow
from chalicelib.core.config import settings
from chalicelib.core.secrets import secret_string

BASE64 = "base64+ed25519"
AES_GCM = "aes-256-gcm+ed25519"
ALGORITHMS = (BASE64, AES_GCM)  # Keygen's two Ed25519 schemes; the first is the default
BEGIN = "-----BEGIN LICENSE FILE-----"
END = "-----END LICENSE FILE-----"
# How long a downloaded file stays valid offline before the product wants a fresh one (never
# longer than the license itself).
FILE_TTL = timedelta(days=30)
DEFAULT_SECRET = "portal/license-signing-key"


def secret_name() -> str:
    return settings().license_signing_key_secret or DEFAULT_SECRET


@functools.lru_cache(maxsize=1)
def signing_key():
    """The Ed25519 private key; a PEM (PKCS#8) secret, or 64 hex digits of the raw seed."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    secret = secret_string(secret_name()).strip()
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


def payload(dataset: dict[str, Any], license_expiry: datetime, at: datetime | None = None) -> dict[str, Any]:
    """Keygen's dataset with its ``meta``: the file's own ``issued``, ``expiry`` and ``ttl`` (seconds).

    The file expires with the license if that comes first, so it never outlives it.
    """
    at = (at or utcnow()).replace(microsecond=0)
    expiry = min(at + FILE_TTL, license_expiry)
    return {**dataset, "meta": {"issued": iso(at), "expiry": iso(expiry), "ttl": int((expiry - at).total_seconds())}}


def _encrypt(plaintext: bytes, license_key: str) -> str:
    """Keygen's ``aes-256-gcm``: keyed with SHA-256 of the license key, a fresh 96-bit IV,
    written ``b64(ciphertext).b64(iv).b64(tag)``."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    iv = os.urandom(12)
    sealed = AESGCM(hashlib.sha256(license_key.encode()).digest()).encrypt(iv, plaintext, None)
    ciphertext, tag = sealed[:-16], sealed[-16:]
    return ".".join(base64.b64encode(part).decode() for part in (ciphertext, iv, tag))


def sign(data: dict[str, Any], algorithm: str = BASE64, license_key: str = "") -> str:
    """The armoured file: base64 of {"enc", "sig", "alg"} (Keygen's order) between the markers."""
    plaintext = json.dumps(data, separators=(",", ":")).encode()
    enc = _encrypt(plaintext, license_key) if algorithm == AES_GCM else base64.b64encode(plaintext).decode()
    sig = base64.b64encode(signing_key().sign(f"license/{enc}".encode())).decode()
    document = json.dumps({"enc": enc, "sig": sig, "alg": algorithm}, separators=(",", ":"))
    body = base64.b64encode(document.encode()).decode()
    return "\n".join([BEGIN, *textwrap.wrap(body, 60), END]) + "\n"


def license_file(dataset: dict[str, Any], algorithm: str = BASE64) -> str:
    """The signed file of a license's dataset (``views.file_dataset``); AES-GCM encrypts it
    with the license's own key, which only its holders know."""
    attributes = dataset["data"]["attributes"]
    return sign(payload(dataset, parse(attributes["expiry"])), algorithm, attributes["key"])
