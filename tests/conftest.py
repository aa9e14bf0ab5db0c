"""Shared fixtures: a moto-backed table, the Chalice test client, the local stack.

The backend reads its settings once, on first use; the test environment is set here, when
pytest loads this file, before any test uses the backend. pytest's ``pythonpath`` puts
``backend/`` and the repository root on ``sys.path``; the test users are in
``tests/support/users.py``.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from infra.local import moto_patches
from tests.support import tokens
from tests.support.dynamo import install_scan_guard
from tests.support.portal import demo_account
from tests.support.users import ALICE, User

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TABLE_NAME": "portal-test",
        "USER_POOL_ID": "us-east-1_test",
        "USER_POOL_CLIENT_ID": "test-client",
        "CURSOR_SECRET": "test-cursor-secret",
        "SUPPORT_EMAIL": "support@vendor.example",
        "SENDER_EMAIL": "portal@vendor.example",
        "SITE_URL": "http://portal.test/",
        # The API as deployed: behind CloudFront and its WAF, so the viewer's address is believed.
        "TRUST_VIEWER_ADDRESS": "true",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
install_scan_guard()
# In-process moto gets the local stack's emulator fixes: undo-log transactions (no copy of the
# table), a stream that keeps 24 hours, GetRecords without moto's slow serializer.
moto_patches.install()

# Fixtures shared by several suites: license signing and issued licenses, the mail pump, the support
# team, the reports' clock.
pytest_plugins = ["tests.support.licenses", "tests.support.mail", "tests.support.workspace", "tests.support.reports"]


@pytest.fixture(autouse=True)
def _trusted_test_keys(monkeypatch):
    from chalicelib.identity import auth

    monkeypatch.setattr(auth, "jwks", auth._JwksCache())  # nothing fetched, no refetch pending
    monkeypatch.setattr(auth.jwks, "_fetch", tokens.public_keys)


@pytest.fixture
def aws():
    """A fresh moto account with the portal table, the demo organisations and their customers."""
    with demo_account():
        yield


class Api:
    """The Chalice test client with JSON in and out and a user to act as."""

    def __init__(self, client):
        self.client = client

    def call(
        self,
        method: str,
        path: str,
        user: User | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | str | None = None,
    ):
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if user is not None:
            all_headers["Authorization"] = f"Bearer {user.token}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else b"")
        response = self.client.http.request(method.upper(), path, headers=all_headers, body=payload)
        response.json = json.loads(response.body) if response.body else None
        return response

    def get(self, path, user=None, **kw):
        return self.call("GET", path, user, **kw)

    def post(self, path, user=None, body=None, **kw):
        return self.call("POST", path, user, body if body is not None else {}, **kw)

    def patch(self, path, user=None, body=None, **kw):
        return self.call("PATCH", path, user, body, **kw)

    def delete(self, path, user=None, **kw):
        return self.call("DELETE", path, user, **kw)

    def new_ticket(self, user=None, **fields) -> dict:
        body = {"title": "Installer stops at 80 %", "description": "It hangs on step 4.", "tags": ["Installation"]}
        body.update(fields)
        response = self.post("/tickets", user or ALICE, body)
        assert response.status_code == 201, response.body
        return response.json


@pytest.fixture
def api(aws):
    from chalice.test import Client

    from app import app

    with Client(app) as client:
        yield Api(client)


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory):
    """One real local stack (subprocess, free ports, demo data) shared by a test session."""
    from tests.support.stack import LocalStack

    stack = LocalStack(tmp_path_factory.mktemp("stack") / "state").wait_ready()
    yield stack
    stack.stop()
