"""The 404 page: answered with status 404 for any unknown address, with the site search (a form
whose ?q= Material's search opens with, on the home page) and links to the main sections."""

import urllib.request
from urllib.error import HTTPError

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


@pytest.mark.parametrize("path", ["no-such-page/", "kb/no-such-article/", "support/ticket/x/y/z.html"])
def test_unknown_addresses_answer_404_with_the_page(local_stack, path):
    with pytest.raises(HTTPError) as answer:
        urllib.request.urlopen(local_stack.url + path)
    assert answer.value.code == 404
    html = answer.value.read().decode()
    assert "This page does not exist" in html and 'role="search"' in html


def test_the_404_page_offers_search_and_the_main_sections(tab):
    response = tab.page.goto(tab.base_url + "kb/gone/deeper/")
    assert response.status == 404
    page = tab.page
    expect(page.get_by_role("heading", name="This page does not exist")).to_be_visible()
    links = page.locator(".portal-notfound-links a")
    expect(links).to_have_text(["Support", "Knowledge base", "Licenses", "User guide", "Home"])
    links.get_by_text("Knowledge base").click()
    expect(page).to_have_url(tab.base_url + "kb/")

    page.goto(tab.base_url + "kb/gone/deeper/")
    search = page.get_by_role("search", name="Search the site")
    search.get_by_label("Search the site").fill("reset password")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(tab.base_url + "?q=reset+password")
    expect(page.locator("input.md-search__input")).to_have_value("reset password")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result")).to_contain_text("Reset a forgotten password")
    tab.assert_clean()
