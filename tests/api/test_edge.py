"""What the API does about the edge: the viewer's address believed only behind CloudFront,
and no answer to a signed-in caller kept in a cache."""

from __future__ import annotations

import dataclasses

import pytest

from chalicelib.core import config, http
from tests.support.users import ALICE


@pytest.fixture
def not_behind_the_edge(monkeypatch):
    untrusted = dataclasses.replace(config.settings(), trust_viewer_address=False)
    monkeypatch.setattr(http, "settings", lambda: untrusted)


def test_spoofed_viewer_addresses_share_one_allowance_off_the_edge(api, acme_license, fixed_clock, not_behind_the_edge):
    limit = config.settings().lookup_limit_per_client
    codes = [
        api.post(
            "/licenses/lookup", body={"key": acme_license["key"]}, headers={"True-Client-IP": f"198.51.100.{i}"}
        ).status_code
        for i in range(limit + 1)
    ]
    assert codes[:limit] == [200] * limit
    assert codes[limit] == 429


def test_viewer_addresses_of_one_ipv6_64_share_one_allowance(api, acme_license, fixed_clock):
    limit = config.settings().lookup_limit_per_client
    codes = [
        api.post(
            "/licenses/lookup", body={"key": acme_license["key"]}, headers={"True-Client-IP": f"2001:db8:7:7::{i:x}"}
        ).status_code
        for i in range(limit + 1)
    ]
    assert codes[limit] == 429


def test_authenticated_answers_are_not_stored(api):
    response = api.get("/me", ALICE)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_authenticated_error_answers_are_not_stored_either(api):
    response = api.get("/tickets/999999", ALICE)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_anonymous_public_answers_leave_caching_alone(api):
    response = api.get("/health")
    assert "no-store" not in response.headers.get("Cache-Control", "")
