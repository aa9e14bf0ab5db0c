"""The support pages for returning customers: the list's view, filters, search and page in the
address (Back and reload keep them, Clear filters), the new-ticket page naming the page it came
from, drafts kept through a reload and an expired session, and the API's refusals in plain words."""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]
PHONE = {"width": 390, "height": 844}
# What a customer must never read: the API's schema-worded messages.
RAW = re.compile(r"query\.|body\.|is not valid:|is not a license id|Unknown field")


# Globex's tickets: the many raised here leave Acme's list (other tests page through it) as it was.
CAROL = "carol@globex.example"


def _tickets(api_as, unique, count, tag="Bug"):
    carol = api_as(CAROL)
    numbers = []
    for i in range(count):
        status, ticket = carol("POST", "/tickets", {"title": f"Kept {unique} {i}", "description": "x", "tags": [tag]})
        assert status == 201
        numbers.append(ticket["number"])
    return numbers


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_back_from_a_ticket_and_reload_keep_the_view_filters_search_and_page(tab, api_as, unique, phone):
    numbers = _tickets(api_as, unique, 12, tag="Question")
    if phone:
        tab.page.set_viewport_size(PHONE)
    tab.open("support/").sign_in(CAROL)
    mine = tab.page.locator("[data-portal-widget=my-tickets]")
    rows = mine.locator(".portal-ticket")
    mine.get_by_label("Show").select_option("mine")
    mine.get_by_label("Tag").select_option("Question")
    mine.get_by_label("Search").fill(f"kept {unique}")
    mine.get_by_label("Search").press("Enter")
    expect(rows).to_have_count(10)
    expect(tab.page).to_have_url(re.compile(r"search=kept"))  # the searched list is shown, not an earlier one
    mine.get_by_role("button", name="Older").click()
    expect(rows).to_have_count(2)
    expect(tab.page).to_have_url(re.compile(r"view=mine.*tag=Question.*search=kept.*page=2"))

    rows.first.get_by_role("link").click()
    expect(tab.page.locator("[data-portal-widget=ticket-detail] h2")).to_contain_text(f"#{numbers[1]} ")
    tab.page.go_back()
    expect(mine.locator(".portal-pager")).to_contain_text("Page 2")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(f"#{numbers[1]} ")
    expect(mine.get_by_label("Show")).to_have_value("mine")
    expect(mine.get_by_label("Tag")).to_have_value("Question")
    expect(mine.get_by_label("Search")).to_have_value(f"kept {unique}")

    tab.page.reload()
    expect(mine.locator(".portal-pager")).to_contain_text("Page 2")
    expect(rows.first).to_contain_text(f"#{numbers[1]} ")
    expect(mine.get_by_label("Tag")).to_have_value("Question")
    # The ticket page's "All tickets" leads back to the same list too.
    rows.first.get_by_role("link").click()
    # The ticket is shown (its page has arrived) before its "All tickets" is followed.
    expect(tab.page.locator("[data-portal-widget=ticket-detail] h2")).to_contain_text(f"#{numbers[1]} ")
    tab.page.get_by_role("link", name="All tickets").click()
    expect(mine.locator(".portal-pager")).to_contain_text("Page 2")
    expect(mine.get_by_label("Show")).to_have_value("mine")
    if phone:
        assert tab.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tab.assert_clean()


