"""The agent console as a two-pane workspace: keyboard, views and counts, the address, the
organisation picker, macros, the customer panel, plain errors, the phone and axe."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

AGENT, ALICE, CAROL, ADMIN = (
    "agent@vendor.example",
    "alice@acme.example",
    "carol@globex.example",
    "admin@vendor.example",
)


def raise_ticket(api_as, title: str, user: str = ALICE) -> dict:
    status, ticket = api_as(user)(
        "POST", "/tickets", {"title": title, "description": "The console's test ticket.", "tags": ["Bug"]}
    )
    assert status == 201, ticket
    return ticket


def console(tab):
    return tab.page.locator("[data-portal-widget=agent-console]")


def rows(tab):
    return console(tab).locator(".portal-agent-rows > li")


def test_the_agent_works_a_ticket_by_keyboard_alone_and_the_counts_move(tab, api_as, unique):
    ticket = raise_ticket(api_as, f"Keyboard only {unique}")
    before = api_as(AGENT)("GET", "/tickets/counts")[1]
    page = tab.open(f"agent/?view=unassigned&search={unique}").sign_in(AGENT).page
    views = console(tab).locator(".portal-agent-views")
    expect(views.get_by_role("button", name=re.compile("^Mine"))).to_contain_text(str(before["mine"]))
    expect(rows(tab)).to_have_count(1)

    page.keyboard.press("j")
    expect(rows(tab).get_by_role("link")).to_be_focused()
    expect(console(tab).locator("[aria-live=assertive]")).to_contain_text(f"1 of 1: ticket {ticket['number']}")
    page.keyboard.press("Enter")
    work = console(tab).locator(".portal-agent-detail")
    expect(work.get_by_role("heading", level=2)).to_contain_text(f"Keyboard only {unique}")
    expect(page).to_have_url(re.compile(rf"[?&]n={ticket['number']}\b"))

    page.keyboard.press("r")
    body = work.get_by_label("Response or internal note")
    expect(body).to_be_focused()
    page.keyboard.type("We can reproduce it; a fix is on its way.")
    page.keyboard.press("Control+Enter")
    expect(work.locator(".portal-note--success")).to_have_text("Response added.")

    page.keyboard.press("Escape")
    expect(rows(tab).get_by_role("link")).to_be_focused()
    page.keyboard.press("a")
    expect(work.locator(".portal-agent-assignee")).to_contain_text(f"Assignee: {AGENT}")
    expect(views.get_by_role("button", name=re.compile("^Mine"))).to_contain_text(str(before["mine"] + 1))

    status, now = api_as(AGENT)("GET", f"/tickets/{ticket['number']}")
    assert status == 200
    assert now["assignee"] == AGENT
    assert [m["body"] for m in now["messages"]] == ["We can reproduce it; a fix is on its way."]
    assert now["status"] == "pending"
    tab.assert_clean()


def test_the_single_letter_keys_can_be_switched_off(tab, api_as, unique):
    raise_ticket(api_as, f"Keys off {unique}")
    page = tab.open(f"agent/?search={unique}").sign_in(AGENT).page
    expect(rows(tab)).to_have_count(1)
    console(tab).get_by_role("checkbox", name=re.compile("^Keys")).uncheck()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    expect(rows(tab).get_by_role("link")).not_to_be_focused()
    page.reload()
    expect(rows(tab)).to_have_count(1)  # the queue is back before a key is pressed
    expect(console(tab).get_by_role("checkbox", name=re.compile("^Keys"))).not_to_be_checked()
    console(tab).get_by_role("checkbox", name=re.compile("^Keys")).check()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    expect(rows(tab).get_by_role("link")).to_be_focused()
    tab.assert_clean()


def test_back_restores_the_view_and_filters_and_reload_keeps_the_open_ticket(tab, api_as, unique):
    ticket = raise_ticket(api_as, f"Back and reload {unique}")
    page = tab.open(f"agent/?search={unique}").sign_in(AGENT).page
    box = console(tab)
    box.locator(".portal-agent-views").get_by_role("button", name=re.compile("^Unassigned")).click()
    box.get_by_label("Status", exact=True).select_option("open")
    expect(page).to_have_url(re.compile(r"view=unassigned.*status=open|status=open.*view=unassigned"))
    expect(rows(tab)).to_have_count(1)
    rows(tab).get_by_role("link").click()
    work = box.locator(".portal-agent-detail")
    expect(work.get_by_role("heading", level=2)).to_contain_text(f"Back and reload {unique}")

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"[?&]n="))
    expect(box.get_by_label("Status", exact=True)).to_have_value("open")
    expect(box.get_by_role("button", name=re.compile("^Unassigned"))).to_have_attribute("aria-pressed", "true")
    expect(work.get_by_role("heading", level=2)).to_have_count(0)
    page.go_forward()
    expect(work.get_by_role("heading", level=2)).to_contain_text(f"#{ticket['number']}")

    page.reload()
    expect(work.get_by_role("heading", level=2)).to_contain_text(f"Back and reload {unique}")
    expect(box.get_by_label("Status", exact=True)).to_have_value("open")
    expect(box.get_by_label("Search")).to_have_value(unique)
    expect(rows(tab)).to_have_count(1)
    tab.assert_clean()


def test_the_organisation_picker_filters_by_name_and_the_customer_panel_shows_the_org(tab, api_as, unique):
    acme = raise_ticket(api_as, f"Picker acme {unique}")
    other = raise_ticket(api_as, f"Picker acme too {unique}")
    globex = raise_ticket(api_as, f"Picker globex {unique}", CAROL)
    tab.open(f"agent/?search={unique}").sign_in(AGENT)
    box = console(tab)
    expect(rows(tab)).to_have_count(3)
    box.get_by_label("Organisation").select_option(label="Globex")
    expect(rows(tab)).to_have_count(1)
    expect(rows(tab)).to_contain_text(f"#{globex['number']}")
    expect(tab.page).to_have_url(re.compile(r"org=globex"))

    box.get_by_label("Organisation").select_option(label="Acme Corp")
    expect(rows(tab)).to_have_count(2)
    rows(tab).filter(has_text=f"#{acme['number']} ").get_by_role("link").click()
    panel = box.locator(".portal-agent-customer")
    expect(panel.get_by_role("heading", level=3)).to_have_text("Customer: Acme Corp")
    expect(panel).to_contain_text("Licenses")
    expect(panel.locator(".portal-lic").first).to_be_visible()
    panel.get_by_role("link", name=f"#{other['number']} Picker acme too {unique}").click()
    expect(box.locator(".portal-agent-detail h2")).to_contain_text(f"Picker acme too {unique}")
    tab.assert_clean()


def test_a_macro_inserts_its_text_with_the_placeholders_filled_and_sets_its_status(tab, api_as, unique):
    ticket = raise_ticket(api_as, f"Macro {unique}")
    status, macro = api_as(ADMIN)(
        "POST",
        "/macros",
        {
            "title": f"Solved {unique}",
            "body": "Hello {{requester.email}}, #{{ticket.number}} is solved.",
            "status": "closed",
        },
    )
    assert status == 201, macro
    tab.open(f"agent/?n={ticket['number']}").sign_in(AGENT)
    work = console(tab).locator(".portal-agent-detail")
    work.get_by_label("Macro", exact=True).select_option(label=f"Solved {unique} (sets closed)")
    work.get_by_role("button", name="Insert macro").click()
    body = work.get_by_label("Response or internal note")
    expect(body).to_have_value(f"Hello {ALICE}, #{ticket['number']} is solved.")
    expect(body).to_be_focused()
    expect(work.locator(".portal-agent-armed")).to_contain_text("also sets the status to closed")
    work.get_by_role("button", name="Add Response").click()
    expect(work.locator(".portal-meta .portal-badge")).to_have_text("closed")
    status, now = api_as(AGENT)("GET", f"/tickets/{ticket['number']}")
    assert (now["status"], now["messages"][-1]["body"]) == ("closed", f"Hello {ALICE}, #{ticket['number']} is solved.")
    tab.assert_clean()


def test_an_unknown_organisation_in_the_address_is_said_plainly(tab):
    tab.open("agent/?org=Not_An_Org").sign_in(AGENT)
    alert = console(tab).locator(".portal-results .portal-note--error")
    expect(alert).to_have_text("That organisation is not known: pick one from the list.")
    expect(console(tab)).not_to_contain_text("query.org")


def test_one_column_on_a_phone_without_horizontal_scroll_and_with_large_tap_targets(tabs, api_as, unique):
    ticket = raise_ticket(api_as, f"Phone {unique}")
    tab = tabs(dark=True)
    tab.page.set_viewport_size({"width": 390, "height": 844})
    page = tab.open(f"agent/?search={unique}").sign_in(AGENT).page
    expect(rows(tab)).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    link = rows(tab).get_by_role("link")
    assert link.bounding_box()["height"] >= 44
    for view in console(tab).locator(".portal-agent-views button").all():
        assert view.bounding_box()["height"] >= 44
    link.click()
    work = console(tab).locator(".portal-agent-detail")
    expect(work.get_by_role("heading", level=2)).to_contain_text(f"#{ticket['number']}")
    expect(console(tab).locator(".portal-agent-queue")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    back = work.get_by_role("button", name="Back to the queue")
    assert back.bounding_box()["height"] >= 44
    back.click()
    expect(rows(tab)).to_have_count(1)
    expect(work.get_by_role("heading", level=2)).to_have_count(0)
    tab.assert_clean()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_two_pane_console_is_axe_clean(tabs, api_as, unique, dark):
    ticket = raise_ticket(api_as, f"Axe {unique}")
    tab = tabs(dark=dark)
    page = tab.open(f"agent/?n={ticket['number']}").sign_in(AGENT).page
    expect(console(tab).locator(".portal-agent-customer h4").first).to_be_visible()
    expect(console(tab).locator(".portal-agent-macro")).to_be_visible()
    page.mouse.move(640, 890)  # not hovering the button under the sign-in form (Material's hover colours)
    page.wait_for_load_state("networkidle")
    expect(page.locator(".portal-busy, [aria-busy=true]")).to_have_count(0)
    violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    report = [(v["id"], v["impact"], [(n["target"], n["failureSummary"]) for n in v["nodes"]][:5]) for v in violations]
    assert not report, "\n".join(map(str, report))
