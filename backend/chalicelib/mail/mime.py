"""One mail as MIME: the Mail value, its raw message, threading ids and safe addresses.

Threading that survives SES: SES replaces the Message-ID of every mail it sends with its
own, so no mail can name another mail as its parent. Every mail about ticket #n therefore
carries the same root id, ``<ticket-n.root@portal.<sender domain>>``, in ``In-Reply-To``
and ``References``, and that id is never any mail's Message-ID: mail clients (JWZ
threading, as Thunderbird, notmuch and mutt do it) hang them all under one missing parent,
one thread per ticket, whatever ids SES gave them. Ids are derived, so no state is needed.

Encoding follows RFC 2045/2047/5322: headers folded at 76 characters (encoded-words of at
most 75), quoted-printable body lines of at most 76.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate

from chalicelib.core.config import settings
from chalicelib.mail import reply_address
from chalicelib.mail import templates as t

# One line length for headers and bodies: email folds headers at it, and quoted-printable
# bodies take their line length from the policy too (SMTP's 78 would make 78-character lines).
_POLICY = SMTP.clone(max_line_length=76)
_ADDRESS = re.compile(r"[^@\s,;:<>()\[\]\"\\]+@[^@\s,;:<>()\[\]\"\\]+\.[^@\s,;:<>()\[\]\"\\]+")


@dataclass(frozen=True)
class Mail:
    """One mail to one recipient; ``recipient`` is also its idempotency key within the event."""

    recipient: str
    subject: str
    text: str
    html: str
    message_id: str
    thread_root: str | None  # In-Reply-To and References: the thread's root id, never a Message-ID
    ticket: int | None = None


def to_mime(mail: Mail) -> bytes:
    """The raw message: text and HTML alternatives, threading headers, Reply-To support."""
    config = settings()
    message = EmailMessage(policy=_POLICY)
    message["From"] = formataddr((t.BRAND, config.sender_email))
    message["To"] = mail.recipient
    # A reply lands on the ticket as a response by its recipient (PRODUCT.md §3.2).
    reply_to = config.support_email if mail.ticket is None else reply_address.reply_address(mail.ticket, mail.recipient)
    message["Reply-To"] = reply_to
    message["Subject"] = t.one_line(mail.subject, 400)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = mail.message_id
    if mail.thread_root:
        message["In-Reply-To"] = mail.thread_root
        message["References"] = mail.thread_root
    # RFC 3834: machine-sent; out-of-office replies should not answer it.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    if mail.ticket is not None:
        message["X-Portal-Ticket"] = str(mail.ticket)
    message.set_content(mail.text, subtype="plain", cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", cte="quoted-printable")
    return message.as_bytes(policy=_POLICY)


def address(value: str) -> str | None:
    """A single plain address, or None: whatever could smuggle a second recipient is refused."""
    value = (value or "").strip().lower()
    return value if _ADDRESS.fullmatch(value) and value.isprintable() else None


def _id_domain() -> str:
    return "portal." + settings().sender_email.rpartition("@")[2].lower()


def _digest(recipient: str) -> str:
    return hashlib.sha256(recipient.encode()).hexdigest()[:12]


def thread_root(thread: str) -> str:
    """The virtual parent of a thread (a ticket, a license's reminders): never a Message-ID,
    which all end in a recipient digest."""
    return f"<{thread}.root@{_id_domain()}>"


def message_id(local: str, recipient: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", local)
    return f"<{safe}.{_digest(recipient)}@{_id_domain()}>"
