"""axe-core finds no serious or critical violations on the widget pages, signed in and out."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

ALICE, AGENT = "alice@acme.example", "agent@vendor.example"
CASES = [
    ("support/", None, False),
    ("support/", ALICE, False),
    ("support/", ALICE, True),
    ("support/ticket/?n=1", ALICE, False),
    ("support/ticket/?n=1", ALICE, True),
    ("licenses/", None, False),
    ("licenses/", ALICE, False),
    ("agent/", None, False),
    ("agent/", ALICE, False),
    ("agent/?n=1", AGENT, False),
    ("agent/?n=1", AGENT, True),
    ("agent/reports/", ALICE, False),
    ("agent/reports/", AGENT, False),
    ("agent/reports/", AGENT, True),
]
_axe = Axe()


@pytest.mark.parametrize(
    "path,user,dark",
    CASES,
    ids=[f"{p}-{(u or 'signed-out').split('@')[0]}-{'dark' if d else 'light'}" for p, u, d in CASES],
)
def test_no_serious_or_critical_accessibility_violations(tabs, path, user, dark):
    tab = tabs(dark=dark).open(path)
    if user:
        tab.sign_in(user)
    page = tab.page
    page.wait_for_load_state("networkidle")
    expect(page.locator(".portal-busy, [aria-busy=true]")).to_have_count(0)
    violations = [v for v in _axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    report = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in violations]
    assert not report, "\n".join(map(str, report))


# Focused and hovered buttons, outlined and primary, in both schemes: axe checks the colours the
# reader sees at that moment (its color-contrast rule reads the computed, hovered style).
STATES = [(dark, state) for dark in (False, True) for state in ("focus", "hover")]


@pytest.mark.parametrize("dark,state", STATES, ids=[f"{'dark' if d else 'light'}-{s}" for d, s in STATES])
def test_focused_and_hovered_buttons_keep_their_contrast(tabs, dark, state):
    tab = tabs(dark=dark).open("support/new/")  # the new-ticket form: its primary button
    tab.sign_in(ALICE)
    page = tab.page
    page.wait_for_load_state("networkidle")
    expect(page.locator(".portal-busy, [aria-busy=true]")).to_have_count(0)
    for name in ("Sign out", "Raise ticket"):  # outlined, then primary
        button = page.get_by_role("button", name=name, exact=True).first
        button.scroll_into_view_if_needed()
        if state == "focus":
            button.focus()
        else:
            button.hover()
        # The hover/focus indigo, not the accent (once Material's colour transition has run).
        expect(button).to_have_css("background-color", "rgb(48, 63, 159)")
        result = _axe.run(page, options={"runOnly": ["color-contrast"]}).response
        report = [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]
        assert not report, report
    # A link in the text, hovered: its colour holds 4.5:1 too (on the Support page, where the first
    # one is in view: scrolling fades Material's tabs out, and axe would weigh them mid-fade).
    tab.open("support/")
    page.wait_for_load_state("networkidle")
    link = page.locator("article p a:not(.md-button)").first
    link.hover()
    expect(link).to_have_css("color", "rgb(159, 168, 218)" if dark else "rgb(48, 63, 159)")
    result = _axe.run(page, options={"runOnly": ["color-contrast"]}).response
    assert not [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]


PHONE_PAGES = ["support/", "licenses/", "support/ticket/?n=1"]


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_on_a_phone_every_widget_control_is_a_44_px_target(browser, local_stack, path):
    from tests.e2e.conftest import TIMEOUT_MS, Tab

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        tab = Tab(context, local_stack.url).open(path)
        tab.sign_in(ALICE)
        page = tab.page
        page.wait_for_load_state("networkidle")
        expect(page.locator(".portal-busy, [aria-busy=true]")).to_have_count(0)
        small = page.locator(
            ".portal .md-button, .portal button, .portal select, .portal input:not([type=checkbox]):not([type=file]),"
            " .portal .portal-check, .portal-ticket-head a, header .portal-user__button"
        ).evaluate_all(
            """els => els.filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
                .map((e) => [e.outerHTML.slice(0, 80), Math.round(e.getBoundingClientRect().height)])
                .filter(([, height]) => height < 44)"""
        )
        assert small == []
    finally:
        context.close()
