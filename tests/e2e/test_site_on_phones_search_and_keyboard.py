"""The whole built site at a phone's width, the search for customers' own words, and the
glossary terms reached by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS, Tab

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def _pages(tab: Tab) -> list[str]:
    """Every page of the built site, as its address (the sitemap lists them all)."""
    sitemap = tab.context.request.get(tab.base_url + "sitemap.xml").text()
    return [re.sub(r"^https?://[^/]+/", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]


@pytest.fixture(params=[False, True], ids=["light", "dark"])
def phone(request, browser, local_stack):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, color_scheme="dark" if request.param else "light", is_mobile=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield Tab(context, local_stack.url)
    context.close()


def test_no_page_is_wider_than_a_phone(phone):
    pages = _pages(phone) + ["no-such-page/"]
    assert len(pages) > 30
    wide = []
    for path in pages:
        page = phone.open(path).page
        page.wait_for_load_state("load")
        expect(page.locator("[data-portal-widget]:not([data-portal-mounted])")).to_have_count(0)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            wide.append((path, width))
    assert wide == []


SEARCHES = [
    ("can't log in", "kb/cannot-sign-in/"),
    ("cant login", "kb/cannot-sign-in/"),
    ("licence", "user-guide/licenses/"),
    ("password", "kb/reset-a-forgotten-password/"),
]


@pytest.mark.parametrize("words, article", SEARCHES, ids=[w for w, _ in SEARCHES])
def test_the_site_search_finds_customers_words(tab, words, article):
    """Typed into Material's own search box, as a customer would: the article is first or second."""
    page = tab.open("").page
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(words)
    first = page.locator(".md-search-result__list > .md-search-result__item > a")
    # The list is final when it highlights every word typed (Material's ?h= of the best match).
    expect(first.first).to_have_attribute("href", re.compile(r"\?h="))
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching")

    def top_two() -> list[str]:
        hrefs = first.evaluate_all("links => links.slice(0, 2).map((a) => new URL(a.href).pathname)")
        return [h.lstrip("/") for h in hrefs]

    expect(first.first).to_be_visible()
    page.wait_for_function(
        "([words]) => document.querySelector('.md-search__input').value === words", arg=[words], timeout=TIMEOUT_MS
    )
    assert article in top_two(), top_two()


def test_operator_and_developer_pages_come_after_the_customers_sections(tab):
    page = tab.open("").page
    tabs = page.locator(".md-tabs__item > a").all_text_contents()
    names = [t.strip() for t in tabs]
    assert names[-1] == "Operators & developers", names
    assert names.index("Support") < names.index("Operators & developers")
    assert not {"Installation & deployment", "API reference", "Agent console"} & set(names)


def test_glossary_terms_are_reached_by_tab_and_show_their_meaning(tab):
    page = tab.open("kb/why-is-my-ticket-pending/").page
    expect(page.locator("article abbr[tabindex='0']").first).to_be_attached()
    term = page.locator("article abbr[tabindex='0']").first
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "ABBR":
            break
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == term.text_content()
    # Material's tooltip for the focused term, and a visible focus outline.
    expect(page.locator(".md-tooltip2--active, .md-tooltip--active")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
