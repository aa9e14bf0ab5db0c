"""The MIME message: headers of a good citizen, threading that survives SES, RFC line
lengths, Reply-To, both parts, refused addresses (no AWS)."""

from __future__ import annotations

import email
import re
from email.policy import default

import pytest

from chalicelib.mail import compose as n
from chalicelib.mail import mime, reply_address

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
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def event(kind: str, actor: str = "alice@acme.example", role: str = "customer", **fields) -> dict:
    return {"id": f"evt-{kind}", "number": 1042, "kind": kind, "actor": actor, "actor_role": role, **fields}


def parse(mail: mime.Mail):
    return email.message_from_bytes(mime.to_mime(mail), policy=default)


def test_message_has_text_and_html_alternatives_and_the_headers_of_a_good_citizen():
    [mail, _] = n.ticket_mails(event("created"), TICKET)
    message = parse(mail)
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Reply-To"] == reply_address.reply_address(1042, "alice@acme.example")
    assert message["From"] == "Customer Portal <portal@vendor.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Portal-Ticket"] == "1042"


def test_every_mail_of_a_ticket_names_one_root_that_is_never_a_message_id():
    mails = n.ticket_mails(event("created"), TICKET) + n.ticket_mails(
        event("closed", "agent@vendor.example", "support"), TICKET
    )
    roots = {m.thread_root for m in mails}
    assert roots == {"<ticket-1042.root@portal.vendor.example>"}
    assert not roots & {m.message_id for m in mails}
    for mail in mails:
        message = parse(mail)
        assert message["In-Reply-To"] == message["References"] == mail.thread_root
    assert len({m.message_id for m in mails}) == len(mails)


def test_ids_are_deterministic_so_a_resent_mail_keeps_its_message_id():
    assert n.ticket_mails(event("closed"), TICKET) == n.ticket_mails(event("closed"), TICKET)


UNICODE_TITLE = "Установщик останавливается на 80 % — «недостаточно места» на диске C: 日本語のタイトル 👩\u200d💻"


@pytest.mark.parametrize("title", [UNICODE_TITLE, "word " * 39 + "word", "ä" * 200, "x" * 200])
def test_headers_and_bodies_keep_the_rfc_line_lengths(title):
    [mail] = n.ticket_mails(event("responded", "agent@vendor.example", "support", body="é" * 3000), TICKET)
    mail = mime.Mail(**{**mail.__dict__, "subject": f"Re: [#1042] {title}"})
    raw = mime.to_mime(mail).decode("ascii")
    head, _, body = raw.partition("\r\n\r\n")
    assert max(len(line) for line in head.split("\r\n")) <= 78, "RFC 5322: fold header lines at 78"
    assert all(len(word) <= 75 for word in ENCODED_WORD.findall(raw)), "RFC 2047: encoded-words of at most 75"
    assert max(len(line) for line in body.split("\r\n")) <= 76, "RFC 2045: quoted-printable lines of at most 76"
    assert str(parse(mail)["Subject"]).strip() == f"Re: [#1042] {title}", "and it all decodes back"


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
def test_a_requester_address_that_could_smuggle_a_recipient_is_not_mailed(address):
    mails = n.ticket_mails(
        event("created", actor="agent@vendor.example", role="support"), {**TICKET, "created_by": address}
    )
    assert [m.recipient for m in mails] == ["support@vendor.example"]


def test_the_actor_is_never_mailed_whatever_the_case_of_the_address():
    mails = n.ticket_mails(event("closed", actor="Alice@Acme.example"), {**TICKET, "followers": ["bob@acme.example"]})
    assert [m.recipient for m in mails] == ["bob@acme.example", "support@vendor.example"]


def test_the_assignee_is_the_support_side_and_gets_internal_notes_of_others():
    assigned = {**TICKET, "assignee": "agent@vendor.example"}
    [alert] = [m for m in n.ticket_mails(event("responded", body="Still broken"), assigned) if "vendor" in m.recipient]
    assert alert.recipient == "agent@vendor.example"
    note = event("noted", "lead@vendor.example", "support", internal=True, body="Escalate")
    assert [m.recipient for m in n.ticket_mails(note, assigned)] == ["agent@vendor.example"]
    own_note = event("noted", "agent@vendor.example", "support", internal=True, body="Escalate")
    assert n.ticket_mails(own_note, assigned) == []


def test_internal_event_mails_no_customer_even_if_its_kind_says_responded():
    assert n.ticket_mails(event("responded", "agent@vendor.example", "support", internal=True, body="x"), TICKET) == []


def test_unknown_event_kind_mails_nobody():
    assert n.ticket_mails(event("archived"), TICKET) == []


def test_a_title_of_only_line_breaks_still_gives_a_readable_subject():
    [mail, _] = n.ticket_mails(event("created"), {**TICKET, "title": "\r\n\u2028"})
    assert mail.subject == "[#1042] (no title)"
