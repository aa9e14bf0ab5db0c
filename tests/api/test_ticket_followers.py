"""Followers, customers' views and the requester of on-behalf tickets (PRODUCT.md §3, §3.1)."""

from __future__ import annotations

import pytest

from tests.support.mail import outbox
from tests.support.users import ADMIN, AGENT, ALICE, BOB, CAROL

A, B = ALICE.email, BOB.email


def follow(api, number, user, email):
    return api.post(f"/tickets/{number}/followers", user, {"email": email})


@pytest.mark.parametrize("user", [ALICE, BOB, AGENT], ids=["requester", "colleague", "support"])
def test_customers_of_the_organisation_and_support_add_and_remove_followers(api, user):
    number = api.new_ticket(ALICE)["number"]
    added = follow(api, number, user, B)
    assert added.status_code == 200, added.body
    assert added.json == {"number": number, "requester": A, "followers": [A, B]}
    assert api.get(f"/tickets/{number}", ALICE).json["followers"] == [A, B]
    removed = api.delete(f"/tickets/{number}/followers/{B}", user)
    assert removed.status_code == 200 and removed.json["followers"] == [A]
    assert api.get(f"/tickets/{number}", ALICE).json["followers"] == [A]


def test_following_twice_is_one_follower_and_each_change_is_a_history_line(api):
    number = api.new_ticket(ALICE)["number"]
    version = api.get(f"/tickets/{number}", ALICE).json["version"]
    assert follow(api, number, ALICE, "Bob@Acme.example").json["followers"] == [A, B]
    assert follow(api, number, BOB, B).json["followers"] == [A, B]
    api.delete(f"/tickets/{number}/followers/bob%40acme.example", BOB)
    detail = api.get(f"/tickets/{number}", ALICE).json
    kinds = [(h["kind"], h["by"], h["changes"]) for h in detail["history"]]
    assert kinds[1:] == [
        ("follower_added", A, {"follower": {"to": B}}),
        ("follower_removed", B, {"follower": {"from": B}}),
    ]
    assert detail["version"] == version, "following changes who is mailed, not the ticket"


@pytest.mark.parametrize(
    "email, why",
    [
        (CAROL.email, "not a user of organisation 'acme'"),
        ("nobody@acme.example", "not a user of organisation 'acme'"),
        (AGENT.email, "not a user of organisation 'acme'"),
    ],
)
def test_a_follower_who_is_not_a_user_of_the_organisation_is_a_400_and_nothing_changes(api, email, why):
    number = api.new_ticket(ALICE)["number"]
    before = api.get(f"/tickets/{number}", ALICE).json
    response = follow(api, number, ALICE, email)
    assert response.status_code == 400
    assert response.json["Message"].startswith("email: ") and why in response.json["Message"]
    assert api.get(f"/tickets/{number}", ALICE).json == before


def test_the_requester_always_follows(api):
    number = api.new_ticket(ALICE)["number"]
    response = api.delete(f"/tickets/{number}/followers/{A}", BOB)
    assert response.status_code == 400 and "always follows" in response.json["Message"]
    assert follow(api, number, BOB, A).json["followers"] == [A]


@pytest.mark.parametrize("body", [{}, {"email": "not-an-address"}, {"email": B, "role": "x"}, {"email": 7}])
def test_a_bad_follower_body_is_a_400(api, body):
    number = api.new_ticket(ALICE)["number"]
    response = api.post(f"/tickets/{number}/followers", ALICE, body)
    assert response.status_code == 400, response.body


def test_another_organisations_ticket_answers_404_for_followers(api):
    number = api.new_ticket(ALICE)["number"]
    assert follow(api, number, CAROL, CAROL.email).status_code == 404
    assert api.delete(f"/tickets/{number}/followers/{A}", CAROL).status_code == 404
    assert follow(api, 999, ALICE, B).status_code == 404


# --- customers' views ------------------------------------------------------------------


def numbers(api, user, **query) -> list[int]:
    path = "/tickets?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = api.get(path, user)
    assert response.status_code == 200, response.body
    return [t["number"] for t in response.json["items"]]


def test_customers_list_mine_following_and_org(api):
    alices = api.new_ticket(ALICE)["number"]
    bobs = api.new_ticket(BOB)["number"]
    followed = api.new_ticket(BOB)["number"]
    follow(api, followed, BOB, A)
    raised_for_alice = api.new_ticket(AGENT, org="acme", requester=A)["number"]
    assert numbers(api, ALICE, view="mine") == [raised_for_alice, alices]
    assert numbers(api, ALICE, view="following") == [raised_for_alice, followed, alices]
    assert numbers(api, ALICE, view="org") == numbers(api, ALICE) == [raised_for_alice, followed, bobs, alices]
    assert numbers(api, BOB, view="mine") == [followed, bobs]
    assert numbers(api, CAROL, view="following") == []


def test_views_are_for_customers_and_unknown_views_are_400(api):
    assert api.get("/tickets?view=mine", AGENT).status_code == 403
    response = api.get("/tickets?view=everything", ALICE)
    assert response.status_code == 400 and "view" in response.json["Message"]


# --- on-behalf tickets and the organisation's users ------------------------------------


@pytest.mark.parametrize(
    "requester",
    [CAROL.email, "stranger@example.com", AGENT.email],
    ids=["another organisation's", "of no organisation", "support's own"],
)
def test_an_on_behalf_requester_who_is_not_a_user_of_the_org_is_a_400_nothing_stored_nothing_mailed(
    api, pump, requester
):
    response = api.post(
        "/tickets", AGENT, {"title": "t", "description": "d", "tags": ["Bug"], "org": "acme", "requester": requester}
    )
    assert response.status_code == 400
    assert response.json["Message"].startswith(f"requester: {requester} is not a user of organisation 'acme'")
    assert api.get("/tickets", AGENT).json["items"] == []
    pump()
    assert outbox() == []


def test_an_on_behalf_ticket_for_a_user_of_the_org_is_theirs(api):
    created = api.new_ticket(AGENT, org="acme", requester="Alice@Acme.example")
    assert created["requester"] == created["created_by"] == A
    assert created["followers"] == [A]


@pytest.mark.parametrize("user", [AGENT, ADMIN])
def test_support_and_admins_list_an_organisations_users(api, user):
    response = api.get("/orgs/acme/users", user)
    assert response.status_code == 200
    assert sorted(u["email"] for u in response.json["items"]) == [A, B]


def test_customers_cannot_list_users_and_unknown_organisations_are_404(api):
    assert api.get("/orgs/acme/users", ALICE).status_code == 403
    assert api.get("/orgs/nope/users", AGENT).status_code == 404
    assert api.get("/orgs/Not_An_Org/users", AGENT).status_code == 400
