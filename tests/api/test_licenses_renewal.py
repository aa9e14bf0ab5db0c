"""A customer asks for a renewal from the license: a ticket naming the license, in the org's list."""

from __future__ import annotations

import pytest

from tests.support.licenses import in_days, set_expiry
from tests.support.users import ADMIN, AGENT, ALICE, BOB, CAROL


def test_a_renewal_request_raises_a_ticket_naming_the_license(api, acme_license):
    set_expiry(acme_license["id"], in_days(10))
    response = api.post(f"/licenses/{acme_license['id']}/renewal-request", ALICE)
    assert response.status_code == 201
    assert set(response.json) == {"ticket"} and set(response.json["ticket"]) == {"number"}
    number = response.json["ticket"]["number"]
    ticket = api.get(f"/tickets/{number}", BOB).json  # the whole organisation sees it
    assert acme_license["id"] in ticket["title"] and "Vendor Gateway Enterprise" in ticket["title"]
    assert ticket["tags"] == ["Question"] and ticket["status"] == "open"
    assert "expiring" in ticket["description"] and acme_license["id"] in ticket["description"]
    assert acme_license["key"] not in ticket["description"]  # a ticket is no place for the key
    assert acme_license["key"][-5:] in ticket["description"]
    assert number in [t["number"] for t in api.get("/tickets", ALICE).json["items"]]
    assert number in [t["number"] for t in api.get("/tickets?org=acme", AGENT).json["items"]]


def test_the_request_carries_the_customers_message(api, acme_license):
    body = {"message": "We would like three more years."}
    number = api.post(f"/licenses/{acme_license['id']}/renewal-request", ALICE, body).json["ticket"]["number"]
    assert "three more years" in api.get(f"/tickets/{number}", ALICE).json["description"]


def test_an_expired_license_says_expired(api, acme_license):
    set_expiry(acme_license["id"], in_days(-3))
    number = api.post(f"/licenses/{acme_license['id']}/renewal-request", ALICE).json["ticket"]["number"]
    assert "expired on" in api.get(f"/tickets/{number}", ALICE).json["description"]


def test_a_retry_with_the_same_idempotency_key_raises_one_ticket(api, acme_license):
    path = f"/licenses/{acme_license['id']}/renewal-request"
    first = api.post(path, ALICE, headers={"Idempotency-Key": "renew-1"}).json["ticket"]["number"]
    again = api.post(path, ALICE, headers={"Idempotency-Key": "renew-1"}).json["ticket"]["number"]
    assert first == again


def test_another_organisation_gets_404(api, acme_license):
    assert api.post(f"/licenses/{acme_license['id']}/renewal-request", CAROL).status_code == 404


@pytest.mark.parametrize("user", [AGENT, ADMIN], ids=["support", "admin"])
def test_support_and_admins_renew_instead_of_requesting(api, acme_license, user):
    response = api.post(f"/licenses/{acme_license['id']}/renewal-request", user)
    assert response.status_code == 403 and "renew" in response.json["Message"]


@pytest.mark.parametrize(
    "body,field",
    [({"message": ""}, "message"), ({"message": "x" * 2001}, "message"), ({"term": 3}, "term"), ([1], "body")],
)
def test_bad_requests_are_400_naming_the_field(api, acme_license, body, field):
    response = api.post(f"/licenses/{acme_license['id']}/renewal-request", ALICE, body)
    assert response.status_code == 400 and field in response.json["Message"]


def test_an_unknown_license_is_404(api, signing):
    assert api.post("/licenses/acme_aaaaaaaaaa/renewal-request", ALICE).status_code == 404
