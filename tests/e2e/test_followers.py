"""Followers in the browser: the ticket page shows and edits them, the list shows what one
follows, and the agent raises a ticket for a user picked from the organisation's users."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def test_a_customer_adds_and_removes_a_colleague_who_then_sees_it_under_i_follow(tabs, api_as, unique):
    title = f"Backups fail at midnight {unique}"
    status, ticket = api_as("alice@acme.example")(
        "POST", "/tickets", {"title": title, "description": "Since 4.2.", "tags": ["Bug"]}
    )
    assert status == 201
    alice = tabs().open(f"support/ticket/?n={ticket['number']}").sign_in("alice@acme.example")
    followers = alice.page.locator(".portal-followers")
    expect(followers.get_by_role("heading")).to_have_text("Followers (1)")
    expect(followers).to_contain_text("alice@acme.example raised it")

    followers.get_by_label("Colleague's e-mail").fill("carol@globex.example")
    followers.get_by_role("button", name="Add follower").click()
    expect(followers.locator(".portal-note--error")).to_contain_text("not a user of organisation 'acme'")

    followers.get_by_label("Colleague's e-mail").fill("bob@acme.example")
    followers.get_by_role("button", name="Add follower").click()
    detail = alice.page.locator("[data-portal-widget=ticket-detail]")
    expect(detail.locator(".portal-note--success")).to_have_text("bob@acme.example follows the ticket now.")
    expect(followers.get_by_role("heading")).to_have_text("Followers (2)")
    expect(detail.locator(".portal-history")).to_contain_text("added bob@acme.example as a follower")

    bob = tabs().open("support/").sign_in("bob@acme.example")
    tickets = bob.page.locator("[data-portal-widget=my-tickets]")
    tickets.get_by_label("Show").select_option(label="That I follow")
    expect(tickets.locator(".portal-ticket").first).to_contain_text(title)
    tickets.get_by_label("Show").select_option(label="Raised by me")
    expect(tickets.locator(".portal-results")).not_to_contain_text(title)

    followers.get_by_role("button", name="Remove bob@acme.example from the followers").click()
    expect(detail.locator(".portal-note--success")).to_have_text("bob@acme.example no longer follows the ticket.")
    expect(followers.get_by_role("heading")).to_have_text("Followers (1)")
    alice.assert_clean()
    bob.assert_clean()


def test_the_agent_picks_the_requester_from_the_organisations_users(tab, unique):
    page = tab.open("agent/").sign_in("agent@vendor.example").page
    page.get_by_role("button", name="New ticket").click()
    form = page.locator("form[data-action=create]")
    form.get_by_label("Organisation").fill("acme")
    form.get_by_label("Organisation").press("Tab")
    options = form.locator("#portal-org-users option")
    expect(options).to_have_count(2)
    assert sorted(options.evaluate_all("os => os.map(o => o.value)")) == ["alice@acme.example", "bob@acme.example"]

    form.get_by_label("Customer's e-mail").fill("carol@globex.example")
    form.get_by_label("Bug").check()
    form.get_by_label("Title").fill(f"Phoned in {unique}")
    form.get_by_label("Description").fill("Bob called about the installer.")
    form.get_by_role("button", name="Raise ticket").click()
    expect(form.locator(".portal-note--error")).to_contain_text("requester: carol@globex.example is not a user")

    form.get_by_label("Customer's e-mail").fill("bob@acme.example")
    form.get_by_role("button", name="Raise ticket").click()
    expect(form.locator(".portal-note--success")).to_contain_text("is raised")
    tab.assert_clean()
