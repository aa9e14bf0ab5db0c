"""Who gets which mail for each ticket change (PRODUCT.md §3), through the API, the table's
stream and the real stream handler, asserted on moto's SES outbox."""

from __future__ import annotations

import pytest

from chalicelib.mail import reply_address
from tests.support.mail import SUPPORT, mailed, outbox
from tests.support.users import AGENT, ALICE, BOB


def recipients() -> list[list[str]]:
    return sorted(m.recipients for m in outbox())


@pytest.fixture
def ticket(api, pump) -> dict:
    """Alice's ticket, with its creation mails already delivered and cleared from view."""
    created = api.new_ticket(ALICE, title="Installer stops at 80 %")
    pump()
    return created


def new_mails(before: int) -> list:
    return outbox()[before:]


def test_ticket_created_mails_the_creator_a_confirmation_and_support_an_alert(api, pump):
    created = api.new_ticket(ALICE, title="Installer stops at 80 %", description="It hangs on step 4.")
    pump()
    number = created["number"]
    assert recipients() == [["alice@acme.example"], [SUPPORT]]
    [confirmation] = mailed("alice@acme.example")
    assert confirmation.subject == f"[#{number}] Installer stops at 80 %: we received your ticket"
    assert f"#{number}" in confirmation.text and "It hangs on step 4." in confirmation.text
    [alert] = mailed(SUPPORT)
    assert alert.subject == f"[#{number}] Installer stops at 80 %: new ticket from alice@acme.example"
    assert "acme" in alert.text


def test_ticket_raised_by_support_on_behalf_mails_the_customer_and_the_inbox(api, pump):
    created = api.new_ticket(AGENT, org="acme", requester="alice@acme.example", title="Phoned in")
    pump()
    assert recipients() == [["alice@acme.example"], [SUPPORT]]
    [confirmation] = mailed("alice@acme.example")
    assert "raised ticket" in confirmation.text and "agent@vendor.example" in confirmation.text
    assert confirmation.subject == f"[#{created['number']}] Phoned in: we received your ticket"


def test_customer_edit_mails_creator_acting_customer_and_support_with_what_changed(api, pump, ticket):
    before = len(outbox())
    number = ticket["number"]
    response = api.patch(
        f"/tickets/{number}",
        BOB,
        {"version": ticket["version"], "title": "Installer hangs", "tags": ["Installation", "Bug"]},
    )
    assert response.status_code == 200
    pump()
    mails = new_mails(before)
    assert sorted(m.to for m in mails) == ["alice@acme.example", "bob@acme.example", SUPPORT]
    to_alice = next(m for m in mails if m.to == "alice@acme.example")
    assert to_alice.subject == f"[#{number}] Installer hangs: ticket updated"
    assert "Title: Installer hangs" in to_alice.text and "Tags: Installation, Bug" in to_alice.text
    assert "bob@acme.example changed" in to_alice.text
    to_bob = next(m for m in mails if m.to == "bob@acme.example")
    assert "You changed" in to_bob.text
    to_support = next(m for m in mails if m.to == SUPPORT)
    assert to_support.subject == f"[#{number}] Installer hangs: updated by bob@acme.example"


def test_support_response_mails_the_creator_only_with_the_response(api, pump, ticket):
    before = len(outbox())
    number = ticket["number"]
    assert api.post(f"/tickets/{number}/messages", AGENT, {"body": "Try --no-proxy.\nThen retry."}).status_code == 201
    pump()
    [mail] = new_mails(before)
    assert mail.to == "alice@acme.example"
    assert mail.subject == f"[#{number}] Installer stops at 80 %: new response from support"
    assert "> Try --no-proxy.\n> Then retry." in mail.text
    assert "Try --no-proxy." in mail.html


def test_customer_response_mails_the_support_inbox_only(api, pump, ticket):
    before = len(outbox())
    number = ticket["number"]
    assert api.post(f"/tickets/{number}/messages", BOB, {"body": "Still hangs."}).status_code == 201
    pump()
    [mail] = new_mails(before)
    assert mail.to == SUPPORT
    assert mail.subject == f"[#{number}] Installer stops at 80 %: new response from bob@acme.example"
    assert "Still hangs." in mail.text


def test_internal_note_mails_nobody(api, pump, ticket):
    before = len(outbox())
    response = api.post(
        f"/tickets/{ticket['number']}/messages", AGENT, {"body": "Customer is on 4.1", "internal": True}
    )
    assert response.status_code == 201
    pump()
    assert new_mails(before) == []
    assert all("Customer is on 4.1" not in m.text for m in outbox())


