"""CSAT (PRODUCT.md §5): the requester rates a closed ticket good or bad, once per close and
changeable until it is re-opened; the close mail asks "How did we do?" with good / bad links."""

from __future__ import annotations

import pytest

from tests.support.mail import mailed, outbox
from tests.support.users import ADMIN, AGENT, ALICE, BOB, CAROL


def _ok(response):
    assert response.status_code in (200, 201), response.body
    return response.json


@pytest.fixture
def closed(api) -> int:
    number = api.new_ticket(ALICE)["number"]
    _ok(api.post(f"/tickets/{number}/close", AGENT))
    return number


def rate(api, number, user=ALICE, **body):
    return api.post(f"/tickets/{number}/rating", user, body)


def rated_lines(api, number, user=AGENT):
    return [
        entry["changes"] for entry in api.get(f"/tickets/{number}", user).json["history"] if entry["kind"] == "rated"
    ]


def test_the_requester_rates_a_closed_ticket_and_requester_and_support_see_it(api, closed):
    answer = _ok(rate(api, closed, score="good", comment="  Quick and clear.  "))
    assert answer["number"] == closed
    assert answer["rating"]["score"] == "good" and answer["rating"]["comment"] == "Quick and clear."
    for user in (ALICE, AGENT, ADMIN):
        assert api.get(f"/tickets/{closed}", user).json["rating"] == answer["rating"]
    assert rated_lines(api, closed, ALICE) == [{"score": {"to": "good"}, "comment": {"to": "Quick and clear."}}]
    colleague = api.get(f"/tickets/{closed}", BOB).json  # alice's colleague sees the ticket, not her rating
    assert colleague["rating"] is None and "rated" not in [e["kind"] for e in colleague["history"]]


def test_a_ticket_without_a_rating_shows_null(api, closed):
    assert api.get(f"/tickets/{closed}", ALICE).json["rating"] is None
    assert api.new_ticket(ALICE)["rating"] is None


def test_the_rating_is_changeable_while_closed_and_the_same_one_twice_is_one(api, closed):
    _ok(rate(api, closed, score="bad"))
    _ok(rate(api, closed, score="bad"))  # a second click on the mail's link
    changed = _ok(rate(api, closed, score="good", comment="Solved after all."))
    assert changed["rating"]["score"] == "good"
    assert rated_lines(api, closed) == [
        {"score": {"to": "bad"}},
        {"score": {"from": "bad", "to": "good"}, "comment": {"to": "Solved after all."}},
    ]
    assert api.get(f"/tickets/{closed}", ALICE).json["rating"]["comment"] == "Solved after all."


def test_a_reopen_clears_the_rating_and_the_next_close_asks_again(api, closed):
    _ok(rate(api, closed, score="bad"))
    _ok(api.post(f"/tickets/{closed}/reopen", ALICE))
    assert api.get(f"/tickets/{closed}", ALICE).json["rating"] is None
    response = rate(api, closed, score="good")
    assert response.status_code == 409
    assert response.json["Message"] == f"Ticket #{closed} is open; a rating is for a closed ticket."
    _ok(api.post(f"/tickets/{closed}/close", AGENT))
    assert api.get(f"/tickets/{closed}", ALICE).json["rating"] is None
    assert _ok(rate(api, closed, score="good"))["rating"]["score"] == "good"


def test_support_setting_the_status_of_a_closed_ticket_clears_the_rating(api, closed):
    _ok(rate(api, closed, score="good"))
    version = api.get(f"/tickets/{closed}", AGENT).json["version"]
    _ok(api.patch(f"/tickets/{closed}", AGENT, {"version": version, "status": "pending"}))
    assert api.get(f"/tickets/{closed}", ALICE).json["rating"] is None


def test_an_open_or_pending_ticket_cannot_be_rated(api):
    number = api.new_ticket(ALICE)["number"]
    assert rate(api, number, score="good").status_code == 409
    _ok(api.post(f"/tickets/{number}/messages", AGENT, {"body": "Which version?"}))
    response = rate(api, number, score="good")
    assert response.status_code == 409 and "is pending" in response.json["Message"]


def test_only_the_requester_rates(api, closed):
    colleague = rate(api, closed, BOB, score="bad")
    assert colleague.status_code == 403
    assert colleague.json["Message"] == f"Only the ticket's requester ({ALICE.email}) rates ticket #{closed}."
    other_org = rate(api, closed, CAROL, score="bad")
    assert other_org.status_code == 404 and other_org.json["Message"] == f"Ticket #{closed} does not exist."
    for user in (AGENT, ADMIN):
        support = rate(api, closed, user, score="good")
        assert support.status_code == 403 and "Only the ticket's requester rates it" in support.json["Message"]
    assert rate(api, 999, score="good").status_code == 404
    assert api.get(f"/tickets/{closed}", ALICE).json["rating"] is None


@pytest.mark.parametrize(
    "body, named",
    [
        ({}, "score"),
        ({"score": "meh"}, "score"),
        ({"score": 1}, "score"),
        ({"score": "good", "comment": "x" * 2001}, "comment"),
        ({"score": "good", "stars": 5}, "stars"),
    ],
)
def test_bad_ratings_are_a_400_naming_the_field(api, closed, body, named):
    response = api.post(f"/tickets/{closed}/rating", ALICE, body)
    assert response.status_code == 400, response.body
    assert named in response.json["Message"]


# --- the close mail ----------------------------------------------------------------------


def test_supports_close_mail_asks_the_requester_with_good_and_bad_links(api, pump):
    from chalicelib.core.config import settings

    number = api.new_ticket(ALICE)["number"]
    _ok(api.post(f"/tickets/{number}/followers", ALICE, {"email": BOB.email}))
    pump()
    before = len(outbox())
    _ok(api.post(f"/tickets/{number}/close", AGENT))
    pump()
    close = mailed(ALICE.email)[-1]
    assert len(outbox()) > before and f"closed ticket #{number}" in close.text
    page = f"{settings().site_url}support/ticket/?n={number}"
    good, bad = f"{page}&rate=good", f"{page}&rate=bad"
    assert "How did we do?" in close.text
    assert f"  Good: {good}" in close.text and f"  Bad: {bad}" in close.text
    html = close.html
    assert "How did we do?" in html
    assert f'href="{good.replace("&", "&amp;")}"' in html and f'href="{bad.replace("&", "&amp;")}"' in html
    [follower] = mailed(BOB.email)[-1:]
    assert "closed ticket" in follower.text and "How did we do?" not in follower.text  # the requester's question
    assert "rate=" not in follower.html


def test_support_setting_closed_asks_too_and_a_customers_own_close_does_not(api, pump):
    number = api.new_ticket(ALICE)["number"]
    version = api.get(f"/tickets/{number}", AGENT).json["version"]
    _ok(api.patch(f"/tickets/{number}", AGENT, {"version": version, "status": "closed"}))
    pump()
    assert "How did we do?" in mailed(ALICE.email)[-1].text
    other = api.new_ticket(ALICE)["number"]
    _ok(api.post(f"/tickets/{other}/followers", ALICE, {"email": BOB.email}))
    _ok(api.post(f"/tickets/{other}/close", ALICE))
    pump()
    assert all("How did we do?" not in mail.text for mail in mailed(BOB.email))


def test_a_rating_mails_nobody(api, pump, closed):
    pump()
    before = len(outbox())
    _ok(rate(api, closed, score="bad", comment="Took too long."))
    pump()
    assert len(outbox()) == before
