""" "Was this page helpful?" and "Still need help?" on the help pages, as a reader meets them:
the rating is recorded once, the comment joins it, the ticket link names the page, operator
pages have neither, and axe finds nothing serious in light or dark."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

ADMIN = "admin@vendor.example"
ARTICLE = "/kb/why-is-my-ticket-pending/"
HELPFUL, NOT_HELPFUL = "This page was helpful", "This page could be improved"
_axe = Axe()


def tally(api_as, page: str) -> tuple[int, int]:
    """The page's (helpful, not helpful) counts in the admins' report, paging to find it."""
    admin, cursor = api_as(ADMIN), ""
    while True:
        status, body = admin("GET", "/reports/feedback?limit=100" + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200, body
        for row in body["items"]:
            if row["page"] == page:
                return row["helpful"], row["not_helpful"]
        if not body["next_cursor"]:
            return 0, 0
        cursor = body["next_cursor"]


def rate(tab, name: str):
    tab.page.locator("form.md-feedback").get_by_role("button", name=name).click()


def test_a_rating_on_an_article_is_recorded_once_and_the_comment_joins_it(tab, api_as, unique):
    before = tally(api_as, ARTICLE)
    tab.open(ARTICLE)
    rate(tab, HELPFUL)
    comment = tab.page.get_by_label("Anything we could do better? (optional)")
    expect(comment).to_be_visible()
    expect(tab.page.get_by_text("Thanks for your feedback!", exact=True)).to_be_visible()
    # A second click cannot happen: the ratings are disabled once one is chosen.
    for name in (HELPFUL, NOT_HELPFUL):
        expect(tab.page.locator("form.md-feedback").get_by_role("button", name=name)).to_be_disabled()
    assert tally(api_as, ARTICLE) == (before[0] + 1, before[1])
    # The comment is sent as the same submission: it is kept, and nothing is counted again.
    comment.fill(f"Say what pending means first ({unique}).")
    tab.page.get_by_role("button", name="Send comment").click()
    expect(tab.page.get_by_text("Thank you: your comment reached the team.")).to_be_visible()
    assert tally(api_as, ARTICLE) == (before[0] + 1, before[1])
    status, comments = api_as(ADMIN)("GET", "/reports/feedback/comments?limit=20")
    mine = [c for c in comments["items"] if unique in c["comment"]]
    assert [(c["page"], c["helpful"]) for c in mine] == [(ARTICLE, True)]
    tab.assert_clean()


def test_past_the_limit_a_reader_is_told_in_plain_words_and_may_rate_again_later(tab, local_stack, api_as):
    """The stack's real limit (FEEDBACK_LIMIT_PER_PAGE, 10 an hour per address and page): the
    test's own requests come from the browser's address, 127.0.0.1, and spend it first."""
    from chalicelib.feedback.limits import HOUR, PER_PAGE

    page = "/user-guide/notifications/"  # rated by no other test
    # The limit's window is the clock hour: start well inside one, so all of this counts in it.
    left = HOUR - time.time() % HOUR
    if left < 120:
        time.sleep(left + 1)
    before = tally(api_as, page)
    for _ in range(PER_PAGE - 1):
        status, _ = local_stack.request("POST", "api/feedback", None, {"page": page, "helpful": True})
        assert status == 201
    tab.open(page)
    rate(tab, HELPFUL)
    expect(tab.page.get_by_label("Anything we could do better? (optional)")).to_be_visible()
    tab.open(page)  # a new page view: a new submission, one too many
    rate(tab, NOT_HELPFUL)
    refusal = tab.page.get_by_role("alert")
    expect(refusal).to_contain_text("we have had a lot of feedback from your network just now")
    expect(refusal).to_contain_text("please try again in")
    # Nothing was counted, and the ratings can be chosen again.
    expect(tab.page.locator("form.md-feedback").get_by_role("button", name=NOT_HELPFUL)).to_be_enabled()
    assert tally(api_as, page) == (before[0] + PER_PAGE, before[1])
    tab.assert_clean()


def test_an_empty_comment_is_explained_and_not_sent(tab):
    tab.open("/glossary/")
    rate(tab, NOT_HELPFUL)
    tab.page.get_by_role("button", name="Send comment").click()
    expect(tab.page.get_by_text("Write a few words first, or just carry on reading.")).to_be_visible()
    expect(tab.page.get_by_label("What were you looking for? (optional)")).to_have_attribute("aria-invalid", "true")


def test_still_need_help_opens_the_new_ticket_form_naming_the_page(tab):
    tab.open(ARTICLE)
    title = tab.page.locator("article h1").inner_text().replace("¶", "").strip()
    link = tab.page.locator(".portal-help").get_by_role("link", name="Raise a ticket")
    expect(tab.page.get_by_role("heading", name="Still need help?")).to_be_visible()
    href = urlsplit(link.evaluate("a => a.href"))
    assert href.path == "/support/new/"
    assert parse_qs(href.query) == {"page": [ARTICLE], "title": [title]}


def test_the_widget_follows_instant_navigation_to_the_next_article(tab):
    tab.open(ARTICLE)
    expect(tab.page.locator("form.md-feedback")).to_be_visible()
    tab.page.locator(".md-sidebar--primary").get_by_role("link", name="Reset a forgotten password").click()
    expect(tab.page).to_have_url(tab.base_url + "kb/reset-a-forgotten-password/")
    expect(tab.page.locator("form.md-feedback")).to_be_visible()
    link = tab.page.locator(".portal-help").get_by_role("link", name="Raise a ticket")
    expect(link).to_have_attribute("href", re.compile(r"/support/new/\?page=/kb/reset-a-forgotten-password/&"))
    href = urlsplit(link.evaluate("a => a.href"))
    assert parse_qs(href.query) == {
        "page": ["/kb/reset-a-forgotten-password/"],
        "title": ["Reset a forgotten password"],
    }
    tab.assert_clean()


def test_arriving_from_a_page_without_it_loads_the_widget_on_demand(tab):
    tab.open("install/aws/")
    expect(tab.page.locator(".md-feedback")).to_have_count(0)
    tab.page.locator(".md-tabs").get_by_role("link", name="Knowledge base").click()
    expect(tab.page).to_have_url(tab.base_url + "kb/")
    expect(tab.page.locator("form.md-feedback")).to_be_visible()
    expect(tab.page.locator("[data-portal-widget=feedback]")).to_have_attribute("data-portal-mounted", "true")
    tab.assert_clean()


@pytest.mark.parametrize("path", ["install/aws/", "api-reference/", "agent/", "support/", "kb/tags/", ""])
def test_operator_developer_and_form_pages_have_neither(tab, path):
    tab.open(path)
    tab.page.wait_for_load_state("networkidle")
    expect(tab.page.locator(".md-feedback")).to_have_count(0)
    expect(tab.page.locator(".portal-help")).to_have_count(0)


def serious(page) -> list:
    """axe's serious and critical findings in the widget and "Still need help?", once the colour
    transitions of what was focused or hovered before have run (axe would weigh a mid-fade colour)."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    found = _axe.run(page, context={"include": [[".md-feedback"], [".portal-feedback"]]}).response["violations"]
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:5])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_widget_has_no_serious_accessibility_violations_focused_or_hovered(tabs, dark):
    tab = tabs(dark=dark).open("/kb/find-your-license-key/")
    page = tab.page
    expect(page.locator("form.md-feedback")).to_be_visible()
    found = {}
    page.locator("form.md-feedback").get_by_role("button", name=HELPFUL).focus()
    found["rating focused"] = serious(page)
    rate(tab, NOT_HELPFUL)
    send = page.get_by_role("button", name="Send comment")
    ticket = page.locator(".portal-help").get_by_role("link", name="Raise a ticket")
    for name, target in (("send", send), ("ticket", ticket)):
        target.focus()
        found[f"{name} focused"] = serious(page)
        target.hover()
        found[f"{name} hovered"] = serious(page)
        page.mouse.move(0, 0)
    assert found == dict.fromkeys(found, []), found
