"""Raw mails as real clients write them (Gmail, Outlook, Apple Mail), for the inbound tests."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

ORIGINAL = "Support (agent@vendor.example) responded to your ticket.\nTry the 4.2.1 installer."

GMAIL_QUOTE = """On Tue, 1 Dec 2026 at 10:00, Customer Portal <portal@vendor.example> wrote:

> Support (agent@vendor.example) responded to your ticket.
> Try the 4.2.1 installer.
"""

OUTLOOK_QUOTE = """________________________________
From: Customer Portal <portal@vendor.example>
Sent: Tuesday, December 1, 2026 10:00 AM
To: alice@acme.example
Subject: Re: [#12] Installer stops at 80 %

Support (agent@vendor.example) responded to your ticket.
Try the 4.2.1 installer.
"""

APPLE_QUOTE = """Sent from my iPhone

> On 1 Dec 2026, at 10:00, Customer Portal <portal@vendor.example> wrote:
>
> Support (agent@vendor.example) responded to your ticket.
> Try the 4.2.1 installer.
"""

SES_PASS = {
    "X-SES-Spam-Verdict": "PASS",
    "X-SES-Virus-Verdict": "PASS",
    "Received-SPF": "pass (spfCheck: domain of acme.example designates 192.0.2.1 as permitted sender) "
    "client-ip=192.0.2.1; envelope-from=alice@acme.example; helo=mail.acme.example;",
    "Authentication-Results": "amazonses.com; spf=pass (spfCheck: domain of acme.example designates 192.0.2.1 "
    "as permitted sender) client-ip=192.0.2.1; envelope-from=alice@acme.example; helo=mail.acme.example; "
    "dkim=pass header.i=@acme.example; dmarc=pass header.from=acme.example;",
}


def raw_mail(
    sender: str,
    to: str,
    text: str,
    *,
    subject: str = "Re: [#12] Installer stops at 80 %",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    top: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    message_id: str | None = None,
) -> bytes:
    """A mail as a client sends it; ``top`` are the receiving server's headers, put above it."""
    message = EmailMessage(policy=SMTP)
    for name, value in (top or {}).items():
        message[name] = value
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id or make_msgid(domain="mail.acme.example")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
