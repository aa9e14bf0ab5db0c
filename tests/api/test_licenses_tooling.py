"""The admin CLI's license commands and the local stack's demo licenses and signing key."""

from __future__ import annotations

import argparse

import boto3
import pytest

from tests.support.users import ALICE, CAROL


def portal(*argv: str) -> str:
    from infra.admin import licenses as commands

    parser = argparse.ArgumentParser(prog="bin/portal")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_issues_renews_suspends_reactivates_and_lists(api, signing):
    out = portal(
        "license",
        "issue",
        "--org",
        "acme",
        "--product",
        "Vendor Gateway",
        "--edition",
        "Enterprise",
        "--days",
        "365",
        "--capability",
        "Throughput=10 Gbps",
        "--capability",
        "High availability",
        "--disabled",
        "Reporting",
    )
    assert "Issued:" in out and "+ Throughput (10 Gbps)" in out and "- Reporting" in out
    license_id = out.splitlines()[1].split()[0]
    detail = api.get(f"/licenses/{license_id}", ALICE).json
    assert detail["capabilities"] == [
        {"name": "Throughput", "enabled": True, "limit": "10 Gbps"},
        {"name": "High availability", "enabled": True},
        {"name": "Reporting", "enabled": False},
    ]
    assert "400 days left" in portal("license", "renew", license_id, "--days", "35")
    assert portal("license", "suspend", license_id) == f"Suspended {license_id}."
    assert "suspended" in portal("license", "list", "--org", "acme")
    assert "active" in portal("license", "reactivate", license_id)
    assert portal("license", "list", "--org", "globex") == "No licenses."


def test_cli_sets_and_changes_the_deployment_limit(api, signing):
    common = ("--org", "acme", "--product", "P", "--edition", "E", "--days", "5")
    out = portal("license", "issue", *common, "--max-deployments", "3")
    license_id = out.splitlines()[1].split()[0]
    assert "0/3" in out and api.get(f"/licenses/{license_id}", ALICE).json["max_deployments"] == 3
    assert "allows 7 deployments" in portal("license", "limit", license_id, "--max-deployments", "7")
    assert "allows unlimited" in portal("license", "limit", license_id, "--max-deployments", "unlimited")
    assert api.get(f"/licenses/{license_id}", ALICE).json["max_deployments"] is None


def test_cli_refuses_what_the_api_refuses(api, signing):
    from chalicelib.core.errors import Invalid, NotFound

    with pytest.raises(Invalid, match="days"):
        portal("license", "issue", "--org", "acme", "--product", "P", "--edition", "E", "--days", "0")
    with pytest.raises(NotFound, match="initech"):
        portal("license", "issue", "--org", "initech", "--product", "P", "--edition", "E", "--days", "5")
    with pytest.raises(Invalid, match="max_deployments"):
        portal(
            "license",
            "issue",
            "--org",
            "acme",
            "--product",
            "P",
            "--edition",
            "E",
            "--days",
            "5",
            "--max-deployments",
            "0",
        )
    with pytest.raises(Invalid, match="max-deployments"):
        portal("license", "limit", "acme_aaaaaaaaaa", "--max-deployments", "many")


def test_demo_licenses_cover_every_state_with_capabilities_and_deployments(api, signing):
    from infra.local.demo_licenses import seed_licenses

    seed_licenses()
    seed_licenses()  # a restart does not issue them again
    for user in (ALICE, CAROL):
        items = api.get("/licenses", user).json["items"]
        assert sorted(item["status"] for item in items) == ["active", "expired", "expiring", "suspended"]
        assert any(c.get("limit") for item in items for c in item["capabilities"])
        deployed = [api.get(f"/licenses/{item['id']}", user).json["deployments"] for item in items]
        assert any(d and d[0]["version"] for d in deployed)
    # Someone trying the local stack sees a license whose deployment limit is reached.
    full = [i for i in api.get("/licenses", ALICE).json["items"] if i["deployments_total"] == i["max_deployments"]]
    assert [(i["product"], i["edition"]) for i in full] == [("Vendor Gateway", "Enterprise")]


def test_local_signing_key_is_generated_once_and_survives_a_restart(aws, tmp_path):
    from infra.local.signing_key import ensure_signing_key

    key_path = tmp_path / "state" / "license-signing-key.pem"
    ensure_signing_key("portal/license-signing-key", key_path)
    first = key_path.read_text()
    assert first.startswith("-----BEGIN PRIVATE KEY-----")
    assert key_path.stat().st_mode & 0o077 == 0
    ensure_signing_key("portal/license-signing-key", key_path)  # a restart: same key, same secret
    secret = boto3.client("secretsmanager", region_name="us-east-1").get_secret_value(
        SecretId="portal/license-signing-key"
    )["SecretString"]
    assert key_path.read_text() == first == secret


def test_cli_list_reads_every_page(api, signing, monkeypatch):
    from chalicelib.licenses import access as licenses
    from tests.support.licenses import issue

    for _ in range(3):
        issue(api, "acme")
    monkeypatch.setattr(licenses, "DEFAULT_PAGE", 2)
    assert len(portal("license", "list").splitlines()) == 3