def test_an_empty_result_offers_to_clear_the_filters(tab, unique):
    tab.open(f"support/?status=pending&search=nothing+like+{unique}").sign_in("bob@acme.example")
    mine = tab.page.locator("[data-portal-widget=my-tickets]")
    expect(mine.get_by_text("No tickets match these filters.")).to_be_visible()
    mine.get_by_role("button", name="Clear filters").click()
    expect(mine.locator(".portal-ticket").first).to_be_visible()
    expect(mine.get_by_label("Status")).to_have_value("")
    expect(mine.get_by_label("Search")).to_have_value("")
    expect(tab.page).to_have_url(re.compile(r"/support/(#[\w-]+)?$"))  # Material tracks the heading in view
    tab.assert_clean()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_raise_a_ticket_from_a_guide_names_the_guide_and_keeps_the_suggestions(tabs, api_as, unique, dark):
    tab = tabs(dark=dark)
    tab.page.set_viewport_size(PHONE)
    tab.open("support/new/?page=/kb/reset-a-forgotten-password/&title=Reset+a+forgotten+password")
    tab.sign_in(CAROL)
    form = tab.page.locator("[data-portal-widget=new-ticket]")
    description = form.get_by_label("Description")
    expect(description).to_have_value(
        re.compile(r"^About the page: Reset a forgotten password \(http://[^)]+/kb/reset-a-forgotten-password/\)\n")
    )
    form.get_by_label("Title").fill(f"Password reset mail never came {unique}")
    expect(form.locator(".portal-suggest a").first).to_be_visible()
    form.get_by_label("Question").check()
    form.get_by_role("button", name="Raise ticket").click()
    expect(form.locator(".portal-note--success")).to_contain_text("is raised")
    carol = api_as(CAROL)
    status, found = carol("GET", f"/tickets?q=password+reset+mail+never+came+{unique}")
    assert status == 200 and len(found["items"]) == 1
    status, ticket = carol("GET", f"/tickets/{found['items'][0]['number']}")
    assert ticket["description"].startswith("About the page: Reset a forgotten password (")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tab.assert_clean()


def test_a_page_of_another_site_is_not_named(tab):
    tab.open("support/new/?page=https://evil.example/x&title=Evil").sign_in("alice@acme.example")
    expect(tab.page.locator("[data-portal-widget=new-ticket]").get_by_label("Description")).to_have_value("")


def test_a_response_draft_survives_a_reload_and_is_cleared_when_sent(tab, api_as, unique):
    (number,) = _tickets(api_as, unique, 1)
    tab.open(f"support/ticket/?n={number}").sign_in(CAROL)
    detail = tab.page.locator("[data-portal-widget=ticket-detail]")
    detail.get_by_label("Your response").fill(f"Half-written answer {unique}")
    tab.page.reload()
    expect(detail.get_by_label("Your response")).to_have_value(f"Half-written answer {unique}")
    expect(detail.get_by_text("Restored what you typed before")).to_be_visible()
    detail.get_by_role("button", name="Add Response").click()
    expect(detail.locator(".portal-msgs")).to_contain_text(f"Half-written answer {unique}")
    tab.page.reload()
    expect(detail.locator(".portal-msgs")).to_contain_text(f"Half-written answer {unique}")
    expect(detail.get_by_label("Your response")).to_have_value("")
    assert "portal.draft" not in json.dumps(tab.page.evaluate("Object.keys(localStorage)"))
    tab.assert_clean()


def test_an_update_draft_reopens_the_update_form_after_a_reload(tab, api_as, unique):
    (number,) = _tickets(api_as, unique, 1)
    tab.open(f"support/ticket/?n={number}").sign_in(CAROL)
    detail = tab.page.locator("[data-portal-widget=ticket-detail]")
    detail.get_by_role("button", name="Update Ticket").click()
    detail.locator(".portal-edit").get_by_label("Title").fill(f"Better title {unique}")
    tab.page.reload()
    expect(detail.locator(".portal-edit").get_by_label("Title")).to_have_value(f"Better title {unique}")
    detail.get_by_role("button", name="Cancel").click()
    tab.page.reload()
    expect(detail.get_by_role("button", name="Update Ticket")).to_be_visible()
    expect(detail.locator(".portal-edit")).to_have_count(0)


