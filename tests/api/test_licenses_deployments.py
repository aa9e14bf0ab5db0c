"""Activation limits, releasing a deployment, paged deployments and check-in rate limits."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from tests.support.licenses import issue
from tests.support.users import ADMIN, AGENT, ALICE, BOB, CAROL


def checkin(api, key, instance_id="gw-01", address="198.51.100.7"):
    return api.post(
        "/licenses/checkin",
        body={"key": key, "instance_id": instance_id, "version": "4.2.1", "hostname": "gw1.acme.example"},
        headers={"True-Client-IP": address},
    )


@pytest.fixture
def limited(api, signing):
    return issue(api, "acme", max_deployments=2)


def detail(api, license_id, user=ALICE):
    return api.get(f"/licenses/{license_id}", user).json


# --- the activation limit -----------------------------------------------------------------


def test_the_instance_beyond_the_limit_is_refused_with_403_naming_it(api, limited):
    assert checkin(api, limited["key"], "a").status_code == 200
    assert checkin(api, limited["key"], "b").status_code == 200
    refused = checkin(api, limited["key"], "c")
    assert refused.status_code == 403
    assert "allows 2 deployments" in refused.json["Message"] and "release" in refused.json["Message"]
    shown = detail(api, limited["id"])
    assert shown["deployments_total"] == 2 and shown["max_deployments"] == 2
    assert {d["instance_id"] for d in shown["deployments"]} == {"a", "b"}


def test_known_instances_keep_checking_in_at_the_limit(api, limited):
    checkin(api, limited["key"], "a")
    checkin(api, limited["key"], "b")
    for _ in range(3):
        assert checkin(api, limited["key"], "a").status_code == 200
        assert checkin(api, limited["key"], "b").status_code == 200
    assert detail(api, limited["id"])["deployments_total"] == 2


def test_a_released_deployment_frees_its_slot(api, limited):
    checkin(api, limited["key"], "a")
    checkin(api, limited["key"], "b")
    assert api.delete(f"/licenses/{limited['id']}/deployments/a", BOB).status_code == 204
    assert [d["instance_id"] for d in detail(api, limited["id"])["deployments"]] == ["b"]
    assert checkin(api, limited["key"], "c").status_code == 200
    assert checkin(api, limited["key"], "a").status_code == 403  # it comes back as a new instance
    assert detail(api, limited["id"])["deployments_total"] == 2


@pytest.mark.parametrize("user", [AGENT, ADMIN], ids=["support", "admin"])
def test_support_and_admins_release_deployments_too(api, limited, user):
    checkin(api, limited["key"], "a")
    assert api.delete(f"/licenses/{limited['id']}/deployments/a", user).status_code == 204
    assert detail(api, limited["id"])["deployments_total"] == 0


def test_another_organisation_gets_404_on_release_and_nothing_changes(api, limited):
    checkin(api, limited["key"], "a")
    response = api.delete(f"/licenses/{limited['id']}/deployments/a", CAROL)
    assert response.status_code == 404
    assert detail(api, limited["id"])["deployments_total"] == 1


def test_releasing_an_unknown_deployment_is_404_and_frees_nothing(api, limited):
    checkin(api, limited["key"], "a")
    checkin(api, limited["key"], "b")
    response = api.delete(f"/licenses/{limited['id']}/deployments/zz", ALICE)
    assert response.status_code == 404 and "zz" in response.json["Message"]
    assert api.delete(f"/licenses/{limited['id']}/deployments/a", ALICE).status_code == 204
    assert api.delete(f"/licenses/{limited['id']}/deployments/a", ALICE).status_code == 404
    assert detail(api, limited["id"])["deployments_total"] == 1
    assert checkin(api, limited["key"], "c").status_code == 200
    assert checkin(api, limited["key"], "d").status_code == 403


@pytest.mark.parametrize(
    "path,status,field",
    [
        ("/licenses/acme_aaaaaaaaaa/deployments/a%20b", 400, "instance_id"),
        ("/licenses/not-a-license/deployments/a", 400, "id"),
        ("/licenses/acme_aaaaaaaaaa/deployments/a", 404, "acme_aaaaaaaaaa"),
    ],
)
def test_bad_release_paths_are_4xx_naming_the_problem(api, signing, path, status, field):
    response = api.delete(path, ALICE)
    assert response.status_code == status and field in response.json["Message"]


def test_release_needs_a_token(api, limited):
    assert api.delete(f"/licenses/{limited['id']}/deployments/a").status_code == 401


def test_new_instances_racing_for_the_last_slot_get_it_once(api, signing):
    license_ = issue(api, "acme", max_deployments=3)
    start = Barrier(8)

    def run(instance):
        start.wait()
        return checkin(api, license_["key"], f"race-{instance}", address=f"192.0.2.{instance}").status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(run, range(8)))
    assert sorted(codes) == [200] * 3 + [403] * 5
    assert detail(api, license_["id"])["deployments_total"] == 3 == len(detail(api, license_["id"])["deployments"])


def test_one_instance_checking_in_twice_at_once_counts_once(api, limited):
    start = Barrier(4)

    def run(_):
        start.wait()
        return checkin(api, limited["key"], "twin").status_code

    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(run, range(4))) == {200}
    assert detail(api, limited["id"])["deployments_total"] == 1


# --- setting the limit --------------------------------------------------------------------


def test_admin_changes_the_limit_and_lifts_it(api, limited):
    checkin(api, limited["key"], "a")
    checkin(api, limited["key"], "b")
    lowered = api.patch(f"/admin/licenses/{limited['id']}", ADMIN, {"max_deployments": 1})
    assert lowered.status_code == 200 and lowered.json["max_deployments"] == 1
    assert checkin(api, limited["key"], "a").status_code == 200  # nobody is thrown out
    assert checkin(api, limited["key"], "c").status_code == 403
    lifted = api.patch(f"/admin/licenses/{limited['id']}", ADMIN, {"max_deployments": None})
    assert lifted.status_code == 200 and lifted.json["max_deployments"] is None
    assert checkin(api, limited["key"], "c").status_code == 200


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "max_deployments"),
        ({"max_deployments": 0}, "max_deployments"),
        ({"max_deployments": "3"}, "max_deployments"),
        ({"max_deployments": 1.5}, "max_deployments"),
        ({"max_deployments": True}, "max_deployments"),
        ({"max_deployments": 2, "days": 3}, "days"),
    ],
)
def test_bad_limits_are_400_naming_the_field(api, limited, body, field):
    response = api.patch(f"/admin/licenses/{limited['id']}", ADMIN, body)
    assert response.status_code == 400 and field in response.json["Message"]


def test_only_admins_change_the_limit(api, limited):
    for user in (ALICE, AGENT):
        assert api.patch(f"/admin/licenses/{limited['id']}", user, {"max_deployments": 9}).status_code == 403
    assert api.patch("/admin/licenses/acme_aaaaaaaaaa", ADMIN, {"max_deployments": 9}).status_code == 404


def test_issue_refuses_a_bad_limit_naming_the_field(api, signing):
    body = {"org": "acme", "product": "P", "edition": "E", "days": 5, "max_deployments": -1}
    response = api.post("/admin/licenses", ADMIN, body)
    assert response.status_code == 400 and "max_deployments" in response.json["Message"]


# --- paged deployments --------------------------------------------------------------------


def test_the_detail_shows_50_deployments_and_pages_on(api, signing):
    license_ = issue(api, "acme")
    for i in range(62):
        assert checkin(api, license_["key"], f"i-{i:03d}", address=f"10.0.{i}.1").status_code == 200
    first = detail(api, license_["id"])
    assert first["deployments_total"] == 62 and len(first["deployments"]) == 50
    assert first["deployments_next_cursor"]
    assert len(json.dumps(first)) < 20_000
    rest = api.get(f"/licenses/{license_['id']}/deployments?cursor={first['deployments_next_cursor']}", ALICE)
    assert rest.status_code == 200
    seen = {d["instance_id"] for d in first["deployments"]} | {d["instance_id"] for d in rest.json["items"]}
    assert len(seen) == 62 and rest.json["next_cursor"] is None
    # A cursor is bound to its license and reader.
    other = api.get(f"/licenses/{license_['id']}/deployments?cursor={first['deployments_next_cursor']}", BOB)
    assert other.status_code == 400 and "cursor" in other.json["Message"]


def test_a_short_list_has_no_cursor(api, limited):
    checkin(api, limited["key"], "a")
    assert detail(api, limited["id"])["deployments_next_cursor"] is None


def test_another_organisation_gets_404_on_the_deployments_page(api, limited):
    assert api.get(f"/licenses/{limited['id']}/deployments", CAROL).status_code == 404


# --- check-in rate limits -----------------------------------------------------------------


def test_checkins_from_one_address_get_429_with_retry_after(api, signing, fixed_clock):
    license_ = issue(api, "acme")
    codes = [checkin(api, license_["key"], f"i-{i}").status_code for i in range(62)]
    assert codes == [200] * 60 + [429] * 2
    limited_answer = checkin(api, license_["key"], "i-0")
    assert limited_answer.headers["Retry-After"] == "30"
    assert "check-ins from your address" in limited_answer.json["Message"]


def test_unknown_keys_count_against_the_address(api, signing, fixed_clock):
    license_ = issue(api, "acme")
    codes = {checkin(api, f"AAAAA-BBBBB-CCCCC-DDDDD-{i:05d}").status_code for i in range(60)}
    assert codes == {404}
    assert checkin(api, license_["key"]).status_code == 429


def test_one_key_from_many_addresses_is_limited_per_key(api, signing, fixed_clock):
    license_ = issue(api, "acme")
    codes = [checkin(api, license_["key"], "same", address=f"203.0.113.{i % 50}").status_code for i in range(125)]
    assert 500 not in codes and codes[:120] == [200] * 120 and set(codes[120:]) == {429}
    answer = checkin(api, license_["key"], "same", address="203.0.113.200")
    assert answer.status_code == 429 and "of this key" in answer.json["Message"]


def test_a_flood_of_new_instances_stops_at_the_limit_and_the_detail_stays_small(api, signing, fixed_clock):
    license_ = issue(api, "acme", max_deployments=5)
    codes = [
        checkin(api, license_["key"], f"flood-{i}", address=f"198.18.{i // 250}.{i % 250}").status_code
        for i in range(150)
    ]
    assert 500 not in codes
    assert codes.count(200) == 5 and set(codes[5:120]) == {403} and set(codes[120:]) == {429}
    shown = api.get(f"/licenses/{license_['id']}", ALICE)
    assert shown.json["deployments_total"] == 5 and len(shown.body) < 5_000


def test_the_limit_resets_in_the_next_minute(api, signing, fixed_clock):
    license_ = issue(api, "acme")
    for i in range(61):
        checkin(api, license_["key"], f"i-{i}")
    fixed_clock["now"] += 30
    assert checkin(api, license_["key"], "i-0").status_code == 200
