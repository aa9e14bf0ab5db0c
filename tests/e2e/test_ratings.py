"""CSAT in the browser: the close mail's Good / Bad links land on the ticket page, which records
the rating for the requester, takes a comment, and shows the rating to support; the requester's
colleague is not asked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_mail_reply import _mail_to

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def _closed_by_support(api_as, local_stack, unique: str) -> tuple[int, str]:
    """A ticket of alice's that support closed, and the path of the close mail's Good link."""
    status, ticket = api_as("alice@acme.example")(
        "POST", "/tickets", {"title": f"Licence import fails {unique}", "description": "On 4.2.", "tags": ["Bug"]}
    )
    assert status == 201
    number = ticket["number"]
    assert api_as("agent@vendor.example")("POST", f"/tickets/{number}/close")[0] == 200
    mail = _mail_to(local_stack, number, "alice@acme.example", "How did we do?")
    good = re.search(rf"support/ticket/\?n={number}&rate=good", mail["text"])
    assert good is not None, mail["text"]
    return number, good.group(0)


def test_the_close_mails_good_link_rates_the_ticket_and_a_comment_joins_it(tabs, api_as, local_stack, unique):
    number, link = _closed_by_support(api_as, local_stack, unique)
    alice = tabs().open(link).sign_in("alice@acme.example")
    page = alice.page
    detail = page.locator("[data-portal-widget=ticket-detail]")
    expect(detail.locator(".portal-note--success")).to_contain_text("you rated this ticket Good")
    assert "rate=" not in page.url  # a reload does not send it again
    form = detail.locator("form[data-action=rate]")
    expect(form.get_by_label("Good")).to_be_checked()
    expect(detail.locator(".portal-meta")).to_contain_text("Good")

    form.get_by_label("What went well, or what did not (optional)").fill("Solved within the hour.")
    form.get_by_role("button", name="Change my rating").click()
    expect(detail.locator(".portal-meta")).to_contain_text("Good — “Solved within the hour.”")

    status, seen_by_support = api_as("agent@vendor.example")("GET", f"/tickets/{number}")
    assert status == 200
    assert (seen_by_support["rating"]["score"], seen_by_support["rating"]["comment"]) == (
        "good",
        "Solved within the hour.",
    )
    page.reload()
    expect(detail.locator(".portal-meta")).to_contain_text("Solved within the hour.")
    alice.assert_clean()


def test_the_rating_can_be_changed_and_a_colleague_is_not_asked(tabs, api_as, local_stack, unique):
    number, _ = _closed_by_support(api_as, local_stack, unique)
    alice = tabs().open(f"support/ticket/?n={number}&rate=bad").sign_in("alice@acme.example")
    detail = alice.page.locator("[data-portal-widget=ticket-detail]")
    expect(detail.locator(".portal-note--success")).to_contain_text("you rated this ticket Bad")
    form = detail.locator("form[data-action=rate]")
    form.get_by_label("Good").check()
    form.get_by_role("button", name="Change my rating").click()
    expect(detail.locator(".portal-note--success")).to_contain_text("you rated this ticket Good")
    assert api_as("alice@acme.example")("GET", f"/tickets/{number}")[1]["rating"]["score"] == "good"

    bob = tabs().open(f"support/ticket/?n={number}&rate=bad").sign_in("bob@acme.example")
    bob_detail = bob.page.locator("[data-portal-widget=ticket-detail]")
    expect(bob_detail.locator("h2")).to_contain_text("Licence import fails")
    expect(bob_detail.locator("form[data-action=rate]")).to_have_count(0)
    assert api_as("alice@acme.example")("GET", f"/tickets/{number}")[1]["rating"]["score"] == "good"
    alice.assert_clean()
    bob.assert_clean()
