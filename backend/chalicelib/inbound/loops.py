"""Mail that a machine sent: out-of-office replies, bounces, lists. Answering it (a response
mails the customer, whose autoresponder answers again) would loop, so it is ignored (RFC 3834)."""

from __future__ import annotations

from chalicelib.core.config import settings
from chalicelib.inbound.message import InboundMail


def automatic(mail: InboundMail) -> str | None:
    """Why the mail is machine-sent, or None for a person's mail."""
    auto_submitted = mail.header("Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = mail.header("Precedence").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if mail.header(name):
            return f"{name} header"
    return_path = mail.all("Return-Path")
    if return_path and return_path[0].replace(" ", "") in ("<>", ""):
        return "empty Return-Path (a bounce)"
    if mail.message.get_content_type() == "multipart/report":
        return "a delivery report (multipart/report)"
    config = settings()
    ours = {config.sender_email.lower()}
    if mail.sender in ours or (mail.sender or "").endswith("@" + config.reply_domain):
        return "sent by the portal itself"
    return None
