"""Who sees which license: every license route as each role, other organisations as 404."""

from __future__ import annotations

import pytest

from tests.support.licenses import PUBLIC_KEY_HEX
from tests.support.users import ADMIN, AGENT, ALICE, BOB, CAROL


def test_customer_lists_only_own_organisations_licenses(api, acme_license, globex_license):
    for user, expected in ((ALICE, acme_license), (BOB, acme_license), (CAROL, globex_license)):
        response = api.get("/licenses", user)
        assert response.status_code == 200
        assert [item["id"] for item in response.json["items"]] == [expected["id"]]


def test_license_list_shows_status_days_left_and_masked_key(api, acme_license):
    item = api.get("/licenses", ALICE).json["items"][0]
    assert item["status"] == "active"
    assert item["days_left"] == 365
    assert item["product"] == "Vendor Gateway" and item["edition"] == "Enterprise"
    assert item["key_masked"].endswith(acme_license["key"][-5:])
    assert "key" not in item


@pytest.mark.parametrize("user", [AGENT, ADMIN], ids=["support", "admin"])
def test_support_and_admin_list_every_organisations_licenses(api, user, acme_license, globex_license):
    ids = {item["id"] for item in api.get("/licenses", user).json["items"]}
    assert ids == {acme_license["id"], globex_license["id"]}
    only_globex = api.get("/licenses?org=globex", user).json["items"]
    assert [item["id"] for item in only_globex] == [globex_license["id"]]


def test_customer_may_not_filter_licenses_by_organisation(api, acme_license):
    response = api.get("/licenses?org=globex", ALICE)
    assert response.status_code == 403
    assert "organisation" in response.json["Message"]


def test_license_list_needs_sign_in(api):
    assert api.get("/licenses").status_code == 401


@pytest.mark.parametrize("user", [ALICE, BOB, AGENT, ADMIN], ids=["alice", "bob", "support", "admin"])
def test_license_detail_for_those_who_may_see_it(api, user, acme_license):
    response = api.get(f"/licenses/{acme_license['id']}", user)
    assert response.status_code == 200
    detail = response.json
    assert detail["key"] == acme_license["key"]
    assert detail["capabilities"][0] == {"name": "Throughput", "enabled": True, "limit": "10 Gbps"}
    assert detail["deployments"] == []


def test_customer_of_other_org_gets_404_on_license_detail(api, acme_license):
    response = api.get(f"/licenses/{acme_license['id']}", CAROL)
    assert response.status_code == 404
    assert acme_license["id"] in response.json["Message"]


def test_customer_of_other_org_gets_404_on_license_file(api, acme_license):
    assert api.get(f"/licenses/{acme_license['id']}/file", CAROL).status_code == 404


def test_unknown_license_is_404(api, signing):
    assert api.get("/licenses/acme_aaaaaaaaaa", ALICE).status_code == 404
    assert api.get("/licenses/acme_aaaaaaaaaa", ADMIN).status_code == 404
    assert api.get("/licenses/acme_aaaaaaaaaa/file", ADMIN).status_code == 404


def test_malformed_license_id_is_400(api, signing):
    response = api.get("/licenses/not-a-license", ALICE)
    assert response.status_code == 400
    assert "license id" in response.json["Message"]


def test_license_detail_and_file_need_sign_in(api, acme_license):
    assert api.get(f"/licenses/{acme_license['id']}").status_code == 401
    assert api.get(f"/licenses/{acme_license['id']}/file").status_code == 401


@pytest.mark.parametrize("user", [None, ALICE, AGENT], ids=["anonymous", "customer", "support"])
def test_public_key_is_public_and_not_taken_for_a_license_id(api, signing, user):
    response = api.get("/licenses/public-key", user)
    assert response.status_code == 200
    assert response.json == {"alg": "ed25519", "public_key": PUBLIC_KEY_HEX}


@pytest.mark.parametrize("user", [ALICE, CAROL, AGENT], ids=["customer", "other-customer", "support"])
def test_only_admins_reach_admin_license_routes(api, acme_license, user):
    license_id = acme_license["id"]
    calls = [
        ("GET", "/admin/licenses", None),
        ("POST", "/admin/licenses", {"org": "acme", "product": "X", "edition": "Y", "days": 1}),
        ("POST", f"/admin/licenses/{license_id}/renew", {"days": 30}),
        ("POST", f"/admin/licenses/{license_id}/suspend", {}),
        ("POST", f"/admin/licenses/{license_id}/reactivate", {}),
    ]
    for method, path, body in calls:
        response = api.call(method, path, user, body)
        assert response.status_code == 403, (path, response.body)
    assert api.get(f"/licenses/{license_id}", ADMIN).json["status"] == "active"


def test_admin_routes_need_sign_in(api, acme_license):
    assert api.get("/admin/licenses").status_code == 401
    assert api.post(f"/admin/licenses/{acme_license['id']}/suspend").status_code == 401


def test_lookup_and_checkin_need_no_sign_in(api, acme_license):
    assert api.post("/licenses/lookup", body={"key": acme_license["key"]}).status_code == 200
    checkin = {"key": acme_license["key"], "instance_id": "i-1", "version": "4.2.1", "hostname": "gw1.acme.example"}
    assert api.post("/licenses/checkin", body=checkin).status_code == 200


def test_openapi_documents_every_license_route(api):
    paths = api.get("/openapi.json").json["paths"]
    for path, method in [
        ("/licenses", "get"),
        ("/licenses/{id}", "get"),
        ("/licenses/{id}/file", "get"),
        ("/licenses/public-key", "get"),
        ("/licenses/lookup", "post"),
        ("/licenses/checkin", "post"),
        ("/admin/licenses", "post"),
        ("/admin/licenses", "get"),
        ("/admin/licenses/{id}/renew", "post"),
        ("/admin/licenses/{id}/suspend", "post"),
        ("/admin/licenses/{id}/reactivate", "post"),
    ]:
        assert method in paths[path], path
    assert paths["/licenses/lookup"]["post"]["security"] == []


def test_support_pages_through_every_organisations_licenses_by_expiry(api, signing):
    from tests.support.licenses import issue

    issued = [
        issue(api, org, days=days)["id"]
        for org, days in (("acme", 300), ("globex", 20), ("acme", 100), ("globex", 200), ("acme", 5))
    ]
    seen, cursor, pages = [], None, 0
    while True:
        path = "/licenses?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(path, AGENT).json
        seen += [item["expires_at"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(issued) and seen == sorted(seen)
    assert pages >= 3


def test_a_tampered_or_borrowed_license_cursor_is_400(api, signing):
    from tests.support.licenses import issue

    for _ in range(3):
        issue(api, "acme")
    cursor = api.get("/licenses?limit=1", AGENT).json["next_cursor"]
    assert api.get(f"/licenses?limit=1&cursor={cursor[:-2]}xx", AGENT).status_code == 400
    assert api.get(f"/admin/licenses?limit=1&cursor={cursor}", ADMIN).status_code == 400


def test_an_organisations_list_is_one_page(api, acme_license):
    page = api.get("/licenses", ALICE).json
    assert page["next_cursor"] is None
    response = api.get("/licenses?limit=1", ALICE)
    assert response.status_code == 400 and "limit" in response.json["Message"]
