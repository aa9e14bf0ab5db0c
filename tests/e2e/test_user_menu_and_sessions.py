"""The header's user menu (every page, signed out and in, keyboard and phone) and the session
shared by a browser's tabs: a link opened in a new tab is signed in, signing out in one tab signs
out all of them, and only "Keep me signed in on this device" outlives closing them."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, TIMEOUT_MS, Tab

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

ALICE, AGENT = "alice@acme.example", "agent@vendor.example"
KEY = "portal.session"


def _menu_button(page):
    return page.locator("header .portal-user__button")


def _sign_in(page, email: str, keep: bool = False) -> None:
    widget = page.locator("[data-portal-widget=sign-in]")
    widget.get_by_label("E-mail address").fill(email)
    widget.get_by_label("Password").fill(PASSWORD)
    if keep:
        widget.get_by_label("Keep me signed in on this device").check()
    widget.get_by_role("button", name="Sign in").click()
    expect(widget).to_contain_text(f"Signed in as {email}")


def _new_tab(tab: Tab, path: str):
    page = tab.context.new_page()
    page.goto(tab.base_url + path)
    return page


def _signed_out(page) -> None:
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_be_visible()
    expect(_menu_button(page)).to_be_hidden()


@pytest.mark.parametrize("path", ["", "kb/", "user-guide/signing-in/", "glossary/", "api-reference/"])
def test_every_page_offers_sign_in_at_the_top_right_when_signed_out(tab, path):
    page = tab.open(path).page
    expect(page.locator("[data-portal-widget=user-menu][data-portal-mounted]")).to_have_count(1)
    link = page.locator("header").get_by_role("link", name="Sign in")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] > 1280 / 2 and box["height"] >= 44 and box["width"] >= 44
    tab.assert_clean()


def test_sign_in_in_the_header_leads_to_a_sign_in_form(tab):
    page = tab.open("kb/").page
    page.locator("header").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(tab.base_url + "support/")
    expect(page.locator("[data-portal-widget=sign-in]").get_by_label("E-mail address")).to_be_visible()
    # The header outlives instant navigation: its links are absolute, right from any page.
    hrefs = page.locator("header .portal-user a").evaluate_all("links => links.map((a) => a.getAttribute('href'))")
    assert set(hrefs) == {tab.base_url + p for p in ("support/", "support/new/", "licenses/", "agent/")}


def test_signed_in_the_menu_names_the_user_and_leads_to_support(tab):
    page = tab.open("support/").page
    _sign_in(page, ALICE)
    page.goto(tab.base_url + "kb/")
    button = _menu_button(page)
    expect(button).to_contain_text(ALICE)
    expect(button).to_have_attribute("aria-expanded", "false")
    menu = page.locator("#" + button.get_attribute("aria-controls"))
    expect(menu).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.locator("li:not([hidden]) > *")).to_have_text(["Support", "New ticket", "Licenses", "Sign out"])
    hrefs = menu.locator("li:not([hidden]) > a").evaluate_all("links => links.map((a) => a.getAttribute('href'))")
    assert hrefs == [tab.base_url + p for p in ("support/", "support/new/", "licenses/")]
    # Support leads to the tickets, by instant navigation: the header (and the menu) stay.
    menu.get_by_role("link", name="Support").click()
    expect(page).to_have_url(tab.base_url + "support/")
    expect(page.locator("[data-portal-widget=my-tickets] .portal-filters")).to_be_visible()
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    tab.assert_clean()


def test_the_menu_works_by_keyboard_and_escape_returns_the_focus(tab):
    page = tab.open("support/").page
    _sign_in(page, ALICE)
    button = _menu_button(page)
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    menu = page.locator("#" + button.get_attribute("aria-controls"))
    expect(menu.get_by_role("link", name="Support")).to_be_focused()
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="New ticket")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    # A click elsewhere closes it too.
    button.click()
    expect(menu).to_be_visible()
    page.locator("article h1").click()
    expect(menu).to_be_hidden()


def test_staff_see_the_agent_console_in_the_menu(tab):
    page = tab.open("agent/").page
    _sign_in(page, AGENT)
    _menu_button(page).click()
    menu = page.locator(".portal-user__menu")
    items = ["Support", "New ticket", "Licenses", "Agent console", "Sign out"]
    expect(menu.locator("li:not([hidden]) > *")).to_have_text(items)
    menu.get_by_role("link", name="Agent console").click()
    expect(page).to_have_url(tab.base_url + "agent/")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_on_a_phone_the_menu_fits_and_its_targets_are_44_px(browser, local_stack, dark):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark" if dark else "light")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        tab = Tab(context, local_stack.url)
        page = tab.open("support/").page
        _sign_in(page, ALICE)
        button = _menu_button(page)
        button.click()
        items = page.locator(".portal-user__menu li:not([hidden]) > *")
        expect(items).to_have_count(4)
        for box in [button.bounding_box()] + [items.nth(i).bounding_box() for i in range(4)]:
            assert box["height"] >= 44 and box["width"] >= 44, box
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        # The e-mail address is still the button's name for screen readers.
        expect(page.get_by_role("button", name=ALICE)).to_be_visible()
    finally:
        context.close()


def test_signing_out_from_the_menu_signs_out_the_page(tab):
    page = tab.open("licenses/").page
    _sign_in(page, ALICE)
    _menu_button(page).click()
    page.locator(".portal-user__menu").get_by_role("button", name="Sign out").click()
    _signed_out(page)
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_be_focused()
    expect(page.locator("[data-portal-widget=sign-in]").get_by_label("E-mail address")).to_be_visible()


# --- sessions across tabs ----------------------------------------------------------------------
def test_a_link_opened_in_a_new_tab_is_signed_in_and_signing_out_there_signs_out_both(tab, api_as, unique):
    body = {"title": f"New tab {unique}", "description": "d", "tags": ["Bug"]}
    status, ticket = api_as(ALICE)("POST", "/tickets", body)
    assert status == 201
    first = tab.open("support/").page
    _sign_in(first, ALICE)
    # As the link of a notification mail: straight to the ticket, in a tab of its own.
    second = _new_tab(tab, f"support/ticket/?n={ticket['number']}")
    expect(second.locator("[data-portal-widget=ticket-detail]")).to_contain_text(f"New tab {unique}")
    expect(_menu_button(second)).to_contain_text(ALICE)
    assert second.evaluate(f"localStorage.getItem('{KEY}')") is None  # not kept on the device

    _menu_button(second).click()
    second.locator(".portal-user__menu").get_by_role("button", name="Sign out").click()
    _signed_out(second)
    _signed_out(first)
    expect(first.locator("[data-portal-widget=sign-in]").get_by_label("E-mail address")).to_be_visible()
    assert first.evaluate(f"sessionStorage.getItem('{KEY}')") is None


def test_signing_in_in_one_tab_signs_in_the_tabs_already_open(tab):
    first = tab.open("licenses/").page
    second = _new_tab(tab, "kb/")
    _signed_out(second)
    _sign_in(first, ALICE)
    expect(_menu_button(second)).to_contain_text(ALICE)


def test_without_keep_closing_every_tab_signs_out(tab):
    first = tab.open("support/").page
    _sign_in(first, ALICE)
    first.close()
    page = _new_tab(tab, "support/")
    expect(page.locator("[data-portal-widget=sign-in]").get_by_label("E-mail address")).to_be_visible()
    _signed_out(page)
    assert page.evaluate(f"[sessionStorage.getItem('{KEY}'), localStorage.getItem('{KEY}')]") == [None, None]


def test_keep_me_signed_in_outlives_closing_every_tab_until_sign_out(tab, browser, local_stack):
    first = tab.open("support/").page
    _sign_in(first, ALICE, keep=True)
    state = tab.context.storage_state()
    first.close()
    again = _new_tab(tab, "licenses/")
    expect(_menu_button(again)).to_contain_text(ALICE)
    expect(again.locator("[data-portal-widget=my-licenses]")).not_to_contain_text("Sign in")

    # A browser started again (a fresh context with the device's stored data) is signed in too.
    restarted = browser.new_context(storage_state=state, viewport={"width": 1280, "height": 900})
    restarted.set_default_timeout(TIMEOUT_MS)
    try:
        page = Tab(restarted, local_stack.url).open("kb/").page
        expect(_menu_button(page)).to_contain_text(ALICE)
        _menu_button(page).click()
        page.locator(".portal-user__menu").get_by_role("button", name="Sign out").click()
        _signed_out(page)
        assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
    finally:
        restarted.close()
    # Signing out on the device removes what was kept; the next sign-in is kept only if ticked again.
    _menu_button(again).click()
    again.locator(".portal-user__menu").get_by_role("button", name="Sign out").click()
    _signed_out(again)
    assert again.evaluate(f"localStorage.getItem('{KEY}')") is None
    again.reload()
    keep = again.locator("[data-portal-widget=sign-in]").get_by_label("Keep me signed in on this device")
    expect(keep).not_to_be_checked()
