"""Lists: newest activity first, filters, title search and tamper-proof pagination."""

import pytest

from tests.support.users import AGENT, ALICE, BOB, CAROL


def numbers(response):
    assert response.status_code == 200, response.body
    return [t["number"] for t in response.json["items"]]


@pytest.fixture
def tickets(api):
    """#1 acme Bug open, #2 acme Question pending, #3 globex Bug open, #4 acme Installation closed."""
    api.new_ticket(ALICE, title="Crash on start", tags=["Bug"])
    api.new_ticket(BOB, title="How to configure SSO", tags=["Question"])
    api.new_ticket(CAROL, title="Crash when exporting", tags=["Bug"])
    api.new_ticket(ALICE, title="Installer fails", tags=["Installation"])
    api.post("/tickets/2/messages", AGENT, {"body": "See the SSO guide."})
    api.post("/tickets/4/close", ALICE)
    return api


def test_customer_list_is_their_organisation_newest_activity_first(tickets):
    assert numbers(tickets.get("/tickets", ALICE)) == [4, 2, 1]


def test_support_queue_spans_every_organisation(tickets):
    assert numbers(tickets.get("/tickets", AGENT)) == [4, 2, 3, 1]


def test_activity_moves_a_ticket_to_the_top(tickets):
    tickets.post("/tickets/1/messages", ALICE, {"body": "Still crashing"})
    assert numbers(tickets.get("/tickets", ALICE))[0] == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=open", [1]),
        ("status=pending", [2]),
        ("status=closed", [4]),
        ("tag=Bug", [1]),
        ("tag=Feature%20Request", []),
        ("q=crash", [1]),
        ("q=SSO", [2]),
        ("q=crash&status=closed", []),
    ],
)
def test_customer_filters_and_title_search(tickets, query, expected):
    assert numbers(tickets.get(f"/tickets?{query}", ALICE)) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("org=globex", [3]),
        ("org=acme&tag=Bug", [1]),
        ("priority=normal", [4, 2, 3, 1]),
        ("priority=urgent", []),
        ("q=crash", [3, 1]),
    ],
)
def test_support_filters_by_organisation_and_priority(tickets, query, expected):
    assert numbers(tickets.get(f"/tickets?{query}", AGENT)) == expected


def test_customer_cannot_filter_by_another_organisation(tickets):
    assert tickets.get("/tickets?org=globex", ALICE).status_code == 403


def test_pages_follow_the_cursor_without_gaps_or_repeats(api):
    for i in range(7):
        api.new_ticket(ALICE, title=f"Ticket {i}")
    seen, cursor, pages = [], None, 0
    while True:
        path = "/tickets?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(path, ALICE).json
        seen += [t["number"] for t in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [7, 6, 5, 4, 3, 2, 1]
    assert pages == 3


def test_filtered_pages_follow_the_cursor(api):
    for i in range(6):
        api.new_ticket(ALICE, title=f"Ticket {i}", tags=["Bug" if i % 2 else "Question"])
    first = api.get("/tickets?tag=Bug&limit=2", ALICE).json
    second = api.get(f"/tickets?tag=Bug&limit=2&cursor={first['next_cursor']}", ALICE).json
    assert [t["number"] for t in first["items"] + second["items"]] == [6, 4, 2]


def test_cursor_of_one_user_is_refused_for_another(api):
    for _ in range(3):
        api.new_ticket(ALICE)
    cursor = api.get("/tickets?limit=1", ALICE).json["next_cursor"]
    response = api.get(f"/tickets?limit=1&cursor={cursor}", CAROL)
    assert response.status_code == 400
    assert "cursor" in response.json["Message"]


def test_cursor_of_one_filter_is_refused_for_another(api):
    for _ in range(3):
        api.new_ticket(ALICE)
    cursor = api.get("/tickets?limit=1&status=open", ALICE).json["next_cursor"]
    assert api.get(f"/tickets?limit=1&cursor={cursor}", ALICE).status_code == 400
