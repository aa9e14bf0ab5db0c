"""Over the real local stack with smtplib: replies by mail and mail to the support address.

Each test sends mail to the stack's SMTP server as a mail client would, then waits (60 s, never
asserting how fast) for what a user would see on the ticket: a response, a status, a ticket.
"""

from __future__ import annotations

import json
import smtplib
import time
import urllib.parse
import urllib.request
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid

import boto3
import pytest

from tests.support.inbound import GMAIL_QUOTE

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]

DEADLINE = 60.0
SETTLE = 3.0  # after a mail that must add nothing: the next mail's outcome shows it was handled


def mails(stack) -> list[dict]:
    with urllib.request.urlopen(stack.url + "_mail/api", timeout=10) as answer:
        return json.load(answer)["mails"]


def wait_until(predicate, timeout: float = DEADLINE):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def send(
    stack,
    sender: str,
    to: str,
    text: str,
    *,
    subject: str = "Re: ticket",
    envelope_from: str | None = None,
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
) -> str:
    message = EmailMessage(policy=SMTP)  # CRLF line ends, as SMTP carries them
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="client.example")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    with smtplib.SMTP("127.0.0.1", stack.smtp_port, timeout=30) as smtp:
        smtp.sendmail(sender if envelope_from is None else envelope_from, [to], message.as_bytes())
    return message["Message-ID"]


def new_ticket(stack, who: str = "alice@acme.example", title: str = "Inbound mail") -> tuple[str, int]:
    token = stack.sign_in(who)
    status, ticket = stack.request("POST", "api/tickets", token, {"title": title, "description": "d", "tags": ["Bug"]})
    assert status == 201
    return token, ticket["number"]


def reply_to(stack, number: int, recipient: str) -> str:
    """The Reply-To of the first mail about the ticket to ``recipient``."""
    found = wait_until(
        lambda: [m for m in mails(stack) if m["ticket"] == str(number) and m["recipients"] == [recipient]]
    )
    assert found, f"no mail about #{number} to {recipient}"
    return found[-1]["reply_to"]


def messages(stack, token: str, number: int) -> list[dict]:
    status, detail = stack.request("GET", f"api/tickets/{number}", token)
    assert status == 200
    return detail["messages"]


def detail(stack, token: str, number: int) -> dict:
    return stack.request("GET", f"api/tickets/{number}", token)[1]


def test_a_reply_adds_a_response_by_its_sender_with_only_the_new_text(local_stack):
    alice, number = new_ticket(local_stack)
    address = reply_to(local_stack, number, "alice@acme.example")
    send(local_stack, "Alice <alice@acme.example>", address, "The log says port 8443.\n\n-- \nAlice\n\n" + GMAIL_QUOTE)
    found = wait_until(lambda: messages(local_stack, alice, number))
    assert [(m["author"], m["body"]) for m in found] == [("alice@acme.example", "The log says port 8443.")]


def test_the_same_mail_delivered_twice_adds_one_response(local_stack):
    alice, number = new_ticket(local_stack)
    address = reply_to(local_stack, number, "alice@acme.example")
    message_id = make_msgid(domain="client.example")
    send(local_stack, "alice@acme.example", address, "Only once, please.", message_id=message_id)
    send(local_stack, "alice@acme.example", address, "Only once, please.", message_id=message_id)
    send(local_stack, "alice@acme.example", address, "A second, different mail.")
    found = wait_until(lambda: len(messages(local_stack, alice, number)) >= 2 and messages(local_stack, alice, number))
    assert [m["body"] for m in found] == ["Only once, please.", "A second, different mail."]


@pytest.mark.parametrize(
    "case",
    ["stranger", "token of someone else", "auto-reply", "bounce"],
)
def test_mail_that_is_refused_or_machine_sent_adds_nothing(local_stack, case):
    alice, number = new_ticket(local_stack)
    address = reply_to(local_stack, number, "alice@acme.example")
    if case == "stranger":
        send(local_stack, "mallory@evil.example", address, "Let me in.")
    elif case == "token of someone else":
        send(local_stack, "bob@acme.example", address, "Bob with alice's address.")
    elif case == "auto-reply":
        send(
            local_stack,
            "alice@acme.example",
            address,
            "I am out of office.",
            headers={"Auto-Submitted": "auto-replied"},
        )
    else:
        send(local_stack, "mailer-daemon@acme.example", address, "Undeliverable.", envelope_from="")
    # A mail that is added afterwards proves the first one was handled (one at a time, in order).
    send(local_stack, "alice@acme.example", address, "The probe.")
    found = wait_until(lambda: messages(local_stack, alice, number))
    assert [m["body"] for m in found] == ["The probe."]


