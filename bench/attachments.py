"""Attachments: the DynamoDB and S3 requests behind each call (PRODUCT.md §3.3, §7), counted at
the client; a browser's own requests to S3 (one POST a file) come on top and are not the API's."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from bench.harness import median_ms, prepare_process, trusted_test_keys

DYNAMODB_BUDGET = {  # PRODUCT.md §7: attachments change none of it
    "start upload": {},
    "create + 3 files": {"UpdateItem": 1, "TransactWriteItems": 1},
    "respond + 1 file": {"TransactWriteItems": 1},
    "detail, 10 files": {"Query": 1},
    "download": {"BatchGetItem": 1},
}


def run() -> list[str]:
    prepare_process()
    from moto import mock_aws

    from infra.local import moto_patches

    moto_patches.install()
    with mock_aws(), trusted_test_keys():
        return _measure()


def _measure() -> list[str]:
    import requests
    from chalice.test import Client

    from app import app
    from chalicelib.core.table import PortalItem
    from chalicelib.identity.auth import operator
    from chalicelib.identity.organisations import create_organisation
    from tests.support import tokens
    from tests.support.dynamo import counting_calls
    from tests.support.portal import create_attachments_bucket

    PortalItem.create_table(wait=True)
    create_organisation(operator("bench"), {"org": "acme", "name": "Acme Corp"})
    create_attachments_bucket()
    alice = {
        "Authorization": "Bearer " + tokens.sign(tokens.claims_for("alice@acme.example", "acme")),
        "Content-Type": "application/json",
    }
    data = b"2026-12-01 09:00 installer: step 4 waiting for port 8443\n" * 100

    with Client(app) as client:

        def call(method, path, payload=None):
            body = json.dumps(payload).encode() if payload is not None else b""
            response = client.http.request(method, path, headers=alice, body=body)
            assert response.status_code < 400, response.body
            return response

        def start():
            return json.loads(
                call(
                    "POST", "/attachments", {"filename": "a.log", "content_type": "text/plain", "size": len(data)}
                ).body
            )

        def upload() -> str:
            started = start()
            sent = requests.post(
                started["upload"]["url"], data=started["upload"]["fields"], files={"file": ("a.log", data)}, timeout=10
            )
            assert sent.status_code == 204, sent.text
            return started["id"]

        ticket = {"title": "Bench", "description": "Files.", "tags": ["Bug"]}
        number = json.loads(call("POST", "/tickets", {**ticket, "attachments": [upload()]}).body)["number"]
        for _ in range(9):
            call("POST", f"/tickets/{number}/messages", {"body": "more", "attachments": [upload()]})
        first = json.loads(call("GET", f"/tickets/{number}").body)["attachments"][0]["id"]

        def create(ids: list[str]) -> Any:
            return call("POST", "/tickets", {**ticket, "attachments": ids})

        def respond(ids: list[str]) -> Any:
            return call("POST", f"/tickets/{number}/messages", {"body": "r", "attachments": ids})

        operations: dict[str, Callable[..., Any]] = {
            "start upload": start,
            "create + 3 files": create,
            "respond + 1 file": respond,
            "detail, 10 files": lambda: call("GET", f"/tickets/{number}"),
            "download": lambda: call("GET", f"/tickets/{number}/attachments/{first}"),
        }
        lines = [
            "Attachments (in-process Chalice handler on moto; S3 requests are the API's, the "
            "browser's POST of each file comes on top)",
            f"  {'operation':<17} {'DynamoDB requests':<34} {'budget':<7} {'S3 requests':<28} {'median ms':>9}",
        ]
        for name, operation in operations.items():
            ids = {"create + 3 files": 3, "respond + 1 file": 1}.get(name)
            args = ([upload() for _ in range(ids)],) if ids else ()
            with counting_calls("dynamodb", "s3") as calls:
                operation(*args)
            repeat = 10
            if ids:
                batches = [[upload() for _ in range(ids)] for _ in range(repeat)]

                def batch(b: list[list[str]] = batches, op: Callable[..., Any] = operation) -> Any:
                    return op(b.pop())

                milliseconds = median_ms(batch, repeat=repeat)
            else:
                milliseconds = median_ms(operation, repeat=repeat)
            lines.append(_row(name, calls, milliseconds))
    return lines


def _row(name: str, calls: dict[str, Counter], milliseconds: float) -> str:
    def made(counter: Counter) -> str:
        return ", ".join(f"{count} {op}" for op, count in sorted(counter.items())) or "none"

    verdict = "within" if dict(calls["dynamodb"]) == DYNAMODB_BUDGET[name] else "OVER"
    return f"  {name:<17} {made(calls['dynamodb']):<34} {verdict:<7} {made(calls['s3']):<28} {milliseconds:>9.2f}"
