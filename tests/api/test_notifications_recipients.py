"""Who gets which mail for each ticket change (PRODUCT.md §3), through the API, the table's
stream and the real stream handler, asserted on moto's SES outbox.

The table of §3, row by row: alice raised the ticket and bob (her colleague) follows it;
the support side is the inbox while the ticket has no assignee.
"""

from __future__ import annotations

import pytest

from chalicelib.mail import reply_address
from tests.support import attachments as files
from tests.support.mail import SUPPORT, mailed, outbox
from tests.support.users import AGENT, ALICE, BOB

A, B = ALICE.email, BOB.email


@pytest.fixture
def ticket(api, pump) -> dict:
    """Alice's ticket that bob follows, its creation mails delivered."""
    created = api.new_ticket(ALICE, title="Installer stops at 80 %")
    assert api.post(f"/tickets/{created['number']}/followers", ALICE, {"email": B}).status_code == 200
    pump()
    return api.get(f"/tickets/{created['number']}", ALICE).json


def mails_of(api, pump, action) -> list:
    before = len(outbox())
    response = action()
    assert response.status_code in (200, 201), response.body
    pump()
    return outbox()[before:]


def to(mails) -> list[str]:
    return sorted(m.to for m in mails)


# (what happens, who acts, who gets mail): the rows of PRODUCT.md §3's table.
ROWS = [
    ("edit", ALICE, [B, SUPPORT]),
    ("edit", BOB, [A, SUPPORT]),
    ("edit", AGENT, [A, B]),
    ("status", AGENT, [A, B]),
    ("priority", AGENT, []),
    ("respond", AGENT, [A, B]),
    ("respond", BOB, [A, SUPPORT]),
    ("respond", ALICE, [B, SUPPORT]),
    ("note", AGENT, []),
    ("close", AGENT, [A, B]),
    ("close", ALICE, [B, SUPPORT]),
    ("close-reopen", BOB, [A, SUPPORT]),
    ("close-reopen", AGENT, [A, B]),
]


def act(api, ticket, what: str, user):
    number, version = ticket["number"], ticket["version"]
    if what == "edit":
        return lambda: api.patch(f"/tickets/{number}", user, {"version": version, "title": "Installer hangs"})
    if what == "status":
        return lambda: api.patch(f"/tickets/{number}", user, {"version": version, "status": "pending"})
    if what == "priority":
        return lambda: api.patch(f"/tickets/{number}", user, {"version": version, "priority": "urgent"})
    if what == "respond":
        return lambda: api.post(f"/tickets/{number}/messages", user, {"body": f"Words of {user.email}"})
    if what == "note":
        return lambda: api.post(f"/tickets/{number}/messages", user, {"body": "Customer on 4.1", "internal": True})
    if what == "close":
        return lambda: api.post(f"/tickets/{number}/close", user)
    assert what == "close-reopen"
    assert api.post(f"/tickets/{number}/close", AGENT).status_code == 200
    return lambda: api.post(f"/tickets/{number}/reopen", user)


@pytest.mark.parametrize("what, actor, expected", ROWS, ids=[f"{w} by {u.email}" for w, u, _ in ROWS])
def test_each_change_mails_exactly_the_people_of_the_table(api, pump, ticket, what, actor, expected):
    action = act(api, ticket, what, actor)
    pump()  # the close before a re-open mails on its own
    mails = mails_of(api, pump, action)
    assert to(mails) == sorted(expected)
    assert actor.email not in to(mails), "nobody is mailed about their own action"


def test_ticket_created_mails_the_requester_a_confirmation_and_the_inbox_an_alert(api, pump):
    created = api.new_ticket(ALICE, title="Installer stops at 80 %", description="It hangs on step 4.")
    pump()
    number = created["number"]
    assert to(outbox()) == [A, SUPPORT]
    [confirmation] = mailed(A)
    assert confirmation.subject == f"[#{number}] Installer stops at 80 %"
    assert confirmation.text.splitlines()[0] == f"We received your ticket #{number}."
    assert "It hangs on step 4." in confirmation.text
    [alert] = mailed(SUPPORT)
    assert alert.subject == f"[#{number}] Installer stops at 80 %"
    assert alert.text.splitlines()[0] == f"New ticket #{number} from {A} (acme)."


def test_ticket_raised_by_support_on_behalf_mails_the_requester_and_the_inbox(api, pump):
    created = api.new_ticket(AGENT, org="acme", requester=A, title="Phoned in")
    pump()
    assert to(outbox()) == [A, SUPPORT]
    [confirmation] = mailed(A)
    assert confirmation.text.splitlines()[0] == f"Support ({AGENT.email}) raised ticket #{created['number']} for you."


