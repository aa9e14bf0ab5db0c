"""Shared fixtures: a moto-backed table, test identities, and the Chalice test client.

The environment is set before anything imports the backend, because the backend reads
its settings once.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT))

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
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)

from moto import mock_aws  # noqa: E402

from tests.support import tokens  # noqa: E402
from tests.support.dynamo import install_scan_guard  # noqa: E402

install_scan_guard()


@pytest.fixture(autouse=True)
def _trusted_test_keys(monkeypatch):
    from chalicelib import auth

    monkeypatch.setattr(auth.jwks, "_fetch", tokens.public_keys)
    monkeypatch.setattr(auth.jwks, "_keys", None)


@pytest.fixture
def aws():
    """A fresh moto account with the portal table and the demo organisations."""
    with mock_aws():
        from chalicelib.models import PortalItem
        from chalicelib.organisations import create_organisation

        PortalItem.create_table(wait=True)
        create_organisation("acme", "Acme Corp")
        create_organisation("globex", "Globex")
        yield


class User:
    def __init__(self, email: str, org: str = "", groups: tuple[str, ...] = ()):
        self.email, self.org, self.groups = email, org, groups

    @property
    def token(self) -> str:
        return tokens.sign(tokens.claims_for(self.email, self.org, self.groups))


ALICE = User("alice@acme.example", "acme")
BOB = User("bob@acme.example", "acme")
CAROL = User("carol@globex.example", "globex")
AGENT = User("agent@vendor.example", "vendor", ("support",))
ADMIN = User("admin@vendor.example", "vendor", ("admin",))


class Api:
    """The Chalice test client with JSON in and out and a user to act as."""

    def __init__(self, client):
        self.client = client

    def call(self, method: str, path: str, user: User | None = None, body: Any = None,
             headers: dict[str, str] | None = None, raw: bytes | str | None = None):
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
