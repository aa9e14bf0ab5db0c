"""Signed license files verify with the published key, and the docs' snippet proves it."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.licenses import in_days, issue, load_snippet, set_expiry, snippet_path
from tests.support.users import ADMIN, AGENT, ALICE

snippet = load_snippet()


def download(api, license_id, user=ALICE, algorithm=None) -> str:
    query = f"?algorithm={algorithm}" if algorithm else ""
    response = api.client.http.request(
        "GET", f"/licenses/{license_id}/file{query}", headers={"Authorization": f"Bearer {user.token}"}
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
    assert list(document) == ["enc", "sig", "alg"]
    assert document["alg"] == "base64+ed25519"
    assert len(base64.b64decode(document["sig"])) == 64


@pytest.mark.parametrize("algorithm", ["base64+ed25519", "aes-256-gcm+ed25519", "aes-256-gcm%2Bed25519"])
def test_the_algorithm_is_chosen_in_the_query(api, acme_license, algorithm):
    text = download(api, acme_license["id"], algorithm=algorithm)
    document = json.loads(base64.b64decode("".join(text.strip().splitlines()[1:-1])))
    assert document["alg"] == algorithm.replace("%2B", "+")


@pytest.mark.parametrize("algorithm", ["rsa-sha256", "aes-256-gcm+rsa-pss-sha256", ""])
def test_another_algorithm_is_400_naming_the_field(api, acme_license, algorithm):
    response = api.get(f"/licenses/{acme_license['id']}/file?algorithm={algorithm}", ALICE)
    assert response.status_code == 400
    assert "algorithm" in response.json["Message"]


@pytest.mark.parametrize("algorithm", ["base64+ed25519", "aes-256-gcm+ed25519"])
@pytest.mark.parametrize("user", [ALICE, AGENT, ADMIN], ids=["customer", "support", "admin"])
def test_license_file_verifies_with_the_published_key(api, acme_license, user, algorithm):
    dataset = snippet.verify_license_file(
        download(api, acme_license["id"], user, algorithm), published_key(api), acme_license["key"]
    )
    assert dataset["data"]["type"] == "licenses" and dataset["data"]["id"] == acme_license["id"]
    attributes = dataset["data"]["attributes"]
    assert attributes == {
        "name": "Vendor Gateway Enterprise",
        "key": acme_license["key"],
        "expiry": acme_license["expires_at"],
        "status": "ACTIVE",
        "suspended": False,
        "maxMachines": None,
        "metadata": {"org": "acme", "product": "Vendor Gateway", "edition": "Enterprise"},
        "created": acme_license["issued_at"],
        "updated": attributes["updated"],
    }
    # Enabled capabilities are the entitlements; Reporting is disabled, so the license lacks it.
    entitlements = [(e["type"], e["attributes"]["code"], e["attributes"]["name"]) for e in dataset["included"]]
    assert entitlements == [
        ("entitlements", "THROUGHPUT", "Throughput"),
        ("entitlements", "HIGH_AVAILABILITY", "High availability"),
    ]
    assert [e["attributes"]["metadata"] for e in dataset["included"]] == [{"limit": "10 Gbps"}, {"limit": None}]
    assert len({e["id"] for e in dataset["included"]}) == 2


def test_entitlement_ids_are_stable_across_downloads(api, acme_license):
    first, second = (
        snippet.verify_license_file(download(api, acme_license["id"]), published_key(api)) for _ in range(2)
    )
    assert [e["id"] for e in first["included"]] == [e["id"] for e in second["included"]]


def test_max_machines_is_the_deployment_limit(api, signing):
    license_ = issue(api, max_deployments=3)
    dataset = snippet.verify_license_file(download(api, license_["id"]), published_key(api))
    assert dataset["data"]["attributes"]["maxMachines"] == 3


def test_license_file_carries_its_own_ttl(api, acme_license):
    dataset = snippet.verify_license_file(download(api, acme_license["id"]), published_key(api))
    meta = dataset["meta"]
    issued = datetime.strptime(meta["issued"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    expires = datetime.strptime(meta["expiry"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(issued - datetime.now(UTC)) < timedelta(minutes=1)
    assert expires - issued == timedelta(seconds=meta["ttl"]) == timedelta(days=30)
    later = expires + timedelta(seconds=1)
    with pytest.raises(snippet.InvalidLicenseFile, match="expired"):
        snippet.verify_license_file(download(api, acme_license["id"]), published_key(api), now=later)


@pytest.mark.parametrize("algorithm", ["base64+ed25519", "aes-256-gcm+ed25519"])
def test_the_file_of_an_expiring_license_ends_with_the_license(api, acme_license, algorithm):
    set_expiry(acme_license["id"], in_days(5))
    expiry = api.get(f"/licenses/{acme_license['id']}", ALICE).json["expires_at"]
    dataset = snippet.verify_license_file(
        download(api, acme_license["id"], algorithm=algorithm), published_key(api), acme_license["key"]
    )
    assert dataset["meta"]["expiry"] == expiry == dataset["data"]["attributes"]["expiry"]
    assert dataset["data"]["attributes"]["status"] == "EXPIRING"
    assert 4 * 86400 < dataset["meta"]["ttl"] <= 5 * 86400


def test_a_suspended_license_gets_409_and_no_file(api, acme_license):
    api.post(f"/admin/licenses/{acme_license['id']}/suspend", ADMIN)
    response = api.get(f"/licenses/{acme_license['id']}/file", ALICE)
    assert response.status_code == 409
    assert "suspended" in response.json["Message"] and "re-activate" in response.json["Message"]


def test_an_expired_license_gets_409_and_no_file(api, acme_license):
    set_expiry(acme_license["id"], in_days(-1))
    response = api.get(f"/licenses/{acme_license['id']}/file?algorithm=aes-256-gcm%2Bed25519", ALICE)
    assert response.status_code == 409
    assert "expired" in response.json["Message"] and "renewal" in response.json["Message"]


def _flip(text: str, position: int) -> str:
    character = text[position]
    replacement = "B" if character != "B" else "C"
    return text[:position] + replacement + text[position + 1 :]


@pytest.mark.parametrize("algorithm", ["base64+ed25519", "aes-256-gcm+ed25519"])
@pytest.mark.parametrize("where", [0.2, 0.5, 0.8])
def test_one_changed_byte_fails_verification(api, acme_license, where, algorithm):
    text = download(api, acme_license["id"], algorithm=algorithm)
    body_start = text.index("\n") + 1
    body_end = text.rindex("-----END")
    position = body_start + int((body_end - body_start) * where)
    while text[position] == "\n":
        position += 1
    with pytest.raises(snippet.InvalidLicenseFile):
        snippet.verify_license_file(_flip(text, position), published_key(api), acme_license["key"])


def test_an_encrypted_file_needs_its_license_key(api, acme_license):
    text = download(api, acme_license["id"], algorithm="aes-256-gcm+ed25519")
    with pytest.raises(snippet.InvalidLicenseFile, match="license key"):
        snippet.verify_license_file(text, published_key(api))
    with pytest.raises(snippet.InvalidLicenseFile, match="decryption failed"):
        snippet.verify_license_file(text, published_key(api), "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ")


def test_a_changed_payload_with_the_old_signature_fails(api, acme_license):
    text = download(api, acme_license["id"])
    lines = text.strip().splitlines()
    document = json.loads(base64.b64decode("".join(lines[1:-1])))
    payload = json.loads(base64.b64decode(document["enc"]))
    payload["data"]["attributes"]["expiry"] = "2099-01-01T00:00:00Z"
    document["enc"] = base64.b64encode(json.dumps(payload).encode()).decode()
    forged = "\n".join([lines[0], base64.b64encode(json.dumps(document).encode()).decode(), lines[-1]])
    with pytest.raises(snippet.InvalidLicenseFile, match="signature"):
        snippet.verify_license_file(forged, published_key(api))


@pytest.mark.parametrize("algorithm", ["base64+ed25519", "aes-256-gcm+ed25519"])
def test_the_documented_snippet_runs_as_a_script(api, acme_license, tmp_path, algorithm):
    path = tmp_path / "acme.lic"
    path.write_text(download(api, acme_license["id"], algorithm=algorithm))
    command = [sys.executable, str(snippet_path()), str(path), published_key(api), acme_license["key"]]
    good = subprocess.run(command, capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    assert "VALID: Vendor Gateway Enterprise, license ACTIVE" in good.stdout
    assert "THROUGHPUT: Throughput (10 Gbps)" in good.stdout
    path.write_text(_flip(path.read_text(), 100))
    bad = subprocess.run(command, capture_output=True, text=True)
    assert bad.returncode == 1 and "INVALID" in bad.stderr
