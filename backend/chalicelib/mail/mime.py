"""One mail as MIME: the Mail value, its raw message, threading ids and safe addresses.

Threading: every mail to one recipient about ticket #n references the same root id,
``<ticket-n.<recipient digest>@portal.<sender domain>>``, which is also the Message-ID of
that recipient's first mail; ids are derived, so no state is needed. SES replaces the
Message-ID of what it sends with its own, so in production the root is a virtual parent:
mail clients still group the mails, because they share ``References``.
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

# Headers are written on one line (RFC 5322 allows 998 characters; a subject is at most ~300),
# so a subject never reaches a client folded at an odd place.
_POLICY = SMTP.clone(max_line_length=998)
_ADDRESS = re.compile(r"[^@\s,;:<>()\[\]\"\\]+@[^@\s,;:<>()\[\]\"\\]+\.[^@\s,;:<>()\[\]\"\\]+")


@dataclass(frozen=True)
class Mail:
    """One mail to one recipient; ``recipient`` is also its idempotency key within the event."""

    recipient: str
    subject: str
    text: str
    html: str
    message_id: str
    thread_root: str | None  # In-Reply-To and References; None for the thread's first mail
    ticket: int | None = None


def to_mime(mail: Mail) -> bytes:
    """The raw message: text and HTML alternatives, threading headers, Reply-To support."""
    config = settings()
    message = EmailMessage(policy=SMTP)
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
    return message.as_bytes(policy=_POLICY)  # parts keep SMTP's 76-character body lines


def address(value: str) -> str | None:
    """A single plain address, or None: whatever could smuggle a second recipient is refused."""
    value = (value or "").strip().lower()
    return value if _ADDRESS.fullmatch(value) and value.isprintable() else None


def _id_domain() -> str:
    return "portal." + settings().sender_email.rpartition("@")[2].lower()


def _digest(recipient: str) -> str:
    return hashlib.sha256(recipient.encode()).hexdigest()[:12]


def thread_root(thread: str, recipient: str) -> str:
    return f"<{thread}.{_digest(recipient)}@{_id_domain()}>"


def message_id(local: str, recipient: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", local)
    return f"<{safe}.{_digest(recipient)}@{_id_domain()}>"
