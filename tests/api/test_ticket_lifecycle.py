"""Every ticket route and every status transition of PRODUCT.md §3, as each role."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.users import ADMIN, AGENT, ALICE, BOB, CAROL


def status_of(api, number, user=ALICE):
    return api.get(f"/tickets/{number}", user).json["status"]


def test_customer_creates_an_open_ticket_for_their_organisation(api):
    ticket = api.new_ticket(ALICE, title="Cannot log in", tags=["Bug", "Question"])
    assert ticket["status"] == "open"
    assert ticket["priority"] == "normal"
    assert ticket["org"] == "acme"
    assert ticket["created_by"] == "alice@acme.example"
    assert ticket["tags"] == ["Bug", "Question"]
    assert ticket["history"][0]["kind"] == "created"


def test_ticket_numbers_are_sequential_across_organisations(api):
    numbers = [api.new_ticket(user)["number"] for user in (ALICE, CAROL, BOB)]
    assert numbers == [1, 2, 3]


def test_colleague_of_the_same_organisation_sees_the_ticket(api):
    number = api.new_ticket(ALICE)["number"]
    response = api.get(f"/tickets/{number}", BOB)
    assert response.status_code == 200
    assert [t["number"] for t in api.get("/tickets", BOB).json["items"]] == [number]


def test_support_raises_a_ticket_on_a_customers_behalf(api):
    response = api.post(
        "/tickets",
        AGENT,
        {
            "title": "Phone call: VPN drops",
            "description": "Called at 9:00.",
            "tags": ["Bug"],
            "org": "acme",
            "requester": "alice@acme.example",
            "priority": "high",
        },
    )
    assert response.status_code == 201, response.body
    assert (response.json["org"], response.json["created_by"], response.json["priority"]) == (
        "acme",
        "alice@acme.example",
        "high",
    )
    assert response.json["number"] in [t["number"] for t in api.get("/tickets", ALICE).json["items"]]


def test_support_must_name_the_organisation_and_requester(api):
    response = api.post("/tickets", AGENT, {"title": "t", "description": "d", "tags": ["Bug"]})
    assert response.status_code == 403
    assert "org and requester are required" in response.json["Message"]


def test_support_cannot_raise_a_ticket_for_an_unknown_organisation(api):
    response = api.post(
        "/tickets",
        AGENT,
        {"title": "t", "description": "d", "tags": ["Bug"], "org": "initech", "requester": "x@initech.example"},
    )
    assert response.status_code == 404
    assert "no organisation 'initech'" in response.json["Message"]


def test_customer_cannot_set_priority_on_create(api):
    response = api.post("/tickets", ALICE, {"title": "t", "description": "d", "tags": ["Bug"], "priority": "urgent"})
    assert response.status_code == 403


def test_customer_updates_title_description_and_tags(api):
    number = api.new_ticket()["number"]
    response = api.patch(
        f"/tickets/{number}",
        ALICE,
        {"version": 1, "title": "New title", "description": "More detail", "tags": ["Question"]},
    )
    assert response.status_code == 200, response.body
    assert response.json["version"] == 2
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert (detail["title"], detail["description"], detail["tags"]) == ("New title", "More detail", ["Question"])
    assert detail["history"][-1]["kind"] == "updated"
    assert detail["history"][-1]["changes"]["title"] == {"to": "New title"}


def test_customer_can_never_set_status(api):
    number = api.new_ticket()["number"]
    response = api.patch(f"/tickets/{number}", ALICE, {"version": 1, "status": "closed"})
    assert response.status_code == 403
    assert "close or re-open" in response.json["Message"]
    assert status_of(api, number) == "open"


def test_customer_cannot_set_priority(api):
    number = api.new_ticket()["number"]
    assert api.patch(f"/tickets/{number}", ALICE, {"version": 1, "priority": "urgent"}).status_code == 403


def test_stale_version_is_a_conflict_that_says_what_to_do(api):
    number = api.new_ticket()["number"]
    assert api.patch(f"/tickets/{number}", ALICE, {"version": 1, "title": "First"}).status_code == 200
    response = api.patch(f"/tickets/{number}", BOB, {"version": 1, "title": "Second"})
    assert response.status_code == 409
    assert "Someone else changed" in response.json["Message"]
    assert api.get(f"/tickets/{number}", ALICE).json["title"] == "First"


def test_support_public_response_moves_open_to_pending(api):
    number = api.new_ticket()["number"]
    response = api.post(f"/tickets/{number}/messages", AGENT, {"body": "Try restarting."})
    assert response.status_code == 201
    assert response.json["ticket"]["status"] == "pending"
    assert status_of(api, number) == "pending"


def test_customer_response_moves_pending_back_to_open(api):
    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/messages", AGENT, {"body": "Try restarting."})
    assert api.post(f"/tickets/{number}/messages", BOB, {"body": "Did not help."}).status_code == 201
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert detail["status"] == "open"
    assert [m["body"] for m in detail["messages"]] == ["Try restarting.", "Did not help."]
    assert detail["message_count"] == 2


def test_internal_note_is_hidden_from_customers_and_changes_nothing_they_see(api):
    number = api.new_ticket()["number"]
    before = api.get(f"/tickets/{number}", ALICE).json
    response = api.post(f"/tickets/{number}/messages", AGENT, {"body": "Customer on old build", "internal": True})
    assert response.status_code == 201
    after = api.get(f"/tickets/{number}", ALICE).json
    assert after == before
    support_view = api.get(f"/tickets/{number}", AGENT).json
    assert [m["body"] for m in support_view["messages"] if m["internal"]] == ["Customer on old build"]
    assert support_view["history"][-1]["kind"] == "noted"


def test_customer_cannot_write_internal_notes(api):
    number = api.new_ticket()["number"]
    response = api.post(f"/tickets/{number}/messages", ALICE, {"body": "psst", "internal": True})
    assert response.status_code == 403
    assert api.get(f"/tickets/{number}", AGENT).json["messages"] == []


@pytest.mark.parametrize("closer", [ALICE, BOB, AGENT], ids=["creator", "colleague", "support"])
def test_any_status_can_be_closed_by_the_organisation_or_support(api, closer):
    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/messages", AGENT, {"body": "pending now"})
    response = api.post(f"/tickets/{number}/close", closer)
    assert response.status_code == 200
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert detail["status"] == "closed"
    assert detail["closed_at"]
    assert detail["history"][-1] == {**detail["history"][-1], "kind": "closed", "by": closer.email}


def test_closing_a_closed_ticket_is_a_conflict(api):
    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/close", ALICE)
    response = api.post(f"/tickets/{number}/close", ALICE)
    assert response.status_code == 409
    assert "already closed" in response.json["Message"]


def test_closed_ticket_stays_visible_in_the_list(api):
    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/close", ALICE)
    listed = api.get("/tickets?status=closed", BOB).json["items"]
    assert [t["number"] for t in listed] == [number]


def test_customer_response_to_a_closed_ticket_asks_to_reopen_first(api):
    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/close", ALICE)
    response = api.post(f"/tickets/{number}/messages", ALICE, {"body": "One more thing"})
    assert response.status_code == 409
    assert "re-open it" in response.json["Message"]
    assert api.get(f"/tickets/{number}", ALICE).json["messages"] == []


def test_customer_cannot_edit_a_closed_ticket(api):
    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/close", ALICE)
    response = api.patch(f"/tickets/{number}", ALICE, {"version": 2, "title": "Edited"})
    assert response.status_code == 409
    assert "re-open" in response.json["Message"]


@pytest.mark.parametrize("opener", [ALICE, AGENT], ids=["customer", "support"])
def test_closed_ticket_is_reopened_within_the_window(api, opener):
    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/close", ALICE)
    response = api.post(f"/tickets/{number}/reopen", opener)
    assert response.status_code == 200
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert (detail["status"], detail["closed_at"]) == ("open", None)
    assert detail["history"][-1]["kind"] == "reopened"


def test_reopening_after_the_window_asks_for_a_follow_up(api):
    from chalicelib.tickets.models import TICKET_SK, TicketItem, ticket_pk

    number = api.new_ticket()["number"]
    api.post(f"/tickets/{number}/close", ALICE)
    long_ago = (datetime.now(UTC) - timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # Closed a month ago; like every change of a ticket, that moves its version.
    TicketItem(ticket_pk(number), TICKET_SK).update(
        actions=[TicketItem.closed_at.set(long_ago), TicketItem.version.add(1)]
    )
    response = api.post(f"/tickets/{number}/reopen", ALICE)
    assert response.status_code == 409
    assert "follow-up" in response.json["Message"]
    assert status_of(api, number) == "closed"


def test_reopening_an_open_ticket_is_a_conflict(api):
    number = api.new_ticket()["number"]
    response = api.post(f"/tickets/{number}/reopen", ALICE)
    assert response.status_code == 409
    assert "not closed" in response.json["Message"]


@pytest.mark.parametrize(
    "start, target",
    [
        ("open", "pending"),
        ("pending", "open"),
        ("open", "closed"),
        ("closed", "open"),
        ("closed", "pending"),
        ("pending", "closed"),
    ],
)
def test_support_sets_any_status_explicitly(api, start, target):
    number = api.new_ticket()["number"]
    if start == "pending":
        api.post(f"/tickets/{number}/messages", AGENT, {"body": "x"})
    elif start == "closed":
        api.post(f"/tickets/{number}/close", ALICE)
    version = api.get(f"/tickets/{number}", AGENT).json["version"]
    response = api.patch(f"/tickets/{number}", AGENT, {"version": version, "status": target})
    assert response.status_code == 200, response.body
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert detail["status"] == target
    assert (detail["closed_at"] is not None) == (target == "closed")


def test_support_sets_priority(api):
    number = api.new_ticket()["number"]
    assert api.patch(f"/tickets/{number}", AGENT, {"version": 1, "priority": "urgent"}).status_code == 200
    assert api.get(f"/tickets/{number}", ALICE).json["priority"] == "urgent"


def test_admin_works_the_queue_like_support(api):
    number = api.new_ticket()["number"]
    assert api.get(f"/tickets/{number}", ADMIN).status_code == 200
    assert api.post(f"/tickets/{number}/messages", ADMIN, {"body": "Admin here"}).status_code == 201


def test_me_names_user_organisation_and_roles(api):
    assert api.get("/me", ALICE).json == {
        "user_id": "sub-alice@acme.example",
        "email": "alice@acme.example",
        "org": "acme",
        "roles": [],
    }
    assert api.get("/me", AGENT).json["roles"] == ["support"]


def test_health_needs_no_token(api):
    assert api.get("/health").json == {"status": "ok"}
