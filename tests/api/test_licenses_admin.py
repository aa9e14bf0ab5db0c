"""Admins issue, renew, suspend and re-activate licenses; bad input is refused and stores nothing."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.dynamo import counting_requests
from tests.support.licenses import CAPABILITIES, in_days, issue, set_expiry
from tests.support.users import ADMIN, ALICE

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


def test_admin_issues_a_license_with_a_fresh_key_and_capabilities(api, signing):
    license_ = issue(api, "acme", days=90)
    assert license_["id"].startswith("acme_")
    assert license_["org"] == "acme"
    assert license_["status"] == "active"
    assert license_["days_left"] == 90
    assert license_["capabilities"] == CAPABILITIES
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{5}(-[A-HJ-NP-Z2-9]{5}){4}", license_["key"])
    assert license_["updated_by"] == ADMIN.email
    other = issue(api, "acme", days=90)
    assert other["key"] != license_["key"] and other["id"] != license_["id"]


def test_issued_license_appears_in_its_organisations_list(api, signing):
    license_ = issue(api, "globex", days=10)
    assert [i["id"] for i in api.get("/admin/licenses?org=globex", ADMIN).json["items"]] == [license_["id"]]
    assert api.get("/admin/licenses?org=acme", ADMIN).json["items"] == []
    assert license_["status"] == "expiring"


def test_capability_defaults_to_enabled(api, signing):
    license_ = issue(api, capabilities=[{"name": "Seats", "limit": "50 users"}])
    assert license_["capabilities"] == [{"name": "Seats", "enabled": True, "limit": "50 users"}]


def test_issuing_for_an_unknown_organisation_is_404(api, signing):
    response = api.post("/admin/licenses", ADMIN, {"org": "initech", "product": "P", "edition": "E", "days": 5})
    assert response.status_code == 404
    assert "initech" in response.json["Message"]


def test_renew_extends_from_the_current_expiry(api, acme_license):
    response = api.post(f"/admin/licenses/{acme_license['id']}/renew", ADMIN, {"days": 30})
    assert response.status_code == 200
    assert response.json["days_left"] == 395
    assert api.get(f"/licenses/{acme_license['id']}", ALICE).json["days_left"] == 395


def test_renewing_an_expired_license_counts_from_today(api, acme_license):
    set_expiry(acme_license["id"], in_days(-40))
    assert api.get(f"/licenses/{acme_license['id']}", ALICE).json["status"] == "expired"
    renewed = api.post(f"/admin/licenses/{acme_license['id']}/renew", ADMIN, {"days": 365}).json
    assert renewed["status"] == "active" and renewed["days_left"] == 365


def test_suspend_and_reactivate(api, acme_license):
    path = f"/admin/licenses/{acme_license['id']}"
    suspended = api.post(f"{path}/suspend", ADMIN)
    assert suspended.status_code == 200 and suspended.json["status"] == "suspended"
    assert api.get(f"/licenses/{acme_license['id']}", ALICE).json["status"] == "suspended"
    again = api.post(f"{path}/suspend", ADMIN)
    assert again.status_code == 409 and "already suspended" in again.json["Message"]
    active = api.post(f"{path}/reactivate", ADMIN)
    assert active.status_code == 200 and active.json["status"] == "active"
    assert api.post(f"{path}/reactivate", ADMIN).status_code == 409


@pytest.mark.parametrize("action", ["suspend", "reactivate"])
def test_suspending_an_unknown_license_is_404(api, signing, action):
    assert api.post(f"/admin/licenses/acme_aaaaaaaaaa/{action}", ADMIN).status_code == 404


def test_renewing_an_unknown_license_is_404(api, signing):
    assert api.post("/admin/licenses/acme_aaaaaaaaaa/renew", ADMIN, {"days": 5}).status_code == 404


GOOD_ISSUE = {"org": "acme", "product": "Vendor Gateway", "edition": "Enterprise", "days": 365}
BAD_ISSUES = [
    ({**GOOD_ISSUE, "days": 0}, "days"),
    ({**GOOD_ISSUE, "days": 3651}, "days"),
    ({**GOOD_ISSUE, "days": "365"}, "days"),
    ({**GOOD_ISSUE, "days": True}, "days"),
    ({k: v for k, v in GOOD_ISSUE.items() if k != "product"}, "product"),
    ({**GOOD_ISSUE, "product": "   "}, "product"),
    ({**GOOD_ISSUE, "product": "x" * 101}, "product"),
    ({**GOOD_ISSUE, "edition": 7}, "edition"),
    ({**GOOD_ISSUE, "org": "ACME!"}, "org"),
    ({**GOOD_ISSUE, "colour": "red"}, "colour"),
    ({**GOOD_ISSUE, "capabilities": "Throughput"}, "capabilities"),
    ({**GOOD_ISSUE, "capabilities": [{"enabled": True}]}, "capabilities[0].name"),
    ({**GOOD_ISSUE, "capabilities": [{"name": "A", "limit": ""}]}, "capabilities[0].limit"),
    ({**GOOD_ISSUE, "capabilities": [{"name": "A", "enabled": "yes"}]}, "capabilities[0].enabled"),
    ({**GOOD_ISSUE, "capabilities": [{"name": "A", "max": 3}]}, "capabilities[0].max"),
    ({**GOOD_ISSUE, "capabilities": [{"name": "Seats"}, {"name": "seats"}]}, "seats"),
    ({**GOOD_ISSUE, "capabilities": [{"name": f"c{i}"} for i in range(51)]}, "capabilities"),
    ([GOOD_ISSUE], "body"),
]


@pytest.mark.parametrize("body,field", BAD_ISSUES, ids=[f"{i}-{f}" for i, (_, f) in enumerate(BAD_ISSUES)])
def test_bad_issue_input_is_400_naming_the_field_and_stores_nothing(api, signing, body, field):
    with counting_requests() as calls:
        response = api.post("/admin/licenses", ADMIN, body)
    assert response.status_code == 400, response.body
    assert field in response.json["Message"]
    assert not WRITES & set(calls)
    assert api.get("/admin/licenses", ADMIN).json["items"] == []


@pytest.mark.parametrize(
    "raw,status",
    [
        (b"{not json", 400),
        (b"", 400),
        (json.dumps({**GOOD_ISSUE, "product": "x" * 70000}).encode(), 413),
    ],
)
def test_malformed_or_oversize_issue_body_is_refused(api, signing, raw, status):
    with counting_requests() as calls:
        response = api.call("POST", "/admin/licenses", ADMIN, raw=raw)
    assert response.status_code == status
    assert not WRITES & set(calls)


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "days"),
        ({"days": -1}, "days"),
        ({"days": 30, "until": "2030-01-01"}, "until"),
        ({"days": 1.5}, "days"),
    ],
)
def test_bad_renew_input_is_400_and_changes_nothing(api, acme_license, body, field):
    with counting_requests() as calls:
        response = api.post(f"/admin/licenses/{acme_license['id']}/renew", ADMIN, body)
    assert response.status_code == 400 and field in response.json["Message"]
    assert not WRITES & set(calls)
    assert api.get(f"/licenses/{acme_license['id']}", ADMIN).json["days_left"] == 365
