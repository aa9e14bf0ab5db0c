"""Ticket API: DynamoDB requests per call, median in-process handler time, cold import."""

from __future__ import annotations

import json
from collections import Counter

from bench.harness import cold_import_ms, median_ms, prepare_process, trusted_test_keys

# PRODUCT.md §7. A change starts from the ticket as this process saw it last (tickets.last_seen):
# after the detail read each measurement makes first, it is one transaction.
BUDGET = {
    "list page": {"Query": 1},
    "detail": {"Query": 1},
    "create": {"UpdateItem": 1, "TransactWriteItems": 1},
    "update": {"TransactWriteItems": 1},
    "respond": {"TransactWriteItems": 1},
    "internal note": {"TransactWriteItems": 1},
    "close": {"TransactWriteItems": 1},
    "re-open": {"TransactWriteItems": 1},
}


def run() -> list[str]:
    prepare_process()
    from moto import mock_aws

    with mock_aws(), trusted_test_keys():
        return _measure() + _cold_import()


def _measure() -> list[str]:
    from chalice.test import Client

    from app import app
    from chalicelib.core.table import PortalItem
    from chalicelib.identity.auth import operator
    from chalicelib.identity.organisations import create_organisation
    from tests.support import tokens
    from tests.support.dynamo import counting_requests

    PortalItem.create_table(wait=True)
    create_organisation(operator("bench"), {"org": "acme", "name": "Acme Corp"})
    alice = {
        "Authorization": "Bearer " + tokens.sign(tokens.claims_for("alice@acme.example", "acme")),
        "Content-Type": "application/json",
    }
    agent = {
        "Authorization": "Bearer " + tokens.sign(tokens.claims_for("agent@vendor.example", "vendor", ("support",))),
        "Content-Type": "application/json",
    }
    body = json.dumps({"title": "Bench ticket", "description": "Measured.", "tags": ["Bug"]})

    with Client(app) as client:

        def call(method, path, headers, payload=""):
            response = client.http.request(method, path, headers=headers, body=payload)
            assert response.status_code < 300, response.body
            return response

        for _ in range(10):  # some history so the list and detail have something to read
            number = json.loads(call("POST", "/tickets", alice, body).body)["number"]
            call("POST", f"/tickets/{number}/messages", agent, json.dumps({"body": "answer"}))

        state = {"version": json.loads(call("GET", f"/tickets/{number}", alice).body)["version"]}

        def update():
            call("PATCH", f"/tickets/{number}", alice, json.dumps({"version": state["version"], "title": "t"}))
            state["version"] += 1

        def close_and_reopen():
            call("POST", f"/tickets/{number}/close", alice)
            call("POST", f"/tickets/{number}/reopen", alice)

        operations = {
            "list page": lambda: call("GET", "/tickets?limit=25", alice),
            "detail": lambda: call("GET", f"/tickets/{number}", alice),
            "create": lambda: call("POST", "/tickets", alice, body),
            "update": update,
            "respond": lambda: call("POST", f"/tickets/{number}/messages", alice, json.dumps({"body": "r"})),
            "internal note": lambda: call(
                "POST", f"/tickets/{number}/messages", agent, json.dumps({"body": "n", "internal": True})
            ),
        }
        lines = [
            "Ticket API (in-process Chalice handler on moto; median of 20 calls; "
            "moto's in-memory transactions dominate)",
            f"  {'operation':<14} {'DynamoDB requests':<42} {'budget':<8} {'median ms':>9}",
        ]
        for name, operation in operations.items():
            with counting_requests() as calls:
                operation()
            lines.append(_row(name, calls, median_ms(operation, repeat=20)))
        with counting_requests() as calls:
            call("POST", f"/tickets/{number}/close", alice)
        close_calls = Counter(calls)
        with counting_requests() as calls:
            call("POST", f"/tickets/{number}/reopen", alice)
        pair_ms = median_ms(close_and_reopen, repeat=20)
        lines.append(_row("close", close_calls, pair_ms / 2))
        lines.append(_row("re-open", calls, pair_ms / 2))
    return lines


def _row(name: str, calls: Counter, milliseconds: float) -> str:
    made = ", ".join(f"{count} {op}" for op, count in sorted(calls.items()))
    verdict = "within" if dict(calls) == BUDGET[name] else "OVER"
    return f"  {name:<14} {made:<42} {verdict:<8} {milliseconds:>9.2f}"


def _cold_import() -> list[str]:
    base = cold_import_ms("import chalice, pynamodb.models")
    bare = cold_import_ms("import chalice, pynamodb")
    app = cold_import_ms("import app")
    return [
        "Cold import of the Lambda entry module (fresh process, median of 9)",
        f"  import chalice, pynamodb.models  {base:7.1f} ms   (what any PynamoDB app loads)",
        f"  import chalice, pynamodb         {bare:7.1f} ms   (package __init__ only, for reference)",
        f"  import app                       {app:7.1f} ms   = {100 * (app / base - 1):+.0f} % on the "
        f"first (limit +25 %)",
    ]
