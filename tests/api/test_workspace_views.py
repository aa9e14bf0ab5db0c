"""The agent workspace's views (PRODUCT.md §3.4): status × view × role, exactly the right tickets,
newest activity first, paged with cursors bound to their list."""

import pytest

from tests.support.users import AGENT, ALICE, BOB, CAROL
from tests.support.workspace import AGENT2, assign


@pytest.fixture
def queue(api, team):
    """#1 acme (Alice) open, nobody's; #2 acme (Bob) pending, agent's; #3 globex open, agent2's;
    #4 acme (Alice) closed, agent's; #5 globex pending, nobody's. Newest activity: 5, 4, 3, 2, 1."""
    api.new_ticket(ALICE, title="Crash on start")
    api.new_ticket(BOB, title="SSO question")
    api.new_ticket(CAROL, title="Export fails")
    api.new_ticket(ALICE, title="Installer hangs")
    api.new_ticket(CAROL, title="Licence file")
    assign(api, 2, AGENT.email)
    api.post("/tickets/2/messages", AGENT, {"body": "See the SSO guide."})
    assign(api, 3, AGENT2.email)
    assign(api, 4, AGENT.email)
    api.post("/tickets/4/close", ALICE)
    api.post("/tickets/5/messages", AGENT, {"body": "Which version?"})
    return api


def listed(api, user, query="", limit=None):
    """Every ticket of the list, following next_cursor page by page."""
    seen, cursor = [], None
    while True:
        parts = [p for p in (query, f"limit={limit}" if limit else "", f"cursor={cursor}" if cursor else "") if p]
        response = api.get("/tickets?" + "&".join(parts), user)
        assert response.status_code == 200, response.body
        seen += [t["number"] for t in response.json["items"]]
        cursor = response.json["next_cursor"]
        if not cursor:
            return seen


SUPPORT = {
    ("all", None): [5, 4, 3, 2, 1],
    ("all", "open"): [3, 1],
    ("all", "pending"): [5, 2],
    ("all", "closed"): [4],
    ("mine", None): [4, 2],
    ("mine", "open"): [],
    ("mine", "pending"): [2],
    ("mine", "closed"): [4],
    ("unassigned", None): [5, 1],
    ("unassigned", "open"): [1],
    ("unassigned", "pending"): [5],
    ("unassigned", "closed"): [],
}


@pytest.mark.parametrize("view, status", SUPPORT)
@pytest.mark.parametrize("limit", [None, 1])
def test_support_views_by_status_are_exact_and_newest_first(queue, view, status, limit):
    query = f"view={view}" + (f"&status={status}" if status else "")
    assert listed(queue, AGENT, query, limit) == SUPPORT[(view, status)]


@pytest.mark.parametrize(
    "query, expected",
    [("view=mine", [3]), ("view=mine&status=open", [3]), ("view=mine&status=pending", [])],
)
def test_mine_is_the_callers_own(queue, query, expected):
    assert listed(queue, AGENT2, query) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("org=acme", [4, 2, 1]),
        ("org=acme&status=open", [1]),
        ("org=globex&status=pending", [5]),
        ("org=acme&view=mine", [4, 2]),
        ("org=globex&view=unassigned&status=pending", [5]),
    ],
)
def test_support_views_of_one_organisation(queue, query, expected):
    assert listed(queue, AGENT, query, 1) == expected


CUSTOMERS = {
    (ALICE, "org", None): [4, 2, 1],
    (ALICE, "org", "open"): [1],
    (ALICE, "org", "pending"): [2],
    (ALICE, "org", "closed"): [4],
    (ALICE, "mine", None): [4, 1],
    (ALICE, "mine", "open"): [1],
    (ALICE, "mine", "pending"): [],
    (BOB, "mine", None): [2],
    (BOB, "mine", "pending"): [2],
    (CAROL, "org", None): [5, 3],
    (CAROL, "org", "open"): [3],
    (CAROL, "org", "pending"): [5],
    (CAROL, "following", "closed"): [],
}


@pytest.mark.parametrize("user, view, status", CUSTOMERS)
@pytest.mark.parametrize("limit", [None, 1])
def test_customer_views_by_status_are_exact_and_their_organisations_only(queue, user, view, status, limit):
    query = f"view={view}" + (f"&status={status}" if status else "")
    assert listed(queue, user, query, limit) == CUSTOMERS[(user, view, status)]


def test_a_cursor_works_only_for_the_view_it_came_from(queue):
    cursor = queue.get("/tickets?view=all&limit=1", AGENT).json["next_cursor"]
    for query in ("view=mine", "view=all&status=open", "view=unassigned"):
        response = queue.get(f"/tickets?{query}&limit=1&cursor={cursor}", AGENT)
        assert response.status_code == 400 and "cursor" in response.json["Message"]
    assert queue.get(f"/tickets?view=all&limit=1&cursor={cursor}", AGENT2).status_code == 400


def test_a_tampered_cursor_is_refused(queue):
    cursor = queue.get("/tickets?view=all&status=open&limit=1", AGENT).json["next_cursor"]
    body, _, signature = cursor.partition(".")
    forged = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + signature
    response = queue.get(f"/tickets?view=all&status=open&limit=1&cursor={forged}", AGENT)
    assert response.status_code == 400


def test_activity_moves_a_ticket_to_the_top_of_its_views(queue):
    queue.post("/tickets/1/messages", ALICE, {"body": "Still crashing"})
    assert listed(queue, AGENT, "view=unassigned&status=open") == [1]
    assert listed(queue, AGENT, "view=all")[0] == 1


def test_closing_moves_a_ticket_out_of_its_status_view_and_into_closed(queue):
    queue.post("/tickets/2/close", BOB)
    assert listed(queue, AGENT, "view=mine&status=pending") == []
    assert listed(queue, AGENT, "view=mine&status=closed") == [2, 4]
    assert listed(queue, BOB, "view=mine&status=closed") == [2]


@pytest.mark.parametrize(
    "user, query",
    [
        (ALICE, "view=unassigned"),
        (ALICE, "view=all"),
        (ALICE, "sort=due"),
        (AGENT, "view=following"),
        (ALICE, "org=globex"),
    ],
)
def test_another_roles_view_is_403(queue, user, query):
    response = queue.get(f"/tickets?{query}", user)
    assert response.status_code == 403, response.body


def test_sort_due_with_a_status_that_waits_on_nobody_is_400(queue):
    response = queue.get("/tickets?sort=due&status=pending", AGENT)
    assert response.status_code == 400 and "status" in response.json["Message"]