def test_a_colleagues_response_reaches_the_requester_and_the_other_followers(api, pump):
    number = api.new_ticket(ALICE)["number"]
    api.post(f"/tickets/{number}/followers", AGENT, {"email": B})
    pump()
    mails = mails_of(api, pump, lambda: api.post(f"/tickets/{number}/messages", BOB, {"body": "Same here on 4.2."}))
    [to_alice] = [m for m in mails if m.to == A]
    assert to_alice.text.splitlines()[0] == f"{B} responded to ticket #{number}."
    assert "> Same here on 4.2." in to_alice.text


def test_a_colleague_who_does_not_follow_is_not_mailed(api, pump):
    number = api.new_ticket(ALICE)["number"]
    pump()
    mails = mails_of(api, pump, lambda: api.post(f"/tickets/{number}/messages", AGENT, {"body": "Try again."}))
    assert to(mails) == [A]


def test_internal_notes_never_reach_a_customer(api, pump, ticket):
    number = ticket["number"]
    api.post(f"/tickets/{number}/messages", AGENT, {"body": "Secret: customer is on 4.1", "internal": True})
    api.post(f"/tickets/{number}/messages", AGENT, {"body": "Public answer."})
    api.post(f"/tickets/{number}/close", AGENT)
    pump()
    for mail in outbox():
        assert "Secret: customer is on 4.1" not in mail.text + mail.html


def test_following_changes_mail_nobody(api, pump):
    number = api.new_ticket(ALICE)["number"]
    pump()
    assert mails_of(api, pump, lambda: api.post(f"/tickets/{number}/followers", ALICE, {"email": B})) == []
    assert mails_of(api, pump, lambda: api.delete(f"/tickets/{number}/followers/{B}", BOB)) == []


def test_an_unfollowed_colleague_gets_no_more_mail(api, pump, ticket):
    number = ticket["number"]
    assert api.delete(f"/tickets/{number}/followers/{B}", ALICE).status_code == 200
    mails = mails_of(api, pump, lambda: api.post(f"/tickets/{number}/messages", AGENT, {"body": "Fixed in 4.3."}))
    assert to(mails) == [A]


def test_mails_link_to_the_ticket_page_and_reply_to_the_ticket(api, pump, ticket):
    for mail in outbox():
        link = f"http://portal.test/support/ticket/?n={ticket['number']}"
        assert link in mail.text and f'href="{link}"' in mail.html
        assert mail.message["Reply-To"] == reply_address.reply_address(ticket["number"], mail.to)
        assert mail.message["From"].addresses[0].addr_spec == "portal@vendor.example"
        assert mail.message.get_content_type() == "multipart/alternative"


def test_user_text_is_escaped_in_the_html_part(api, pump):
    api.new_ticket(ALICE, title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
    pump()
    for mail in outbox():
        assert "<script>" not in mail.html and "<img" not in mail.html
        assert "&lt;script&gt;" in mail.html


def test_header_injection_in_title_gives_one_clean_subject_and_no_extra_recipient(api, pump):
    title = "Help\r\nBcc: evil@attacker.example\u2028To: x@attacker.example\x85X-Evil: 1"
    created = api.new_ticket(ALICE, title=title)
    pump()
    assert to(outbox()) == [A, SUPPORT]
    for mail in outbox():
        assert [str(s).strip() for s in mail.message.get_all("Subject") or []] == [mail.subject]
        assert "\n" not in mail.subject and "\r" not in mail.subject and "\u2028" not in mail.subject
        assert mail.subject.startswith(f"[#{created['number']}] Help Bcc: evil@attacker.example To: x@attacker")
        assert mail.message["Bcc"] is None and mail.message["X-Evil"] is None
        assert mail.message.get_all("To") == [mail.to]


def test_a_response_with_files_names_them_in_its_mail_and_never_attaches_them(api, pump, ticket):
    upload = files.uploaded(api, AGENT, "install-4.2.log", b"step 4: waiting for port 8443\n")
    number = ticket["number"]
    body = {"body": "See the log excerpt.", "attachments": [upload]}
    mails = mails_of(api, pump, lambda: api.post(f"/tickets/{number}/messages", AGENT, body))
    assert to(mails) == [A, B]
    for mail in mails:
        assert "install-4.2.log" in mail.text and "install-4.2.log" in mail.html
        assert [part.get_filename() for part in mail.message.walk() if part.get_filename()] == []