def test_a_reply_to_a_recently_closed_ticket_reopens_it_and_adds_the_response(local_stack):
    alice, number = new_ticket(local_stack)
    address = reply_to(local_stack, number, "alice@acme.example")
    assert local_stack.request("POST", f"api/tickets/{number}/close", alice)[0] == 200
    send(local_stack, "alice@acme.example", address, "It is back.")
    found = wait_until(lambda: messages(local_stack, alice, number))
    assert [m["body"] for m in found] == ["It is back."]
    assert detail(local_stack, alice, number)["status"] == "open"


def test_a_reply_to_a_ticket_closed_long_ago_raises_a_follow_up(local_stack):
    alice, number = new_ticket(local_stack, title="Closed long ago")
    address = reply_to(local_stack, number, "alice@acme.example")
    assert local_stack.request("POST", f"api/tickets/{number}/close", alice)[0] == 200
    # Closed 90 days ago: written into the table through the emulator, as no API can.
    environment = local_stack.environment
    boto3.client(
        "dynamodb",
        region_name=environment["AWS_REGION"],
        endpoint_url=environment["AWS_ENDPOINT_URL"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    ).update_item(
        TableName=environment["TABLE_NAME"],
        Key={"pk": {"S": f"TICKET#{number}"}, "sk": {"S": "#TICKET"}},
        UpdateExpression="SET closed_at = :long_ago",
        ExpressionAttributeValues={":long_ago": {"S": "2020-01-01T00:00:00.000000Z"}},
    )
    send(local_stack, "alice@acme.example", address, "The problem is back.")

    def follow_up():
        status, page = local_stack.request("GET", "api/tickets?q=follow-up", alice)
        return [t for t in page["items"] if f"#{number}" in t["title"]]

    found = wait_until(follow_up)
    assert found, "no follow-up ticket"
    new = detail(local_stack, alice, found[0]["number"])
    assert new["title"] == f"Follow-up to #{number}: Closed long ago"
    assert "The problem is back." in new["description"] and f"#{number}" in new["description"]
    old = detail(local_stack, alice, number)
    assert old["status"] == "closed" and old["messages"] == []


def test_mail_to_the_support_address_from_alice_raises_a_ticket_for_acme(local_stack):
    alice = local_stack.sign_in("alice@acme.example")
    title = f"Licence server unreachable {make_msgid()[1:9]}"
    send(
        local_stack,
        "Alice <alice@acme.example>",
        "support@vendor.example",
        "Since this morning.\n\n-- \nAlice",
        subject=title,
    )

    def raised():
        status, page = local_stack.request("GET", "api/tickets?q=" + urllib.parse.quote(title.lower()), alice)
        return page["items"]

    found = wait_until(raised)
    assert found, "no ticket raised by mail"
    ticket = detail(local_stack, alice, found[0]["number"])
    assert (ticket["title"], ticket["description"], ticket["tags"], ticket["org"]) == (
        title,
        "Since this morning.",
        ["Question"],
        "acme",
    )


def test_a_support_users_reply_adds_a_public_response(local_stack):
    alice, number = new_ticket(local_stack)
    address = reply_to(local_stack, number, "support@vendor.example")
    send(local_stack, "agent@vendor.example", address, "Please try 4.2.1.\n\n" + GMAIL_QUOTE)
    found = wait_until(lambda: messages(local_stack, alice, number))  # alice sees it: not internal
    assert [(m["author"], m["body"]) for m in found] == [("agent@vendor.example", "Please try 4.2.1.")]
    assert detail(local_stack, alice, number)["status"] == "pending"


def test_the_smtp_server_refuses_mail_for_other_addresses(local_stack):
    with (
        smtplib.SMTP("127.0.0.1", local_stack.smtp_port, timeout=30) as smtp,
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        smtp.sendmail("alice@acme.example", ["someone@elsewhere.example"], b"Subject: x\r\n\r\nx")


def test_the_guides_mail_a_ticket_snippet_raises_a_ticket(local_stack):
    import subprocess
    import sys
    from pathlib import Path

    snippet = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "mail_a_ticket.py"
    subprocess.run([sys.executable, str(snippet), str(local_stack.smtp_port)], check=True, timeout=60)
    alice = local_stack.sign_in("alice@acme.example")

    def raised():
        status, page = local_stack.request("GET", "api/tickets?q=installer%20stops%20at%2080", alice)
        return [t for t in page["items"] if t["title"] == "The installer stops at 80 %"]

    assert wait_until(raised), "the snippet's mail raised no ticket"


def test_make_dev_prints_the_smtp_port(local_stack):
    from pathlib import Path

    banner = Path(local_stack.log.name).read_text()
    assert f"Inbound SMTP      127.0.0.1:{local_stack.smtp_port}" in banner
