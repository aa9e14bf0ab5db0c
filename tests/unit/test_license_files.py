"""Signing license files in Keygen's format, decoded step by step as Keygen's documentation says."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from chalicelib.licenses import files as license_files
from tests.support.licenses import SIGNING_KEY, load_snippet

snippet = load_snippet()
KEY = "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2"
DATASET = {
    "data": {
        "type": "licenses",
        "id": "acme_aaaaaaaaaa",
        "attributes": {"name": "Vendor Gateway Enterprise", "key": KEY, "expiry": "2027-11-23T09:00:00Z"},
    },
    "included": [],
}
AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setattr(license_files, "signing_key", lambda: SIGNING_KEY)


def keygen_decode(text: str, license_key: str = KEY) -> dict:
    """Keygen's documented steps: strip the armour, base64 the JSON {enc, sig, alg}, verify the
    Ed25519 signature of "license/" + enc, then decode (or decrypt with SHA-256 of the key)."""
    assert text.startswith("-----BEGIN LICENSE FILE-----\n") and text.endswith("\n-----END LICENSE FILE-----\n")
    body = text.removeprefix("-----BEGIN LICENSE FILE-----\n").removesuffix("-----END LICENSE FILE-----\n")
    document = json.loads(base64.b64decode(body))
    assert list(document) == ["enc", "sig", "alg"]
    SIGNING_KEY.public_key().verify(base64.b64decode(document["sig"]), f"license/{document['enc']}".encode())
    if document["alg"] == "base64+ed25519":
        return json.loads(base64.b64decode(document["enc"]))
    assert document["alg"] == "aes-256-gcm+ed25519"
    ciphertext, iv, tag = (base64.b64decode(part) for part in document["enc"].split("."))
    assert len(iv) == 12 and len(tag) == 16
    plaintext = AESGCM(hashlib.sha256(license_key.encode()).digest()).decrypt(iv, ciphertext + tag, None)
    return json.loads(plaintext)


@pytest.mark.parametrize("algorithm", license_files.ALGORITHMS)
def test_a_file_decodes_step_by_step_as_keygen_documents_it(algorithm):
    dataset = keygen_decode(license_files.license_file(DATASET, algorithm))
    assert dataset["data"] == DATASET["data"] and dataset["included"] == []
    assert set(dataset["meta"]) == {"issued", "expiry", "ttl"}


def test_the_encrypted_file_does_not_show_the_dataset():
    text = license_files.license_file(DATASET, license_files.AES_GCM)
    document = json.loads(base64.b64decode("".join(text.splitlines()[1:-1])))
    assert "Vendor Gateway" not in document["enc"] and KEY not in base64.b64decode(document["enc"].split(".")[0]).hex()
    with pytest.raises(Exception):  # noqa: B017 -- any refusal of AES-GCM: the wrong key
        keygen_decode(text, license_key="ZZZZZ-FGHJK-LMNPQ-RSTUV-WXYZ2")


def test_armour_lines_are_wrapped_at_keygens_60_columns():
    lines = license_files.license_file(DATASET).splitlines()
    assert all(len(line) <= 60 for line in lines[1:-1]) and len(lines[1]) == 60


def test_the_file_ttl_is_30_days_when_the_license_runs_longer():
    payload = license_files.payload(DATASET, datetime(2027, 11, 23, 9, 0, tzinfo=UTC), AT)
    assert payload["meta"] == {"issued": "2026-11-23T09:00:00Z", "expiry": "2026-12-23T09:00:00Z", "ttl": 30 * 86400}


def test_the_file_never_outlives_the_license():
    license_expiry = AT + timedelta(days=3, hours=2)
    payload = license_files.payload(DATASET, license_expiry, AT)
    assert payload["meta"] == {"issued": "2026-11-23T09:00:00Z", "expiry": "2026-11-26T11:00:00Z", "ttl": 266400}


def test_public_key_is_64_hex_digits():
    answer = license_files.public_key()
    assert answer["alg"] == "ed25519"
    assert len(answer["public_key"]) == 64 and int(answer["public_key"], 16) >= 0


@pytest.mark.parametrize("algorithm", license_files.ALGORITHMS)
def test_another_key_does_not_verify(algorithm):
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    with pytest.raises(snippet.InvalidLicenseFile, match="signature"):
        snippet.verify_license_file(license_files.license_file(DATASET, algorithm), other, KEY)


@pytest.mark.parametrize("text", ["", "hello", "-----BEGIN LICENSE FILE-----\n!!!!\n-----END LICENSE FILE-----"])
def test_garbage_is_not_a_license_file(text):
    with pytest.raises(snippet.InvalidLicenseFile):
        snippet.verify_license_file(text, "00" * 32)
