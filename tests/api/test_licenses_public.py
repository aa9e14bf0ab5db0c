"""The key holder's routes: public lookup (rate limited) and deployment check-in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.dynamo import counting_requests
from tests.support.licenses import in_days, set_expiry
from tests.support.users import ADMIN, ALICE

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


def lookup(api, key, address="198.51.100.7"):
    return api.post("/licenses/lookup", body={"key": key}, headers={"True-Client-IP": address})


def checkin(api, key, instance_id="gw-01", version="4.2.1", hostname="gw1.acme.example"):
    return api.post(
        "/licenses/checkin", body={"key": key, "instance_id": instance_id, "version": version, "hostname": hostname}
    )


# --- lookup ----------------------------------------------------------------------------


def test_lookup_shows_what_the_license_enables_and_nothing_about_the_organisation(api, acme_license):
    response = lookup(api, acme_license["key"])
    assert response.status_code == 200
    assert response.json == {
        "product": "Vendor Gateway",
        "edition": "Enterprise",
        "status": "active",
        "expires_at": acme_license["expires_at"],
        "days_left": 365,
        "capabilities": acme_license["capabilities"],
    }
    text = response.body.decode() if isinstance(response.body, bytes) else response.body
    for private in ("acme", "Acme", acme_license["id"], "deployments", "org"):
        assert private not in text


def test_lookup_accepts_a_lower_case_key_with_spaces_around(api, acme_license):
    assert lookup(api, f"  {acme_license['key'].lower()} ").status_code == 200


def test_lookup_of_an_unknown_key_is_404(api, acme_license):
    response = lookup(api, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    assert response.status_code == 404
    assert "key" in response.json["Message"]


def test_lookup_shows_a_suspended_license_as_suspended(api, acme_license):
    api.post(f"/admin/licenses/{acme_license['id']}/suspend", ADMIN)
    assert lookup(api, acme_license["key"]).json["status"] == "suspended"


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "key"),
        ({"key": 12345}, "key"),
        ({"key": "ABCDE-FGHJK"}, "key"),
        ({"key": "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2-ABCDE"}, "key"),
        ({"key": "ABCDE_FGHJK_LMNPQ_RSTUV_WXYZ2"}, "key"),
        ({"key": "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2", "org": "acme"}, "org"),
        (["ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2"], "body"),
    ],
)
def test_bad_lookup_input_is_400_and_stores_nothing(api, signing, body, field):
    with counting_requests() as calls:
        response = api.post("/licenses/lookup", body=body)
    assert response.status_code == 400
    assert field in response.json["Message"]
    assert not WRITES & set(calls)


# --- rate limiting ---------------------------------------------------------------------


def test_a_burst_of_lookups_from_one_address_gets_429_with_retry_after(api, acme_license, fixed_clock):
    statuses = [lookup(api, acme_license["key"]) for _ in range(35)]
    codes = [r.status_code for r in statuses]
    assert codes == [200] * 30 + [429] * 5
    limited = statuses[-1]
    assert limited.json["Code"] == "TooManyRequestsError"
    assert limited.headers["Retry-After"] == "30"  # the fixed clock stands mid-minute
    assert "address" in limited.json["Message"]


def test_unknown_keys_count_against_the_address_too(api, acme_license, fixed_clock):
    codes = {lookup(api, f"AAAAA-BBBBB-CCCCC-DDDDD-{i:05d}").status_code for i in range(30)}
    assert codes == {404}
    assert lookup(api, acme_license["key"]).status_code == 429


def test_the_limit_resets_in_the_next_minute(api, acme_license, fixed_clock):
    for _ in range(31):
        lookup(api, acme_license["key"])
    fixed_clock["now"] += 30
    assert lookup(api, acme_license["key"]).status_code == 200


def test_one_busy_key_is_limited_without_starving_other_keys(api, acme_license, globex_license, fixed_clock):
    codes = [lookup(api, acme_license["key"], address=f"203.0.113.{i % 3}").status_code for i in range(65)]
    assert 500 not in codes and codes.count(429) >= 1
    # Three addresses of 30 a minute allow 90, so the key's own limit (60) is what stopped it.
    assert codes[:60] == [200] * 60 and set(codes[60:]) == {429}
    busy = lookup(api, acme_license["key"], address="203.0.113.9")
    assert busy.status_code == 429 and "key" in busy.json["Message"]
    assert lookup(api, globex_license["key"], address="203.0.113.0").status_code == 200
    assert lookup(api, globex_license["key"], address="203.0.113.9").status_code == 200


def test_a_busy_address_does_not_use_up_the_keys_allowance(api, acme_license, fixed_clock):
    for _ in range(100):
        lookup(api, acme_license["key"], address="192.0.2.66")
    assert lookup(api, acme_license["key"], address="192.0.2.67").status_code == 200


# --- check-in --------------------------------------------------------------------------


def test_checkin_records_the_deployment_shown_in_the_detail(api, acme_license):
    response = checkin(api, acme_license["key"])
    assert response.status_code == 200
    assert response.json["status"] == "active" and response.json["valid"] is True
    assert "org" not in response.json and "id" not in response.json
    deployments = api.get(f"/licenses/{acme_license['id']}", ALICE).json["deployments"]
    assert len(deployments) == 1
    assert deployments[0]["instance_id"] == "gw-01"
    assert deployments[0]["version"] == "4.2.1"
    assert deployments[0]["hostname"] == "gw1.acme.example"
    assert deployments[0]["last_seen_at"] == response.json["checked_in_at"]


def test_a_second_checkin_updates_the_version_of_the_same_deployment(api, acme_license):
    first = checkin(api, acme_license["key"], version="4.2.1").json
    second = checkin(api, acme_license["key"], version="4.3.0", hostname="gw1-new.acme.example").json
    checkin(api, acme_license["key"], instance_id="gw-02", version="4.2.1")
    deployments = {d["instance_id"]: d for d in api.get(f"/licenses/{acme_license['id']}", ALICE).json["deployments"]}
    assert set(deployments) == {"gw-01", "gw-02"}
    assert deployments["gw-01"]["version"] == "4.3.0"
    assert deployments["gw-01"]["hostname"] == "gw1-new.acme.example"
    assert deployments["gw-01"]["first_seen_at"] == first["checked_in_at"]
    assert deployments["gw-01"]["last_seen_at"] == second["checked_in_at"]


def test_checkin_of_a_suspended_license_answers_suspended(api, acme_license):
    api.post(f"/admin/licenses/{acme_license['id']}/suspend", ADMIN)
    answer = checkin(api, acme_license["key"]).json
    assert answer["status"] == "suspended" and answer["valid"] is False
    assert "suspended" in answer["message"]


def test_checkin_of_an_expired_license_answers_expired(api, acme_license):
    set_expiry(acme_license["id"], in_days(-1))
    answer = checkin(api, acme_license["key"]).json
    assert answer["status"] == "expired" and answer["valid"] is False
    assert "expired" in answer["message"]


def test_checkin_of_an_expiring_license_is_valid_with_a_warning(api, acme_license):
    set_expiry(acme_license["id"], in_days(6.5))
    answer = checkin(api, acme_license["key"]).json
    assert answer["status"] == "expiring" and answer["valid"] is True
    assert "7 days left" in answer["message"]


def test_checkin_with_an_unknown_key_is_404_and_records_nothing(api, acme_license):
    assert checkin(api, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE").status_code == 404
    assert api.get(f"/licenses/{acme_license['id']}", ALICE).json["deployments"] == []


GOOD_CHECKIN = {
    "key": "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE",
    "instance_id": "gw-01",
    "version": "4.2.1",
    "hostname": "gw1.acme.example",
}


@pytest.mark.parametrize(
    "change,field",
    [
        ({"instance_id": None}, "instance_id"),
        ({"instance_id": "gw 01"}, "instance_id"),
        ({"instance_id": "x" * 129}, "instance_id"),
        ({"version": ""}, "version"),
        ({"version": 42}, "version"),
        ({"version": "4.2<script>"}, "version"),
        ({"hostname": "gw1/../etc"}, "hostname"),
        ({"key": "not-a-key"}, "key"),
        ({"extra": True}, "extra"),
    ],
)
def test_bad_checkin_input_is_400_and_records_nothing(api, acme_license, change, field):
    body = {**GOOD_CHECKIN, "key": acme_license["key"], **change}
    body = {k: v for k, v in body.items() if v is not None}
    with counting_requests() as calls:
        response = api.post("/licenses/checkin", body=body)
    assert response.status_code == 400, response.body
    assert field in response.json["Message"]
    assert not WRITES & set(calls)
    assert api.get(f"/licenses/{acme_license['id']}", ALICE).json["deployments"] == []


def test_concurrent_callers_share_one_count_as_lambda_instances_would(api):
    """The window lives in DynamoDB, not in memory: parallel callers get exactly the limit."""
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.core import rate_limit
    from chalicelib.core.errors import RateLimited

    def one(_):
        try:
            rate_limit.hit("lookup-client", "198.51.100.99", 30, at=1_800_000_030.0)
            return 1
        except RateLimited:
            return 0

    with ThreadPoolExecutor(16) as pool:
        assert sum(pool.map(one, range(100))) == 30


def test_a_deployment_silent_for_90_days_is_left_to_expire(api, acme_license):
    from chalicelib.licenses.models import DeploymentItem, deployment_sk
    from tests.support.licenses import in_days

    checkin(api, acme_license["key"])
    item = DeploymentItem.get("ORG#acme", deployment_sk(acme_license["id"], "gw-01"))
    assert abs(item.expires - in_days(90)) < timedelta(minutes=1)
