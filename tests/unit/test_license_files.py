"""Signing license files: the PRODUCT.md §4 layout, checked with the documentation's snippet."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chalicelib.licenses import files as license_files
from tests.support.licenses import SIGNING_KEY, load_snippet

snippet = load_snippet()
LICENSE = {
    "id": "acme_aaaaaaaaaa",
    "product": "Vendor Gateway",
    "edition": "Enterprise",
    "status": "active",
    "expires_at": "2027-11-23T09:00:00Z",
    "capabilities": [{"name": "Throughput", "enabled": True, "limit": "10 Gbps"}],
}


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setattr(license_files, "signing_key", lambda: SIGNING_KEY)


def test_signature_covers_license_slash_enc():
    text = license_files.license_file(LICENSE)
    body = "".join(text.strip().splitlines()[1:-1])
    document = json.loads(base64.b64decode(body))
    SIGNING_KEY.public_key().verify(base64.b64decode(document["sig"]), f"license/{document['enc']}".encode())
    assert json.loads(base64.b64decode(document["enc"]))["license"] == LICENSE


def test_armour_lines_are_wrapped():
    lines = license_files.license_file(LICENSE).splitlines()
    assert all(len(line) <= 64 for line in lines[1:-1])


def test_payload_carries_the_file_ttl():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    payload = license_files.payload(LICENSE, at)
    assert payload == {
        "license": LICENSE,
        "issued_at": "2026-11-23T09:00:00Z",
        "expires_at": "2026-12-23T09:00:00Z",
        "ttl": 30 * 86400,
    }


def test_public_key_is_64_hex_digits():
    answer = license_files.public_key()
    assert answer["alg"] == "ed25519"
    assert len(answer["public_key"]) == 64 and int(answer["public_key"], 16) >= 0


def test_another_key_does_not_verify():
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    with pytest.raises(snippet.InvalidLicenseFile, match="signature"):
        snippet.verify_license_file(license_files.license_file(LICENSE), other)


@pytest.mark.parametrize("text", ["", "hello", "-----BEGIN LICENSE FILE-----\n!!!!\n-----END LICENSE FILE-----"])
def test_garbage_is_not_a_license_file(text):
    with pytest.raises(snippet.InvalidLicenseFile):
        snippet.verify_license_file(text, "00" * 32)
