"""Signed license files verify with the published key, and the docs' snippet proves it."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.licenses import load_snippet, snippet_path
from tests.support.users import ADMIN, AGENT, ALICE

snippet = load_snippet()


def download(api, license_id, user=ALICE) -> str:
    response = api.client.http.request(
        "GET", f"/licenses/{license_id}/file", headers={"Authorization": f"Bearer {user.token}"}
    )
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"].startswith("text/plain")
    assert f'filename="{license_id}.lic"' in response.headers["Content-Disposition"]
    return response.body.decode()


def published_key(api) -> str:
    return api.get("/licenses/public-key").json["public_key"]


def test_license_file_has_the_keygen_layout(api, acme_license):
    text = download(api, acme_license["id"])
    lines = text.strip().splitlines()
    assert lines[0] == "-----BEGIN LICENSE FILE-----" and lines[-1] == "-----END LICENSE FILE-----"
    document = json.loads(base64.b64decode("".join(lines[1:-1])))
    assert set(document) == {"enc", "sig", "alg"}
    assert document["alg"] == "base64+ed25519"
    assert len(base64.b64decode(document["sig"])) == 64


@pytest.mark.parametrize("user", [ALICE, AGENT, ADMIN], ids=["customer", "support", "admin"])
def test_license_file_verifies_with_the_published_key(api, acme_license, user):
    payload = snippet.verify_license_file(download(api, acme_license["id"], user), published_key(api))
    license_ = payload["license"]
    assert license_["id"] == acme_license["id"] and license_["key"] == acme_license["key"]
    assert license_["capabilities"] == acme_license["capabilities"]
    assert license_["expires_at"] == acme_license["expires_at"]
    assert license_["status"] == "active"


def test_license_file_carries_its_own_ttl(api, acme_license):
    payload = snippet.verify_license_file(download(api, acme_license["id"]), published_key(api))
    issued = datetime.strptime(payload["issued_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    expires = datetime.strptime(payload["expires_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(issued - datetime.now(UTC)) < timedelta(minutes=1)
    assert expires - issued == timedelta(seconds=payload["ttl"]) == timedelta(days=30)
    later = expires + timedelta(seconds=1)
    with pytest.raises(snippet.InvalidLicenseFile, match="expired"):
        snippet.verify_license_file(download(api, acme_license["id"]), published_key(api), now=later)


def _flip(text: str, position: int) -> str:
    character = text[position]
    replacement = "B" if character != "B" else "C"
    return text[:position] + replacement + text[position + 1 :]


@pytest.mark.parametrize("where", [0.2, 0.5, 0.8])
def test_one_changed_byte_fails_verification(api, acme_license, where):
    text = download(api, acme_license["id"])
    body_start = text.index("\n") + 1
    body_end = text.rindex("-----END")
    position = body_start + int((body_end - body_start) * where)
    while text[position] == "\n":
        position += 1
    with pytest.raises(snippet.InvalidLicenseFile):
        snippet.verify_license_file(_flip(text, position), published_key(api))


def test_a_changed_payload_with_the_old_signature_fails(api, acme_license):
    text = download(api, acme_license["id"])
    lines = text.strip().splitlines()
    document = json.loads(base64.b64decode("".join(lines[1:-1])))
    payload = json.loads(base64.b64decode(document["enc"]))
    payload["license"]["expires_at"] = "2099-01-01T00:00:00Z"
    document["enc"] = base64.b64encode(json.dumps(payload).encode()).decode()
    forged = "\n".join([lines[0], base64.b64encode(json.dumps(document).encode()).decode(), lines[-1]])
    with pytest.raises(snippet.InvalidLicenseFile, match="signature"):
        snippet.verify_license_file(forged, published_key(api))


def test_the_documented_snippet_runs_as_a_script(api, acme_license, tmp_path):
    path = tmp_path / "acme.lic"
    path.write_text(download(api, acme_license["id"]))
    good = subprocess.run(
        [sys.executable, str(snippet_path()), str(path), published_key(api)], capture_output=True, text=True
    )
    assert good.returncode == 0, good.stderr
    assert "VALID: Vendor Gateway Enterprise" in good.stdout and "Throughput (10 Gbps): enabled" in good.stdout
    path.write_text(_flip(path.read_text(), 100))
    bad = subprocess.run(
        [sys.executable, str(snippet_path()), str(path), published_key(api)], capture_output=True, text=True
    )
    assert bad.returncode == 1 and "INVALID" in bad.stderr


def test_a_suspended_license_file_says_suspended(api, acme_license):
    api.post(f"/admin/licenses/{acme_license['id']}/suspend", ADMIN)
    payload = snippet.verify_license_file(download(api, acme_license["id"]), published_key(api))
    assert payload["license"]["status"] == "suspended"