def test_a_new_ticket_typed_when_the_session_expired_is_back_after_signing_in(tab, unique):
    tab.open("support/new/").sign_in("alice@acme.example")
    form = tab.page.locator("[data-portal-widget=new-ticket]")
    form.get_by_label("Bug").check()
    form.get_by_label("Title").fill(f"Typed before expiry {unique}")
    form.get_by_label("Description").fill("A long account of the problem.")
    # The session has ended: the API refuses the token (and the silent refresh does not help).
    expired = {
        "status": 401,
        "content_type": "application/json",
        "body": json.dumps({"Code": "UnauthorizedError", "Message": "Token expired."}),
    }
    tab.page.route("**/api/tickets", lambda route: route.fulfill(**expired))
    form.get_by_role("button", name="Raise ticket").click()
    expect(form.get_by_text("Your session has ended. Sign in again: what you typed here is kept")).to_be_visible()
    tab.page.unroute("**/api/tickets")
    tab.sign_in("alice@acme.example")
    expect(form.get_by_label("Title")).to_have_value(f"Typed before expiry {unique}")
    expect(form.get_by_label("Description")).to_have_value("A long account of the problem.")
    expect(form.get_by_label("Bug")).to_be_checked()
    tab.assert_clean()


# Each class of refusal, provoked on the ticket list's request, and the words a customer reads.
REFUSALS = {
    400: ("query.status must be one of: open, pending, closed.", "The status is not right: check it and try again."),
    403: ("Only support may do this.", "Your account may not do this."),
    404: ("No such ticket.", "Not found, or not yours"),
    409: ("The ticket changed since version 3.", "Someone else changed this since you opened it. Reload the page"),
    413: ("The request body is 70000 bytes; the limit is 65536.", "That is too large to send."),
    429: ("Slow down.", "Too many requests in a short time. Wait a minute and try again."),
    500: ("Traceback (most recent call last)", "The portal had a problem on its side. Try again in a moment."),
    503: ("Service unavailable.", "The portal is busy right now. Try again in a moment."),
}


@pytest.mark.parametrize("status", sorted(REFUSALS))
def test_every_class_of_refusal_reads_in_plain_words(tab, status):
    detail, words = REFUSALS[status]
    tab.open("support/").sign_in("bob@acme.example")
    body = json.dumps({"Code": "Error", "Message": detail})
    tab.page.route(
        "**/api/tickets?*", lambda route: route.fulfill(status=status, content_type="application/json", body=body)
    )
    mine = tab.page.locator("[data-portal-widget=my-tickets]")
    mine.get_by_label("Status").select_option("open")
    alert = mine.get_by_role("alert")
    expect(alert).to_contain_text(words)
    assert not RAW.search(alert.inner_text()), alert.inner_text()
    if status in (404,):
        expect(alert.locator("details")).to_have_count(0)
    else:  # the API's own text, folded away for a conversation with support
        expect(alert.locator("details")).to_contain_text(detail)
    tab.assert_clean()


def test_an_unreachable_portal_says_check_the_connection(tab):
    tab.open("support/").sign_in("bob@acme.example")
    tab.page.route("**/api/tickets?*", lambda route: route.abort())
    mine = tab.page.locator("[data-portal-widget=my-tickets]")
    mine.get_by_label("Status").select_option("closed")
    expect(mine.get_by_role("alert")).to_have_text(
        "The portal could not be reached. Check your connection and try again."
    )


def test_a_stale_address_gets_words_not_the_apis_validation_text(tab):
    """A hand-edited address reaches the real API: its 400 reads as words, with Clear filters."""
    tab.open("support/?status=solved").sign_in("bob@acme.example")
    mine = tab.page.locator("[data-portal-widget=my-tickets]")
    expect(mine.get_by_role("alert")).to_contain_text("The status is not right: check it and try again.")
    assert not RAW.search(mine.inner_text())
    mine.get_by_role("button", name="Clear filters").click()
    expect(mine.locator(".portal-ticket").first).to_be_visible()


def test_a_malformed_license_id_reads_in_plain_words(tab):
    tab.open("licenses/?id=ACME-123").sign_in("alice@acme.example")
    detail = tab.page.locator("[data-portal-widget=license-detail]")
    expect(detail.get_by_role("alert")).to_contain_text("The license id is not right: check it and try again.")
    assert not RAW.search(detail.inner_text()), detail.inner_text()
    tab.assert_clean()
