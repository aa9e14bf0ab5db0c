"""A customer's whole journey through the site, with a colleague and the support agent."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def test_customer_raises_updates_and_reopens_a_ticket_the_agent_answers(tabs, unique):
    alice = tabs().open("support/").sign_in("alice@acme.example")
    page = alice.page

    # Typing a title suggests knowledge-base articles (at most five, all from kb/).
    form = page.locator("[data-portal-widget=new-ticket]")
    title = f"License check-in fails behind our proxy {unique}"
    form.get_by_label("Title").fill(title)
    suggestions = form.locator(".portal-suggest a")
    expect(suggestions.first).to_be_visible()
    assert 1 <= suggestions.count() <= 5
    assert all("/kb/" in href for href in suggestions.evaluate_all("links => links.map(a => a.href)"))

    # Inline validation before anything is sent: a tag is required.
    form.get_by_label("Description").fill("Check-in answers 407 from our outbound proxy since Monday.")
    form.get_by_role("button", name="Raise ticket").click()
    expect(form.get_by_text("Choose at least one tag.")).to_be_visible()

    form.get_by_label("Question").check()
    form.get_by_role("button", name="Raise ticket").click()
    raised = form.locator(".portal-note--success")
    expect(raised).to_contain_text("is raised")
    note = raised.inner_text()
    found = re.search(r"#(\d+)", note)
    assert found, f"no ticket number in {note!r}"
    number = int(found.group(1))

    # The list shows it first: newest activity first.
    first = page.locator("[data-portal-widget=my-tickets] .portal-ticket").first
    expect(first).to_contain_text(title)
    expect(first.locator(".portal-badge")).to_have_text("open")
    first.get_by_role("link").click()

    detail = page.locator("[data-portal-widget=ticket-detail]")
    heading = detail.get_by_role("heading", level=2)
    expect(heading).to_contain_text(title)
    expect(page).to_have_url(re.compile(rf"support/ticket/\?n={number}"))

    # Update Ticket: title and tags editable, status read-only.
    detail.get_by_role("button", name="Update Ticket").click()
    edit = detail.locator("form[data-action=update]")
    expect(edit.locator("select[name=status], input[name=status]")).to_have_count(0)
    title = f"License check-in fails behind the HTTP proxy {unique}"
    edit.get_by_label("Title").fill(title)
    edit.get_by_label("Installation").check()
    edit.get_by_role("button", name="Save changes").click()
    expect(detail.locator(".portal-note--success")).to_have_text("The ticket is updated.")
    expect(heading).to_contain_text(title)
    expect(detail.locator(".portal-meta")).to_contain_text("Installation")

    detail.get_by_label("Your response").fill("Proxy is squid 5.7, with authentication.")
    detail.get_by_role("button", name="Add Response").click()
    expect(detail.locator(".portal-msg")).to_contain_text(["Proxy is squid 5.7"])

    # A colleague of the same organisation sees it all.
    bob = tabs().open(f"support/ticket/?n={number}").sign_in("bob@acme.example")
    bob_detail = bob.page.locator("[data-portal-widget=ticket-detail]")
    expect(bob_detail.get_by_role("heading", level=2)).to_contain_text(title)
    expect(bob_detail.locator(".portal-msg")).to_contain_text(["Proxy is squid 5.7"])

    # The agent answers, writes an internal note and closes it.
    agent = tabs().open("agent/").sign_in("agent@vendor.example")
    console = agent.page.locator("[data-portal-widget=agent-console]")
    console.get_by_label("Search").fill(unique)
    row = console.locator(".portal-ticket", has_text=title)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("acme")
    row.get_by_role("link").click()
    work = console.locator(".portal-agent-detail")
    expect(work.get_by_role("heading", level=2)).to_contain_text(title)
    work.get_by_label("Response or internal note").fill("Allow portal.vendor.example in the proxy.")
    work.get_by_role("button", name="Add Response").click()
    expect(work.locator(".portal-note--success")).to_have_text("Response added.")
    expect(work.locator(".portal-meta .portal-badge")).to_have_text("pending")
    note = f"Customer runs 4.1 on-premises {unique}"
    work.get_by_label("Response or internal note").fill(note)
    work.get_by_role("checkbox", name="Internal note").check()
    work.get_by_role("button", name="Add Response").click()
    expect(work.locator(".portal-note--success")).to_have_text("Internal note added.")
    expect(work.locator(".portal-msg--internal")).to_contain_text(note)
    expect(work.locator(".portal-msg--internal")).to_contain_text("Internal note")
    work.get_by_role("button", name="Close ticket").click()
    expect(work.locator(".portal-note--success")).to_have_text("The ticket is closed.")
    expect(work.locator(".portal-meta .portal-badge")).to_have_text("closed")

    # The customer sees it closed, with the answer and without the note, and re-opens it.
    page.reload()
    expect(detail.locator(".portal-meta .portal-badge")).to_have_text("closed")
    expect(detail.locator(".portal-msg")).to_contain_text(["Proxy is squid", "Allow portal.vendor.example"])
    expect(detail).not_to_contain_text(note)
    expect(detail.get_by_label("Your response")).to_have_count(0)
    detail.get_by_role("button", name="Re-open").click()
    expect(detail.locator(".portal-note--success")).to_have_text("The ticket is open again.")
    expect(detail.locator(".portal-meta .portal-badge")).to_have_text("open")
    expect(detail.locator(".portal-history")).to_contain_text("re-opened the ticket")

    for tab in (alice, bob, agent):
        tab.assert_clean()


def test_version_conflict_says_someone_else_changed_it_and_shows_the_fresh_ticket(tab, api_as, unique):
    status, ticket = api_as("alice@acme.example")(
        "POST", "/tickets", {"title": f"Dashboard slow {unique}", "description": "Takes 20 s to load.", "tags": ["Bug"]}
    )
    assert status == 201
    number = ticket["number"]
    tab.open(f"support/ticket/?n={number}").sign_in("alice@acme.example")
    detail = tab.page.locator("[data-portal-widget=ticket-detail]")
    detail.get_by_role("button", name="Update Ticket").click()
    detail.get_by_label("Title").fill(f"Dashboard slow since 4.2 {unique}")

    status, _ = api_as("bob@acme.example")(
        "PATCH", f"/tickets/{number}", {"version": ticket["version"], "title": f"Dashboard takes 20 s {unique}"}
    )
    assert status == 200

    detail.get_by_role("button", name="Save changes").click()
    expect(detail.locator(".portal-note--error")).to_contain_text("Someone else changed this ticket")
    expect(detail.get_by_role("heading", level=2)).to_contain_text(f"Dashboard takes 20 s {unique}")
    tab.assert_clean()


def test_agent_raises_a_ticket_on_a_customers_behalf(tab, api_as, unique):
    tab.open("agent/").sign_in("agent@vendor.example")
    console = tab.page.locator("[data-portal-widget=agent-console]")
    console.get_by_role("button", name="New ticket").click()
    form = console.locator("form[data-action=create]")
    form.get_by_label("Organisation").fill("globex")
    form.get_by_label("Customer's e-mail").fill("carol@globex.example")
    form.get_by_label("Priority").select_option("urgent")
    form.get_by_label("Bug").check()
    form.get_by_label("Title").fill(f"Phone call: cluster down after power cut {unique}")
    form.get_by_label("Description").fill("Carol called: nodes 2 and 3 do not rejoin.")
    form.get_by_role("button", name="Raise ticket").click()
    work = console.locator(".portal-agent-detail")
    expect(work.get_by_role("heading", level=2)).to_contain_text(unique)
    expect(work.locator(".portal-meta")).to_contain_text("urgent")

    status, page = api_as("carol@globex.example")("GET", f"/tickets?q={unique}")
    assert status == 200
    assert [t["created_by"] for t in page["items"]] == ["carol@globex.example"]
    tab.assert_clean()
