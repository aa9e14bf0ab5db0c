"""Views at scale (PRODUCT.md §3.4, §7): with 10,000 tickets of which 5 are open, every keyed view
is one Query reading at most limit + 1 items; a text search finds what it looks for on page one."""

from __future__ import annotations

import pytest

from tests.support.dynamo import counting_requests, recording_queries
from tests.support.users import AGENT, ALICE
from tests.support.workspace import write_tickets

LIMIT = 10


@pytest.fixture(scope="module")
def many_tickets():
    """The 10,000 tickets, written once for the module (a moto account of its own)."""
    from moto import mock_aws

    with mock_aws():
        from chalicelib.core.table import PortalItem
        from chalicelib.identity.auth import operator
        from chalicelib.identity.organisations import create_organisation

        PortalItem.create_table(wait=True)
        for org in ("acme", "globex"):
            create_organisation(operator("tests"), {"org": org, "name": org})
        opened = write_tickets(10_000, open_every=1_999)
        yield opened


@pytest.fixture
def client(many_tickets):
    from chalice.test import Client

    from app import app
    from tests.conftest import Api

    with Client(app) as chalice_client:
        yield Api(chalice_client)


def expected(opened, query: str, user) -> list[int]:
    """The hand-made truth of each view over the written tickets (newest activity first)."""
    acme = [n for n in opened if n % 2]
    mine = [n for n in opened if n % 4 and n % 3]
    unassigned = [n for n in opened if not n % 4]
    truth = {
        "status=open": acme if user is ALICE else opened,
        "view=mine&status=open": mine,
        "view=unassigned&status=open": unassigned,
        "org=acme&status=open": acme,
        "sort=due": opened,
        "status=pending": [],
    }[query]
    return sorted(truth, reverse=query != "sort=due")


VIEWS = [
    (AGENT, "status=open"),
    (AGENT, "status=pending"),
    (AGENT, "view=mine&status=open"),
    (AGENT, "view=unassigned&status=open"),
    (AGENT, "org=acme&status=open"),
    (AGENT, "sort=due"),
    (ALICE, "status=open"),
]


@pytest.mark.parametrize("user, query", VIEWS, ids=[f"{u.email.split('@')[0]}:{q}" for u, q in VIEWS])
def test_each_status_view_is_one_query_reading_at_most_limit_plus_one(client, many_tickets, user, query):
    with counting_requests() as calls, recording_queries() as queries:
        response = client.get(f"/tickets?{query}&limit={LIMIT}", user)
    assert response.status_code == 200, response.body
    assert [t["number"] for t in response.json["items"]] == expected(many_tickets, query, user)
    assert response.json["next_cursor"] is None
    assert dict(calls) == {"Query": 1}
    assert queries[0]["scanned"] <= LIMIT + 1


@pytest.mark.parametrize(
    "user, query",
    [(AGENT, "view=all"), (AGENT, "view=mine"), (AGENT, "view=unassigned"), (ALICE, "view=org"), (AGENT, "org=globex")],
)
def test_views_of_every_status_read_one_page_too(client, user, query):
    with counting_requests() as calls, recording_queries() as queries:
        response = client.get(f"/tickets?{query}&limit={LIMIT}", user)
    assert response.status_code == 200, response.body
    assert len(response.json["items"]) == LIMIT and response.json["next_cursor"]
    assert dict(calls) == {"Query": 1}
    assert queries[0]["scanned"] == LIMIT + 1
