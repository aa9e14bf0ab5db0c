"""A received mail, read with Python's ``email`` package: who sent it, to whom, and its files."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default
from email.utils import getaddresses

from chalicelib.mail import mime

# The receiving server's own trace line names the envelope recipient (SES: "... for <address>;").
_RECEIVED_FOR = re.compile(r"\bfor\s+<?([^\s<>;]+@[^\s<>;]+)>?\s*;", re.IGNORECASE)


@dataclass(frozen=True)
class MailFile:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class InboundMail:
    message: EmailMessage
    sender: str | None  # the one From address; None when there is none or more than one
    recipients: tuple[str, ...]  # To, Cc and the envelope recipient of the receiving server
    subject: str
    message_id: str

    def header(self, name: str) -> str:
        """The first (topmost, so the receiving server's) occurrence of a header, or ''."""
        values = self.message.get_all(name) or []
        return str(values[0]).strip() if values else ""

    def all(self, name: str) -> list[str]:
        return [str(value).strip() for value in self.message.get_all(name) or []]

    @property
    def files(self) -> list[MailFile]:
        """The files the mail carries (not its text or HTML body), in order."""
        found = []
        for part in self.message.walk():
            if part.is_multipart():
                continue
            disposition = part.get_content_disposition()
            filename = part.get_filename()
            if disposition == "attachment" or (filename and part.get_content_maintype() != "text"):
                data = part.get_payload(decode=True)
                found.append(
                    MailFile(
                        str(filename or "unnamed file"),
                        part.get_content_type(),
                        data if isinstance(data, bytes) else b"",
                    )
                )
        return found

    @property
    def attachments(self) -> list[str]:
        """The names of the files the mail carries."""
        return [file.filename for file in self.files]


def _addresses(values: list[str]) -> list[str]:
    found = []
    for _, address in getaddresses(values):
        plain = mime.address(address)
        if plain and plain not in found:
            found.append(plain)
    return found


def parse(raw: bytes) -> InboundMail:
    message = email.message_from_bytes(raw, policy=default)
    assert isinstance(message, EmailMessage)
    senders = _addresses([str(value) for value in message.get_all("From") or []])
    recipients = _addresses([str(value) for name in ("To", "Cc") for value in message.get_all(name) or []])
    received = message.get_all("Received") or []
    if received:
        envelope = _RECEIVED_FOR.search(" ".join(str(received[0]).split()))
        if envelope:
            recipients += [a for a in _addresses([envelope.group(1)]) if a not in recipients]
    return InboundMail(
        message=message,
        sender=senders[0] if len(senders) == 1 else None,
        recipients=tuple(recipients),
        subject=" ".join(str(message.get("Subject", "") or "").split()),
        message_id=str(message.get("Message-ID", "") or "").strip(),
    )
