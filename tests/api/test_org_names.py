"""GET /orgs: the organisation picker of the agent console (support and admin), one Query."""

from __future__ import annotations

import pytest

from tests.support.dynamo import counting_requests
from tests.support.users import ADMIN, AGENT, ALICE, CAROL


@pytest.mark.parametrize("user", [AGENT, ADMIN])
def test_support_and_admins_list_every_organisation_by_id_with_its_name(api, user):
    with counting_requests() as calls:
        response = api.get("/orgs", user)
    assert response.status_code == 200
    items = response.json["items"]
    assert [o["org"] for o in items] == sorted(o["org"] for o in items)
    assert {"org": "acme", "name": "Acme Corp"} in items
    assert {o["org"] for o in items} >= {"acme", "globex"}
    assert all(set(o) == {"org", "name"} for o in items)
    assert calls == {"Query": 1}


@pytest.mark.parametrize("user", [ALICE, CAROL])
def test_customers_cannot_list_the_organisations(api, user):
    response = api.get("/orgs", user)
    assert response.status_code == 403
    assert "support" in response.json["Message"]


def test_the_organisation_list_needs_a_sign_in(api):
    assert api.call("GET", "/orgs", None).status_code == 401
