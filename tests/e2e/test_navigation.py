"""Instant navigation, deep links, and Material itself under the production CSP."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


# The widgets this suite covers (the license widgets come from their own file).
UNMOUNTED = ", ".join(
    f"[data-portal-widget={name}]:not([data-portal-mounted])"
    for name in ("sign-in", "new-ticket", "my-tickets", "ticket-detail", "agent-console")
)


def _tab_link(page, name):
    return page.locator(".md-tabs").get_by_role("link", name=name, exact=True)


def test_instant_navigation_keeps_every_widget_working_without_duplicate_mounts(tab, api_as, unique):
    page = tab.open("support/").sign_in("alice@acme.example").page
    page.wait_for_load_state("networkidle")  # instant navigation starts once Material has the sitemap
    page.evaluate("window.__sameDocument = true")  # a full page load would forget it
    loads = []
    page.on("load", lambda: loads.append(page.url))  # full page loads, named if the check fails

    for name, path in [
        ("Operators & developers", "agent/"),
        ("Support", "support/"),
        ("Licenses", "licenses/"),
        ("Support", "support/"),
    ]:
        _tab_link(page, name).click()
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.locator(UNMOUNTED)).to_have_count(0)
    page.go_back()
    expect(page).to_have_url(re.compile("licenses/$"))
    page.go_forward()
    expect(page).to_have_url(re.compile("support/$"))
    expect(page.locator("[data-portal-widget=my-tickets] .portal-ticket").first).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, loads

    # One of each widget, and each works once: one submit raises exactly one ticket, on the
    # new-ticket page reached by instant navigation too (its bundle holds the ticket files the
    # list's bundle ran already: they run once).
    for selector in (".portal-signed-in", ".portal-filters"):
        expect(page.locator(selector)).to_have_count(1)
    page.locator("article a.md-button--primary", has_text="Raise a ticket").click()
    expect(page).to_have_url(re.compile("support/new/$"))
    for selector in (".portal-signed-in", "form[data-action=create]"):
        expect(page.locator(selector)).to_have_count(1)
    form = page.locator("[data-portal-widget=new-ticket]")
    form.get_by_label("Help Wanted").check()
    form.get_by_label("Title").fill(f"Navigated ticket {unique}")
    form.get_by_label("Description").fill("Raised after navigating around the site.")
    form.get_by_role("button", name="Raise ticket").click()
    expect(form.locator(".portal-note--success")).to_contain_text("is raised")
    _tab_link(page, "Support").click()
    expect(page).to_have_url(re.compile("support/$"))
    listed = page.locator("[data-portal-widget=my-tickets]")
    listed.get_by_label("Search").fill(f"navigated ticket {unique}")
    expect(listed.locator(".portal-ticket")).to_have_count(1)
    status, found = api_as("alice@acme.example")("GET", f"/tickets?q={unique}")
    assert status == 200 and len(found["items"]) == 1
    assert page.evaluate("window.__sameDocument") is True, loads

    # The agent page, reached by instant navigation, tells a customer it is not theirs.
    _tab_link(page, "Operators & developers").click()
    expect(page.locator("[data-portal-widget=agent-console]")).to_contain_text("for the support team")
    tab.assert_clean()


def _widget_scripts(page) -> list[str]:
    """The portal bundles a tab requested, in order (a list: a repeat would show)."""
    requested: list[str] = []

    def seen(request) -> None:
        if "/assets/portal/" in request.url and request.url.endswith(".js"):
            requested.append(request.url.rsplit("/", 1)[1])

    page.on("request", seen)
    return requested


def _until_requested(page, requested: list[str], count: int) -> None:
    """Wait, with a generous deadline, until the tab asked for ``count`` bundles (Playwright
    delivers its request events while it waits); a busy machine may take seconds."""
    for _ in range(200):
        if len(requested) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"only {requested} requested, waiting for {count}")


def test_each_page_loads_only_its_widgets_bundles_also_after_instant_navigation(tab):
    page = tab.page
    requested = _widget_scripts(page)
    tab.open("")  # a page without widgets: the core alone (sign-in and session upkeep)
    page.wait_for_load_state("networkidle")
    assert requested == ["widgets.js"]

    # Instant navigation keeps the document: the core loads each page's bundle the first time a
    # page needs it, and only then.
    for name, path, loaded in [
        ("Support", "support/", ["widgets-support-list.js"]),
        # The licenses page is help for customers too: it ends with the feedback widget.
        ("Licenses", "licenses/", ["widgets-licenses.js", "widgets-feedback.js"]),
        ("Operators & developers", "agent/", ["widgets-agent.js"]),
        ("Support", "support/", []),
    ]:
        before = len(requested)
        _tab_link(page, name).click()
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.locator("[data-portal-widget]:not([data-portal-mounted])")).to_have_count(0)
        _until_requested(page, requested, before + len(loaded))
        page.wait_for_load_state("networkidle")
        assert requested[before:] == loaded, (path, requested)
    expect(page.locator("[data-portal-widget=my-tickets]")).to_contain_text("Sign in above")

    # A full load of the agent console: the core, and (deferred, in its head) its one bundle,
    # which holds the ticket family it is built from.
    requested.clear()
    tab.open("agent/")
    expect(page.locator("[data-portal-widget=agent-console]")).to_contain_text("Sign in above")
    _until_requested(page, requested, 2)
    page.wait_for_load_state("networkidle")
    assert sorted(requested) == ["widgets-agent.js", "widgets.js"], requested
    tab.assert_clean()
    assert tab.console_errors == [], tab.console_errors


def test_a_family_bundle_that_cannot_be_loaded_is_said_in_its_widgets(tab):
    tab.page.route("**/assets/portal/widgets-licenses.js", lambda route: route.abort())
    tab.open("licenses/")
    lookup = tab.page.locator("[data-portal-widget=license-lookup]")
    expect(lookup.get_by_role("alert")).to_contain_text("could not be loaded")
    # The core's own widget is unaffected.
    expect(tab.page.locator("[data-portal-widget=sign-in]").get_by_label("E-mail address")).to_be_visible()


def test_deep_link_opens_the_ticket_after_sign_in(tab, api_as, unique):
    status, ticket = api_as("alice@acme.example")(
        "POST",
        "/tickets",
        {"title": f"Deep-linked ticket {unique}", "description": "Opened from a mail.", "tags": ["Question"]},
    )
    assert status == 201
    number = ticket["number"]
    tab.open(f"support/ticket/?n={number}")
    detail = tab.page.locator("[data-portal-widget=ticket-detail]")
    expect(detail).to_contain_text(f"Sign in above to open ticket #{number}")
    tab.sign_in("bob@acme.example")
    expect(detail.get_by_role("heading", level=2)).to_have_text(f"#{number} Deep-linked ticket {unique}")
    tab.assert_clean()


def test_deep_link_to_another_organisations_ticket_is_not_found(tab, api_as, unique):
    status, ticket = api_as("alice@acme.example")(
        "POST", "/tickets", {"title": f"Acme only {unique}", "description": "Not for Globex.", "tags": ["Question"]}
    )
    tab.open(f"support/ticket/?n={ticket['number']}").sign_in("carol@globex.example")
    detail = tab.page.locator("[data-portal-widget=ticket-detail]")
    expect(detail.get_by_role("alert")).to_contain_text("does not exist")
    expect(detail).not_to_contain_text(f"Acme only {unique}")


def test_agent_console_deep_link_opens_the_ticket(tab):
    tab.open("agent/?n=1").sign_in("agent@vendor.example")
    work = tab.page.locator(".portal-agent-detail")
    expect(work.get_by_role("heading", level=2)).to_contain_text("#1")
    expect(work.get_by_label("Set priority")).to_be_visible()


def test_support_inbox_links_open_the_ticket_with_the_agents_tools(tab):
    tab.open("support/ticket/?n=1").sign_in("agent@vendor.example")
    detail = tab.page.locator("[data-portal-widget=ticket-detail]")
    expect(detail.get_by_role("heading", level=2)).to_contain_text("#1")
    expect(detail.get_by_label("Set status")).to_be_visible()
    expect(detail.get_by_role("checkbox", name="Internal note")).to_be_visible()


def test_material_palette_search_and_navigation_work_under_the_csp(tab):
    page = tab.open("").page
    body = page.locator("body")
    # The toggle cycles system -> light -> dark.
    for _ in range(3):
        if body.get_attribute("data-md-color-scheme") == "slate":
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("proxy")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    tab.assert_clean()


def test_every_section_of_the_site_is_served_as_a_page_not_shadowed_by_the_api(tab):
    page = tab.open("").page
    links = page.locator(".md-tabs a, .md-nav--primary a[href]").evaluate_all(
        "links => [...new Set(links.map(a => a.href.split('#')[0]))]"
    )
    assert len(links) > 20
    for link in links:
        answer = page.request.get(link)
        assert answer.status == 200 and answer.headers["content-type"].startswith("text/html"), link
