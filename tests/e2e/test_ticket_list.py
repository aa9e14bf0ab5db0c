"""My tickets and new tickets: newest activity first, filters, title search, pages; one ticket per raise."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def test_list_searches_filters_and_pages_newest_activity_first(tab, api_as, unique):
    alice = api_as("alice@acme.example")
    numbers = []
    for i in range(11):
        status, ticket = alice(
            "POST",
            "/tickets",
            {"title": f"Paging {unique} number {i}", "description": "x", "tags": ["Question" if i % 2 else "Bug"]},
        )
        assert status == 201
        numbers.append(ticket["number"])
    assert alice("POST", f"/tickets/{numbers[0]}/close")[0] == 200  # the oldest becomes the most recent

    tab.open("support/").sign_in("bob@acme.example")
    mine = tab.page.locator("[data-portal-widget=my-tickets]")
    with tab.page.expect_response(lambda r: f"q=paging+{unique}" in r.url):
        mine.get_by_label("Search").fill(f"paging {unique}")
        mine.get_by_label("Search").press("Enter")
    rows = mine.locator(".portal-ticket")
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text(f"#{numbers[0]} ")
    expect(rows.first.locator(".portal-badge")).to_have_text("closed")
    expect(rows.nth(1)).to_contain_text(f"#{numbers[10]} ")
    expect(mine.locator(".portal-pager")).to_contain_text("Page 1")

    mine.get_by_role("button", name="Older").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"#{numbers[1]} ")
    expect(mine.get_by_role("button", name="Older")).to_be_disabled()
    mine.get_by_role("button", name="Newer").click()
    expect(rows).to_have_count(10)

    mine.get_by_label("Status").select_option("closed")
    expect(rows).to_have_count(1)
    mine.get_by_label("Status").select_option("")
    mine.get_by_label("Tag").select_option("Question")
    expect(rows).to_have_count(5)
    mine.get_by_label("Status").select_option("pending")
    expect(mine.get_by_text("No tickets match these filters.")).to_be_visible()
    tab.assert_clean()


def test_a_double_click_raises_one_ticket(tab, api_as, unique):
    tab.open("support/new/").sign_in("alice@acme.example")
    form = tab.page.locator("[data-portal-widget=new-ticket]")
    form.get_by_label("Bug").check()
    form.get_by_label("Title").fill(f"Double click {unique}")
    form.get_by_label("Description").fill("Clicked twice.")
    form.get_by_role("button", name="Raise ticket").dblclick()
    expect(form.locator(".portal-note--success")).to_contain_text("is raised")
    tab.page.wait_for_timeout(500)
    status, found = api_as("alice@acme.example")("GET", f"/tickets?q=double+click+{unique}")
    assert status == 200 and len(found["items"]) == 1
    tab.assert_clean()