def test_close_by_support_mails_the_creator_and_the_inbox_saying_by_whom(api, pump, ticket):
    before = len(outbox())
    number = ticket["number"]
    assert api.post(f"/tickets/{number}/close", AGENT).status_code == 200
    pump()
    mails = new_mails(before)
    assert sorted(m.to for m in mails) == ["alice@acme.example", SUPPORT]
    to_alice = next(m for m in mails if m.to == "alice@acme.example")
    assert to_alice.subject == f"[#{number}] Installer stops at 80 %: closed by support"
    assert "agent@vendor.example" in to_alice.text and "re-open" in to_alice.text


def test_reopen_by_customer_mails_the_creator_and_the_inbox(api, pump, ticket):
    number = ticket["number"]
    api.post(f"/tickets/{number}/close", ALICE)
    pump()
    before = len(outbox())
    assert api.post(f"/tickets/{number}/reopen", ALICE).status_code == 200
    pump()
    mails = new_mails(before)
    assert sorted(m.to for m in mails) == ["alice@acme.example", SUPPORT]
    assert {m.subject for m in mails} == {f"[#{number}] Installer stops at 80 %: re-opened by alice@acme.example"}


def test_status_set_by_support_mails_the_customer_but_not_the_inbox(api, pump, ticket):
    before = len(outbox())
    number = ticket["number"]
    response = api.patch(f"/tickets/{number}", AGENT, {"version": ticket["version"], "status": "pending"})
    assert response.status_code == 200
    pump()
    [mail] = new_mails(before)
    assert mail.to == "alice@acme.example"
    assert mail.subject == f"[#{number}] Installer stops at 80 %: status changed to Pending"


def test_priority_change_alone_mails_nobody(api, pump, ticket):
    before = len(outbox())
    response = api.patch(f"/tickets/{ticket['number']}", AGENT, {"version": ticket["version"], "priority": "urgent"})
    assert response.status_code == 200
    pump()
    assert new_mails(before) == []


def test_header_injection_in_title_gives_one_clean_subject_and_no_extra_recipient(api, pump):
    title = "Help\r\nBcc: evil@attacker.example\u2028To: x@attacker.example\x85X-Evil: 1"
    created = api.new_ticket(ALICE, title=title)
    pump()
    assert recipients() == [["alice@acme.example"], [SUPPORT]]
    for mail in outbox():
        assert mail.message.get_all("Subject") == [mail.subject]
        assert "\n" not in mail.subject and "\r" not in mail.subject and "\u2028" not in mail.subject
        assert mail.subject.startswith(f"[#{created['number']}] Help Bcc: evil@attacker.example To: x@attacker")
        assert mail.message["Bcc"] is None and mail.message["X-Evil"] is None
        assert mail.message.get_all("To") == [mail.to]


def test_every_mail_of_a_ticket_threads_under_the_recipients_first_mail(api, pump, ticket):
    number = ticket["number"]
    api.post(f"/tickets/{number}/messages", AGENT, {"body": "Which version?"})
    api.post(f"/tickets/{number}/close", AGENT)
    pump()
    first, *later = mailed("alice@acme.example")
    assert first.message["In-Reply-To"] is None
    assert len(later) == 2
    for mail in later:
        assert mail.message["In-Reply-To"] == first.message["Message-ID"]
        assert mail.message["References"] == first.message["Message-ID"]
    ids = [m.message["Message-ID"] for m in outbox()]
    assert len(ids) == len(set(ids)), "every mail has its own Message-ID"


def test_mails_link_to_the_ticket_page_and_reply_to_the_ticket(api, pump, ticket):
    for mail in outbox():
        link = f"http://portal.test/support/ticket/?n={ticket['number']}"
        assert link in mail.text and f'href="{link}"' in mail.html
        recipient = mail.message["To"].addresses[0].addr_spec
        assert mail.message["Reply-To"] == reply_address.reply_address(ticket["number"], recipient)
        assert mail.message["From"].addresses[0].addr_spec == "portal@vendor.example"
        assert mail.message.get_content_type() == "multipart/alternative"


def test_user_text_is_escaped_in_the_html_part(api, pump):
    api.new_ticket(ALICE, title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
    pump()
    for mail in outbox():
        assert "<script>" not in mail.html and "<img" not in mail.html
        assert "&lt;script&gt;" in mail.html
