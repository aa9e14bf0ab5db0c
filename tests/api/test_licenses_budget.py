"""DynamoDB round trips per license call (PRODUCT.md §7): list and detail are one Query."""

from __future__ import annotations

from tests.support.dynamo import counting_requests
from tests.support.users import ADMIN, AGENT, ALICE


def test_license_list_is_one_query(api, acme_license, globex_license):
    api.post(
        "/licenses/checkin", body={"key": acme_license["key"], "instance_id": "a", "version": "1", "hostname": "h"}
    )
    for user, path in (
        (ALICE, "/licenses"),
        (AGENT, "/licenses"),
        (AGENT, "/licenses?org=acme"),
        (ADMIN, "/admin/licenses?org=acme"),
    ):
        with counting_requests() as calls:
            assert api.get(path, user).status_code == 200
        assert calls == {"Query": 1}, (user.email, path, calls)


def test_license_detail_with_deployments_is_one_query(api, acme_license):
    for instance in ("a", "b", "c"):
        api.post(
            "/licenses/checkin",
            body={"key": acme_license["key"], "instance_id": instance, "version": "1", "hostname": "h"},
        )
    for user in (ALICE, AGENT, ADMIN):
        with counting_requests() as calls:
            detail = api.get(f"/licenses/{acme_license['id']}", user).json
        assert len(detail["deployments"]) == 3
        assert calls == {"Query": 1}


def test_another_organisations_license_costs_no_request(api, acme_license):
    from tests.support.users import CAROL

    with counting_requests() as calls:
        assert api.get(f"/licenses/{acme_license['id']}", CAROL).status_code == 404
    assert sum(calls.values()) == 0


def test_lookup_and_checkin_budgets(api, acme_license):
    with counting_requests() as calls:
        api.post("/licenses/lookup", body={"key": acme_license["key"]})
    assert calls == {"UpdateItem": 2, "Query": 1}  # two rate-limit windows, the key
    body = {"key": acme_license["key"], "instance_id": "a", "version": "1", "hostname": "h"}
    with counting_requests() as calls:
        api.post("/licenses/checkin", body=body)
    # Two rate-limit windows, the key, the known-instance update (refused: it is new), the
    # transaction that adds it within the limit.
    assert calls == {"UpdateItem": 3, "Query": 1, "TransactWriteItems": 1}
    with counting_requests() as calls:
        api.post("/licenses/checkin", body=body)
    assert calls == {"UpdateItem": 3, "Query": 1}  # a known instance: no transaction


def test_release_is_one_transaction(api, acme_license):
    api.post(
        "/licenses/checkin", body={"key": acme_license["key"], "instance_id": "a", "version": "1", "hostname": "h"}
    )
    with counting_requests() as calls:
        assert api.delete(f"/licenses/{acme_license['id']}/deployments/a", ALICE).status_code == 204
    assert calls == {"TransactWriteItems": 1}


def test_issue_is_one_transaction(api, signing):
    with counting_requests() as calls:
        api.post("/admin/licenses", ADMIN, {"org": "acme", "product": "P", "edition": "E", "days": 5})
    assert calls == {"TransactWriteItems": 1}
