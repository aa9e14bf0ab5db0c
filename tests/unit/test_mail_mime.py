"""The MIME message: one-line headers, threading, Reply-To, both parts, refused addresses."""

from __future__ import annotations

import email
from email.policy import default

import pytest

from chalicelib.mail import compose as n
from chalicelib.mail import mime

TICKET = {
    "number": 1042,
    "title": "Installer stops",
    "org": "acme",
    "created_by": "alice@acme.example",
    "description": "It hangs.",
    "tags": ["Bug"],
    "priority": "normal",
    "status": "open",
}


def event(kind: str, actor: str = "alice@acme.example", role: str = "customer", **fields) -> dict:
    return {"id": f"evt-{kind}", "number": 1042, "kind": kind, "actor": actor, "actor_role": role, **fields}


def parse(mail: mime.Mail):
    return email.message_from_bytes(mime.to_mime(mail), policy=default)


def test_message_has_text_and_html_alternatives_and_the_headers_of_a_good_citizen():
    [mail, _] = n.ticket_mails(event("created"), TICKET)
    message = parse(mail)
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Reply-To"] == "support@vendor.example"
    assert message["From"] == "Customer Portal <portal@vendor.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Portal-Ticket"] == "1042"


def test_every_header_is_one_line_even_for_a_long_subject():
    long_title = "word " * 40
    [mail, _] = n.ticket_mails(event("created"), {**TICKET, "title": long_title})
    raw = mime.to_mime(mail).decode()
    header_block = raw.split("\r\n\r\n", 1)[0]
    subject_lines = [line for line in header_block.split("\r\n") if line.startswith("Subject:")]
    assert len(subject_lines) == 1 and subject_lines[0].endswith(": we received your ticket")


def test_first_mail_starts_the_thread_and_later_ones_reference_it_per_recipient():
    [first_alice, first_support] = n.ticket_mails(event("created"), TICKET)
    [later_alice, later_support] = n.ticket_mails(event("closed", "agent@vendor.example", "support"), TICKET)
    assert first_alice.thread_root is None
    assert later_alice.thread_root == first_alice.message_id
    assert later_support.thread_root == first_support.message_id
    assert first_alice.message_id != first_support.message_id
    assert first_alice.message_id.endswith("@portal.vendor.example>")
    message = parse(later_alice)
    assert message["In-Reply-To"] == message["References"] == first_alice.message_id


def test_ids_are_deterministic_so_a_resent_mail_keeps_its_message_id():
    assert n.ticket_mails(event("closed"), TICKET) == n.ticket_mails(event("closed"), TICKET)


@pytest.mark.parametrize(
    "address",
    [
        "alice@acme.example, evil@attacker.example",
        "alice@acme.example\r\nBcc: x@y.z",
        "<evil@attacker.example>",
        "not-an-address",
        "a b@acme.example",
        "",
    ],
)
def test_a_creator_address_that_could_smuggle_a_recipient_is_not_mailed(address):
    mails = n.ticket_mails(
        event("created", actor="agent@vendor.example", role="support"), {**TICKET, "created_by": address}
    )
    assert [m.recipient for m in mails] == ["support@vendor.example"]


def test_acting_customer_and_creator_get_one_mail_each_even_with_different_case():
    mails = n.ticket_mails(event("closed", actor="Alice@Acme.example"), TICKET)
    assert [m.recipient for m in mails] == ["alice@acme.example", "support@vendor.example"]


def test_internal_event_mails_nobody_even_if_its_kind_says_responded():
    assert n.ticket_mails(event("responded", "agent@vendor.example", "support", internal=True, body="x"), TICKET) == []


def test_unknown_event_kind_mails_nobody():
    assert n.ticket_mails(event("archived"), TICKET) == []


def test_a_title_of_only_line_breaks_still_gives_a_readable_subject():
    [mail, _] = n.ticket_mails(event("created"), {**TICKET, "title": "\r\n\u2028"})
    assert mail.subject == "[#1042] (no title): we received your ticket"
