"""The mail loop in a browser: answer the agent's mail from the mail viewer as alice, then see
the response (the new text only) on the ticket page."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]


def _mail_to(local_stack, number: int, recipient: str, text: str, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(local_stack.url + "_mail/api", timeout=10) as answer:
            mails = json.load(answer)["mails"]
        found = [
            m for m in mails if m["ticket"] == str(number) and m["recipients"] == [recipient] and text in m["text"]
        ]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no mail to {recipient} about #{number} saying {text!r}")


def test_a_reply_from_the_mail_viewer_appears_on_the_ticket_page(tabs, api_as, local_stack, unique):
    status, ticket = api_as("alice@acme.example")(
        "POST", "/tickets", {"title": f"Reply by mail {unique}", "description": "Port 8443.", "tags": ["Bug"]}
    )
    assert status == 201
    number = ticket["number"]
    assert (
        api_as("agent@vendor.example")("POST", f"/tickets/{number}/messages", {"body": f"Try 4.2.1 {unique}"})[0] == 201
    )
    mail = _mail_to(local_stack, number, "alice@acme.example", f"Try 4.2.1 {unique}")

    viewer = tabs().open(f"_mail/{mail['id']}")
    viewer.page.get_by_role("link", name="Reply as alice@acme.example").click()
    box = viewer.page.get_by_label("Your reply")
    quoted = box.input_value()
    assert "> " in quoted and f"Try 4.2.1 {unique}" in quoted  # the mail quoted, as a client does
    box.fill(f"4.2.1 fixed it {unique}.\n\n-- \nAlice" + quoted)
    viewer.page.get_by_role("button", name="Send reply").click()
    expect(viewer.page.locator(".outcome")).to_contain_text("added", timeout=60_000)
    viewer.assert_clean()

    alice = tabs().open(f"support/ticket/?n={number}").sign_in("alice@acme.example")
    detail = alice.page.locator("[data-portal-widget=ticket-detail]")
    expect(detail).to_contain_text(f"4.2.1 fixed it {unique}.", timeout=60_000)
    assert "-- \nAlice" not in detail.inner_text() and "wrote:" not in detail.inner_text()
    alice.assert_clean()
