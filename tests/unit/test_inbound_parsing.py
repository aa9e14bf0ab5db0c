"""Received mail, read as the inbound handler reads it: the new text only, machine-sent mail
recognised, SES's verdicts believed only where SES wrote them."""

from __future__ import annotations

import pytest

from chalicelib.inbound import loops, verdicts
from chalicelib.inbound.attachments import not_kept_note
from chalicelib.inbound.message import parse
from chalicelib.inbound.text import body_text, html_to_text, new_text
from tests.support.inbound import APPLE_QUOTE, GMAIL_QUOTE, OUTLOOK_QUOTE, SES_PASS, raw_mail

ALICE = "Alice Example <alice@acme.example>"
REPLY = "support+t12-abcdefghijklmnop@reply.vendor.example"
SIGNATURE = "\n-- \nAlice Example\nAcme Corp, IT operations\n+1 555 0100\n"


def text_of(raw: bytes) -> str:
    return new_text(body_text(parse(raw).message))


@pytest.mark.parametrize("quote", [GMAIL_QUOTE, OUTLOOK_QUOTE], ids=["gmail", "outlook"])
def test_a_reply_keeps_only_the_new_text_above_the_quote_and_the_signature(quote):
    raw = raw_mail(ALICE, REPLY, "The 4.2.1 installer works.\nThank you!\n" + SIGNATURE + "\n" + quote)
    assert text_of(raw) == "The 4.2.1 installer works.\nThank you!"


def test_an_apple_mail_reply_loses_its_sent_from_line_and_the_quote():
    raw = raw_mail(ALICE, REPLY, "The 4.2.1 installer works.\n\n" + APPLE_QUOTE)
    assert text_of(raw) == "The 4.2.1 installer works."


@pytest.mark.parametrize(
    "header",
    [
        "Am Di., 1. Dez. 2026 um 10:00 Uhr schrieb Customer Portal <portal@vendor.example>:",
        "Le mar. 1 déc. 2026 à 10:00, Customer Portal <portal@vendor.example> a écrit :",
        "Il giorno mar 1 dic 2026 alle ore 10:00 Customer Portal <portal@vendor.example> ha scritto:",
    ],
    ids=["de", "fr", "it"],
)
def test_quote_headers_of_other_languages_are_found(header):
    raw = raw_mail(ALICE, REPLY, f"Es funktioniert.\n\n{header}\n> Try the 4.2.1 installer.\n")
    assert text_of(raw) == "Es funktioniert."


def test_a_list_in_the_reply_is_not_mistaken_for_a_signature():
    raw = raw_mail(ALICE, REPLY, "What I did:\n- ran the installer\n- opened port 8443\n\n" + GMAIL_QUOTE)
    assert text_of(raw) == "What I did:\n- ran the installer\n- opened port 8443"


def test_a_trailing_quote_without_a_header_is_cut_too():
    raw = raw_mail(ALICE, REPLY, "Fine now.\n\n> Try the 4.2.1 installer.\n> Support\n")
    assert text_of(raw) == "Fine now."


def test_an_html_only_reply_is_read_as_text_and_its_blockquote_is_the_quote():
    html = (
        '<div dir="ltr">It <b>works</b> now.<br>Thanks!</div><br><div class="gmail_quote">'
        '<div class="gmail_attr">On Tue, 1 Dec 2026 at 10:00, Customer Portal &lt;portal@vendor.example&gt; wrote:'
        "<br></div><blockquote>Try the <i>4.2.1</i> installer.</blockquote></div>"
    )
    message = parse(raw_mail(ALICE, REPLY, "x")).message
    message.set_content(html, subtype="html")
    assert new_text(body_text(message)) == "It works now.\nThanks!"


def test_text_plain_is_preferred_over_html():
    raw = raw_mail(ALICE, REPLY, "Plain words.", html="<p>HTML words.</p>")
    assert text_of(raw) == "Plain words."


def test_html_to_text_drops_scripts_and_styles():
    assert html_to_text("<style>p{}</style><p>Hello &amp; bye</p><script>x()</script>") == "Hello & bye"


def test_attachments_are_read_and_the_note_names_those_not_kept():
    raw = raw_mail(
        ALICE,
        REPLY,
        "Logs attached.",
        attachments=[("install.log", "text/plain", b"line"), ("screen.png", "image/png", b"\x89PNG")],
    )
    files = parse(raw).files
    assert [(f.filename, f.content_type, f.data) for f in files] == [
        ("install.log", "text/plain", b"line"),
        ("screen.png", "image/png", b"\x89PNG"),
    ]
    note = not_kept_note(["setup.exe (programs are refused)", "big.iso (over 25 MB)"])
    assert note.startswith("[2 attachments sent by e-mail not kept: setup.exe (programs are refused); big.iso")
    assert not_kept_note([]) == ""


