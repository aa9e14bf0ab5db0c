"""User text is only ever text: script, onerror, svg onload and javascript: payloads stay inert."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

PAYLOADS = [
    '<script>alert("xss-script")</script>',
    '<img src=x onerror=alert("xss-img")>',
    '<svg onload=alert("xss-svg")>',
    'javascript:alert("xss-js")',
]
INJECTED = (
    ".portal script, .portal img, .portal svg, .portal iframe, .portal [onerror], .portal [onload], "
    "a[href^='javascript:' i]"
)


def _assert_inert(tab, *texts):
    page = tab.page
    for text in texts:
        expect(page.locator(".portal").get_by_text(text, exact=False).first).to_be_visible()
    assert page.locator(INJECTED).count() == 0
    tab.assert_clean()


def test_payloads_in_titles_descriptions_and_responses_render_as_text(tabs, api_as, unique):
    alice_api = api_as("alice@acme.example")
    title = f"{unique} " + " ".join(PAYLOADS)
    status, ticket = alice_api(
        "POST", "/tickets", {"title": title, "description": "\n".join(PAYLOADS), "tags": ["Bug"]}
    )
    assert status == 201, ticket
    number = ticket["number"]
    assert alice_api("POST", f"/tickets/{number}/messages", {"body": " ".join(PAYLOADS)})[0] == 201
    agent_api = api_as("agent@vendor.example")
    assert agent_api("POST", f"/tickets/{number}/messages", {"body": PAYLOADS[1], "internal": True})[0] == 201

    alice = tabs().open("support/").sign_in("alice@acme.example")
    mine = alice.page.locator("[data-portal-widget=my-tickets]")
    mine.get_by_label("Title contains").fill(unique)
    expect(mine.locator(".portal-ticket")).to_have_count(1)
    # Typing a payload as a title (suggestions run on it) injects nothing either.
    alice.page.locator("[data-portal-widget=new-ticket]").get_by_label("Title").fill(" ".join(PAYLOADS))
    alice.page.wait_for_timeout(400)
    _assert_inert(alice, PAYLOADS[0], PAYLOADS[2])

    alice.page.goto(alice.base_url + f"support/ticket/?n={number}")
    detail = alice.page.locator("[data-portal-widget=ticket-detail]")
    expect(detail.get_by_role("heading", level=2)).to_have_text(f"#{number} {title}")
    expect(detail.locator(".portal-description")).to_have_text("\n".join(PAYLOADS))
    _assert_inert(alice, PAYLOADS[3])

    agent = tabs().open(f"agent/?n={number}").sign_in("agent@vendor.example")
    work = agent.page.locator(".portal-agent-detail")
    expect(work.locator(".portal-msg--internal")).to_contain_text(PAYLOADS[1])
    agent.page.locator("[data-portal-widget=agent-console]").get_by_label("Search").fill(unique)
    expect(agent.page.locator(".portal-ticket")).to_have_count(1)
    _assert_inert(agent, PAYLOADS[0], PAYLOADS[1])
