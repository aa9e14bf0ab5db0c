"""License API: DynamoDB requests per call of each route, and signing / verifying one file."""

from __future__ import annotations

import functools
import json
import time

from bench.harness import ROOT, median_ms, prepare_process, trusted_test_keys

# PRODUCT.md §7 budgets where it sets one; the rest are this design's own figures.
EXPECTED = {
    "GET /licenses": {"Query": 1},
    "GET /licenses (support, all)": {"Query": 1},
    "GET /licenses/{id}": {"Query": 1},
    "GET /licenses/{id}/file": {"GetItem": 1},
    "GET /licenses/{id}/file (aes-256-gcm)": {"GetItem": 1},
    "GET /licenses/{id}/deployments": {"Query": 1},
    "GET /licenses/public-key": {},
    "POST /licenses/lookup": {"UpdateItem": 2, "Query": 1},
    # Two rate-limit windows, the key, the known-instance update; a new instance adds the
    # transaction that writes it and counts it within max_deployments.
    "POST /licenses/checkin": {"Query": 1, "UpdateItem": 3},
    "POST /licenses/checkin (new instance)": {"Query": 1, "UpdateItem": 3, "TransactWriteItems": 1},
    "POST /licenses/checkin (403, limit)": {"Query": 1, "UpdateItem": 3, "TransactWriteItems": 1},
    "DELETE /licenses/{id}/deployments/{i}": {"TransactWriteItems": 1},
    "POST /licenses/{id}/renewal-request": {"GetItem": 1, "UpdateItem": 1, "TransactWriteItems": 1},
    "PATCH /admin/licenses/{id}": {"UpdateItem": 1},
    "GET /admin/licenses?org=": {"Query": 1},
    "POST /admin/licenses": {"TransactWriteItems": 1},
    "POST /admin/licenses/{id}/renew": {"GetItem": 1, "UpdateItem": 1},
    "POST /admin/licenses/{id}/suspend": {"UpdateItem": 1},
    "POST /admin/licenses/{id}/reactivate": {"UpdateItem": 1},
}


def run() -> list[str]:
    prepare_process()
    from moto import mock_aws

    with mock_aws(), trusted_test_keys():
        return _requests() + _signing()


def _setup():
    import boto3
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from chalicelib.core.table import PortalItem
    from chalicelib.identity.auth import operator
    from chalicelib.identity.organisations import create_organisation
    from chalicelib.licenses import files as license_files
    from tests.support import tokens

    PortalItem.create_table(wait=True)
    create_organisation(operator("bench"), {"org": "acme", "name": "Acme Corp"})
    pem = (
        Ed25519PrivateKey.generate()
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )
    boto3.client("secretsmanager", region_name="us-east-1").create_secret(
        Name=license_files.secret_name(), SecretString=pem
    )

    def headers(email, org, groups=()):
        return {
            "Authorization": "Bearer " + tokens.sign(tokens.claims_for(email, org, groups)),
            "Content-Type": "application/json",
        }

    return (
        headers("alice@acme.example", "acme"),
        headers("agent@vendor.example", "vendor", ("support",)),
        headers("admin@vendor.example", "vendor", ("admin",)),
    )


