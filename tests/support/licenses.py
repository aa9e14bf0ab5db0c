"""License test helpers: the signing secret, licenses issued through the admin API, clock edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import boto3
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.support import ROOT
from tests.support.modules import load_module
from tests.support.users import ADMIN

# One key for the whole session: the backend caches the key it read, as a Lambda would.
SIGNING_KEY = Ed25519PrivateKey.generate()
PUBLIC_KEY_HEX = SIGNING_KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()

CAPABILITIES = [
    {"name": "Throughput", "enabled": True, "limit": "10 Gbps"},
    {"name": "High availability", "enabled": True},
    {"name": "Reporting", "enabled": False},
]


def load_snippet() -> ModuleType:
    """The documentation's verification snippet, imported from docs/snippets as readers copy it."""
    return load_module("verify_license", ROOT / "docs/snippets/verify_license.py")


def store_signing_key() -> None:
    from chalicelib.licenses import files as license_files

    pem = SIGNING_KEY.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    boto3.client("secretsmanager", region_name="us-east-1").create_secret(
        Name=license_files.secret_name(), SecretString=pem
    )


def issue(api, org: str = "acme", days: int = 365, **fields) -> dict:
    body = {
        "org": org,
        "product": "Vendor Gateway",
        "edition": "Enterprise",
        "days": days,
        "capabilities": CAPABILITIES,
        **fields,
    }
    response = api.post("/admin/licenses", ADMIN, body)
    assert response.status_code == 201, response.body
    return response.json


def set_expiry(license_id: str, expires_at: datetime) -> None:
    """Move a license's expiry (to make it expired or expiring) the way a renewal would."""
    from chalicelib.core.clock import iso
    from chalicelib.licenses.models import LicenseItem, expiry_sk, license_key

    org = license_id.rpartition("_")[0]
    stamp = iso(expires_at)
    LicenseItem(*license_key(org, license_id)).update(
        actions=[LicenseItem.expires_at.set(stamp), LicenseItem.gsi2sk.set(expiry_sk(stamp, license_id))]
    )


def in_days(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


@pytest.fixture
def signing(api):
    store_signing_key()


@pytest.fixture
def acme_license(api, signing) -> dict:
    return issue(api, "acme")


@pytest.fixture
def globex_license(api, signing) -> dict:
    return issue(
        api,
        "globex",
        product="Vendor Analytics",
        edition="Standard",
        capabilities=[{"name": "Seats", "limit": "50 users"}],
    )


@pytest.fixture
def fixed_clock(monkeypatch):
    """Rate-limit windows at a fixed moment (mid-minute), movable by the test."""
    from chalicelib.core import rate_limit

    clock = {"now": 1_800_000_030.0}
    monkeypatch.setattr(rate_limit, "_clock", lambda: clock["now"])
    return clock


def snippet_path() -> Path:
    return ROOT / "docs/snippets/verify_license.py"