def test_sender_and_recipients_come_from_from_to_cc_and_the_receiving_servers_trace():
    raw = raw_mail(
        ALICE,
        "Bob <bob@acme.example>",
        "Hi",
        headers={"Cc": REPLY},
        top={
            "Received": "from mail.acme.example by inbound-smtp.us-east-1.amazonaws.com with SMTP id x "
            "for support@reply.vendor.example; Tue, 1 Dec 2026 10:00:00 +0000"
        },
    )
    mail = parse(raw)
    assert mail.sender == "alice@acme.example"
    assert mail.recipients == ("bob@acme.example", REPLY, "support@reply.vendor.example")


def test_two_from_addresses_name_no_single_sender():
    assert parse(raw_mail("alice@acme.example, mallory@evil.example", REPLY, "Hi")).sender is None


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated; owner-email=it@acme.example"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "list"},
        {"X-Autoreply": "yes"},
    ],
    ids=lambda h: next(iter(h.items()))[0] + "=" + next(iter(h.values())),
)
def test_machine_sent_mail_is_recognised(headers):
    assert loops.automatic(parse(raw_mail(ALICE, REPLY, "I am out of office.", headers=headers)))


def test_a_bounce_with_an_empty_return_path_is_recognised():
    raw = raw_mail("MAILER-DAEMON@mail.acme.example", REPLY, "Undeliverable", top={"Return-Path": "<>"})
    assert loops.automatic(parse(raw)) == "empty Return-Path (a bounce)"


def test_mail_from_the_portal_itself_is_recognised():
    assert loops.automatic(parse(raw_mail("Customer Portal <portal@vendor.example>", REPLY, "x")))


def test_a_persons_mail_is_not_machine_sent():
    raw = raw_mail(ALICE, REPLY, "Hi", headers={"Auto-Submitted": "no"}, top={"Return-Path": "<alice@acme.example>"})
    assert loops.automatic(parse(raw)) is None


def test_ses_verdicts_that_pass_let_the_mail_in():
    assert verdicts.failed(parse(raw_mail(ALICE, REPLY, "Hi", top=SES_PASS))) is None


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("X-SES-Spam-Verdict", "FAIL", "spam verdict FAIL"),
        ("X-SES-Virus-Verdict", "FAIL", "virus verdict FAIL"),
        ("X-SES-Virus-Verdict", "GRAY", "virus verdict GRAY"),
        ("Received-SPF", "fail (spfCheck: domain of acme.example does not designate 203.0.113.9)", "SPF fail"),
        ("Authentication-Results", "amazonses.com; spf=pass smtp.mailfrom=x; dkim=fail; dmarc=fail;", "DKIM fail"),
        (
            "Authentication-Results",
            "amazonses.com; spf=pass; dkim=pass; dmarc=fail header.from=acme.example;",
            "DMARC fail",
        ),
    ],
)
def test_a_failed_ses_verdict_refuses_the_mail(name, value, reason):
    assert verdicts.failed(parse(raw_mail(ALICE, REPLY, "Hi", top={**SES_PASS, name: value}))) == reason


def test_verdicts_a_sender_wrote_below_ses_headers_are_not_believed():
    forged = {"X-SES-Spam-Verdict": "PASS", "X-SES-Virus-Verdict": "PASS"}
    raw = raw_mail(ALICE, REPLY, "Hi", top={**SES_PASS, "X-SES-Spam-Verdict": "FAIL"}, headers=forged)
    assert verdicts.failed(parse(raw)) == "spam verdict FAIL"


def test_a_result_injected_through_the_envelope_sender_cannot_hide_a_failure():
    injected = "amazonses.com; spf=pass smtp.mailfrom=a;dkim=pass@b.example; dkim=fail; dmarc=fail;"
    raw = raw_mail(ALICE, REPLY, "Hi", top={**SES_PASS, "Authentication-Results": injected})
    assert verdicts.failed(parse(raw)) == "DKIM fail"


def test_mail_that_ses_did_not_scan_is_refused():
    assert verdicts.failed(parse(raw_mail(ALICE, REPLY, "Hi"))) == "spam verdict missing"