def _requests() -> list[str]:
    from chalice.test import Client

    from app import app
    from chalicelib.core import rate_limit
    from chalicelib.licenses import reminders
    from tests.support.dynamo import counting_requests

    alice, agent, admin = _setup()
    # Each call in its own rate-limit window, so the medians measure lookups, not 429s.
    clock = {"now": time.time()}

    def tick():
        clock["now"] += 60
        return clock["now"]

    rate_limit._clock = tick
    capabilities = [{"name": "Throughput", "limit": "10 Gbps"}, {"name": "High availability"}]
    issue_body = json.dumps(
        {"org": "acme", "product": "Vendor Gateway", "edition": "Enterprise", "days": 20, "capabilities": capabilities}
    )

    with Client(app) as client:

        def call(method, path, headers=None, payload="", status=None):
            response = client.http.request(
                method, path, headers=headers or {"Content-Type": "application/json"}, body=payload
            )
            assert (response.status_code == status) if status else response.status_code < 300, (path, response.body)
            return response

        issued = json.loads(call("POST", "/admin/licenses", admin, issue_body).body)
        for _ in range(4):
            call("POST", "/admin/licenses", admin, issue_body)
        license_id, key = issued["id"], issued["key"]
        checkin = json.dumps({"key": key, "instance_id": "gw-1", "version": "4.2.1", "hostname": "gw1"})  # known
        for instance in range(5):
            call(
                "POST",
                "/licenses/checkin",
                payload=json.dumps({"key": key, "instance_id": f"gw-{instance}", "version": "4.2.1", "hostname": "gw"}),
            )

        full = json.loads(
            call("POST", "/admin/licenses", admin, json.dumps({**json.loads(issue_body), "max_deployments": 1})).body
        )
        call(
            "POST",
            "/licenses/checkin",
            payload=json.dumps({"key": full["key"], "instance_id": "only", "version": "1", "hostname": "h"}),
        )
        instances = iter(range(10**6))

        def new_instance(license_key=key, status=None):
            body = {"key": license_key, "instance_id": f"new-{next(instances)}", "version": "4.2.1", "hostname": "gw"}
            return call("POST", "/licenses/checkin", payload=json.dumps(body), status=status)

        def release_ms(repeat=20):
            samples = []
            for _ in range(repeat):
                instance = json.loads(new_instance().body)["instance_id"]
                started = time.perf_counter()
                call("DELETE", f"/licenses/{license_id}/deployments/{instance}", alice, status=204)
                samples.append((time.perf_counter() - started) * 1000)
            return sorted(samples)[len(samples) // 2]

        def suspend_and_reactivate():
            call("POST", f"/admin/licenses/{license_id}/suspend", admin)
            call("POST", f"/admin/licenses/{license_id}/reactivate", admin)

        operations = {
            "GET /licenses": lambda: call("GET", "/licenses", alice),
            "GET /licenses (support, all)": lambda: call("GET", "/licenses", agent),
            "GET /licenses/{id}": lambda: call("GET", f"/licenses/{license_id}", alice),
            "GET /licenses/{id}/file": lambda: call("GET", f"/licenses/{license_id}/file", alice),
            "GET /licenses/{id}/file (aes-256-gcm)": lambda: call(
                "GET", f"/licenses/{license_id}/file?algorithm=aes-256-gcm%2Bed25519", alice
            ),
            "GET /licenses/{id}/deployments": lambda: call("GET", f"/licenses/{license_id}/deployments", alice),
            "GET /licenses/public-key": lambda: call("GET", "/licenses/public-key"),
            "POST /licenses/lookup": lambda: call("POST", "/licenses/lookup", payload=json.dumps({"key": key})),
            "POST /licenses/checkin": lambda: call("POST", "/licenses/checkin", payload=checkin),
            "POST /licenses/checkin (new instance)": new_instance,
            "POST /licenses/checkin (403, limit)": lambda: new_instance(full["key"], status=403),
            "POST /licenses/{id}/renewal-request": lambda: call(
                "POST", f"/licenses/{license_id}/renewal-request", alice, status=201
            ),
            "PATCH /admin/licenses/{id}": lambda: call(
                "PATCH", f"/admin/licenses/{license_id}", admin, json.dumps({"max_deployments": None})
            ),
            "GET /admin/licenses?org=": lambda: call("GET", "/admin/licenses?org=acme", admin),
            "POST /admin/licenses": lambda: call("POST", "/admin/licenses", admin, issue_body),
            "POST /admin/licenses/{id}/renew": lambda: call(
                "POST", f"/admin/licenses/{license_id}/renew", admin, json.dumps({"days": 1})
            ),
        }
        lines = [
            "License API (in-process Chalice handler on moto; median of 20 calls; "
            "license with 5 deployments, org with 5 licenses)",
            f"  {'operation':<38} {'DynamoDB requests':<46} {'expected':<8} {'median ms':>9}",
        ]
        for name, operation in operations.items():
            with counting_requests() as calls:
                operation()
            lines.append(_row(name, calls, median_ms(operation, repeat=20)))
        with counting_requests() as calls:
            instance = json.loads(new_instance().body)["instance_id"]
        with counting_requests() as calls:
            call("DELETE", f"/licenses/{license_id}/deployments/{instance}", alice, status=204)
        lines.append(_row("DELETE /licenses/{id}/deployments/{i}", calls, release_ms()))
        pair_ms = median_ms(suspend_and_reactivate, repeat=20)
        for action in ("suspend", "reactivate"):
            with counting_requests() as calls:
                call("POST", f"/admin/licenses/{license_id}/{action}", admin)
            lines.append(_row(f"POST /admin/licenses/{{id}}/{action}", calls, pair_ms / 2))
        listed = json.loads(call("GET", "/admin/licenses", admin).body)["items"]
        due = sum(1 for item in listed if 0 < item["days_left"] <= 30 and item["status"] != "suspended")
        EXPECTED["expiry reminders (per run)"] = {"Query": 1, "PutItem": due}
        with counting_requests() as calls:
            reminders.send_expiry_reminders()
        lines.append(
            _row(
                "expiry reminders (per run)",
                calls,
                median_ms(reminders.send_expiry_reminders, 5),
                note=f"  (1 Query + 1 conditional PutItem per license due: {due} here)",
            )
        )
    return lines


def _row(name, calls, milliseconds, note="") -> str:
    made = ", ".join(f"{count} {op}" for op, count in sorted(calls.items())) or "none (key cached)"
    verdict = "as is" if dict(calls) == EXPECTED[name] else "DIFFERS"
    return f"  {name:<38} {made:<46} {verdict:<8} {milliseconds:>9.2f}{note}"


def _signing() -> list[str]:
    from datetime import UTC, datetime

    from chalicelib.licenses import files as license_files
    from tests.support.modules import load_module

    snippet = load_module("verify_license", ROOT / "docs/snippets/verify_license.py")
    key = "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2"
    dataset = {
        "data": {
            "type": "licenses",
            "id": "acme_aaaaaaaaaa",
            "attributes": {
                "name": "Vendor Gateway Enterprise",
                "key": key,
                "expiry": "2099-11-23T09:00:00Z",
                "status": "ACTIVE",
                "suspended": False,
                "maxMachines": 5,
                "metadata": {"org": "acme", "product": "Vendor Gateway", "edition": "Enterprise"},
                "created": "2026-11-23T09:00:00Z",
                "updated": "2026-11-23T09:00:00Z",
            },
        },
        "included": [
            {
                "type": "entitlements",
                "id": f"00000000-0000-5000-8000-{i:012d}",
                "attributes": {"name": f"Capability {i}", "code": f"CAPABILITY_{i}", "metadata": {"limit": "10 Gbps"}},
            }
            for i in range(10)
        ],
    }
    public = license_files.public_key_hex()
    now = datetime.now(UTC)
    lines = ["License files (Keygen's format; Ed25519 and AES-GCM with cryptography; 10 entitlements; median of 500)"]
    for algorithm in license_files.ALGORITHMS:
        text = license_files.license_file(dataset, algorithm)
        sign_ms = median_ms(functools.partial(license_files.license_file, dataset, algorithm), repeat=500)
        verify_ms = median_ms(functools.partial(snippet.verify_license_file, text, public, key, now=now), repeat=500)
        lines += [
            f"  {algorithm:<20} sign {sign_ms * 1000:7.1f} µs   verify (the snippet) {verify_ms * 1000:7.1f} µs"
            f"   file {len(text):5d} bytes",
        ]
    return lines
