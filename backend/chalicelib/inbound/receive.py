"""The use case: one received mail -> a response, a re-opened ticket, a follow-up or a new ticket.

Nothing refused is stored; every mail ends in an ``Outcome`` that the handler logs. Refused
and ignored mail is never answered: the From of unauthenticated mail is often forged, and a
bounce to it would be backscatter (mail to an innocent third party).

De-duplication: SES (or a retried Lambda) may deliver one mail twice. The mail's Message-ID,
hashed, is the Idempotency-Key of the change, in the sender's scope, so the second delivery
finds the first one's record in the same transaction and adds nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from chalicelib.core.clock import parse, utcnow
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, DomainError, NotFound
from chalicelib.identity.auth import Principal
from chalicelib.inbound import loops, senders, verdicts
from chalicelib.inbound.attachments import keep_files
from chalicelib.inbound.message import InboundMail
from chalicelib.inbound.message import parse as parse_mail
from chalicelib.inbound.text import body_text, new_text
from chalicelib.mail import reply_address
from chalicelib.tickets import changes, schemas
from chalicelib.tickets.reading import seen_ticket

log = logging.getLogger(__name__)

TEXT_LIMIT = int(schemas.MESSAGE_CREATE["properties"]["body"]["maxLength"])
TITLE_LIMIT = int(str(schemas.TITLE["maxLength"]))

# What became of a mail.
ADDED = "added"  # a response on the ticket
REOPENED = "reopened"  # the closed ticket re-opened, then the response added
FOLLOW_UP = "follow-up"  # closed too long ago: a new ticket naming the old one
CREATED = "created"  # mail to the support address: a new ticket
REFUSED = "refused"  # not allowed: nothing stored
IGNORED = "ignored"  # machine-sent or not for us: nothing stored


@dataclass(frozen=True)
class Outcome:
    verdict: str
    reason: str
    ticket: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {"verdict": self.verdict, "reason": self.reason, "ticket": self.ticket}


def receive(raw: bytes) -> Outcome:
    """Handle one raw mail; never raises a domain error (it becomes a refusal)."""
    mail = parse_mail(raw)
    try:
        outcome = _receive(mail, settings().require_mail_verdicts)
    except DomainError as error:
        outcome = Outcome(REFUSED, error.message)
    # Refused and ignored mail is worth an operator's look (a forged sender, a loop); the rest is routine.
    log.log(
        logging.WARNING if outcome.verdict in (REFUSED, IGNORED) else logging.INFO,
        "inbound mail %s from %s: %s (%s)%s",
        mail.message_id or "(no Message-ID)",
        mail.sender or "(no single sender)",
        outcome.verdict,
        outcome.reason,
        f" ticket #{outcome.ticket}" if outcome.ticket else "",
    )
    return outcome


def _receive(mail: InboundMail, check_verdicts: bool) -> Outcome:
    machine = loops.automatic(mail)
    if machine:
        return Outcome(IGNORED, machine)
    if check_verdicts:
        failure = verdicts.failed(mail)
        if failure:
            return Outcome(REFUSED, failure)
    if mail.sender is None:
        return Outcome(REFUSED, "the mail names no single sender (From)")
    token = next((t for t in map(reply_address.parse, mail.recipients) if t is not None), None)
    config = settings()
    to_inbox = {reply_address.plain_address(), config.support_email.lower()} & set(mail.recipients)
    if token is None and not to_inbox:
        return Outcome(IGNORED, "not addressed to a reply address or the support address")
    principal = senders.principal_for(mail.sender)
    if principal is None:
        return Outcome(REFUSED, f"{mail.sender} is not a user of the portal")
    if not new_text(body_text(mail.message)) and not mail.files:
        return Outcome(REFUSED, "the mail has no new text (only quoted text or a signature)")
    if token is not None:
        return _reply(principal, token, mail)
    return _new_ticket(principal, mail)


@dataclass(frozen=True)
class _Content:
    """What a mail adds: its new text (with a note on files not kept) and its kept files."""

    text: str
    attachments: list[str]

    def fields(self, name: str) -> dict[str, object]:
        return {name: self.text, **({"attachments": self.attachments} if self.attachments else {})}


def _content(principal: Principal, mail: InboundMail) -> _Content:
    """Stores the mail's files as the sender's uploads; only once the mail is known to be allowed."""
    ids, note = keep_files(principal, mail.files, _key(mail))
    text = new_text(body_text(mail.message)) or "(Files sent by e-mail, without text.)"
    if len(text) + len(note) + 2 > TEXT_LIMIT:
        cut = "\n[The mail was longer; the rest was cut.]"
        text = text[: TEXT_LIMIT - len(note) - len(cut) - 2].rstrip() + cut
    return _Content(f"{text}\n\n{note}".strip() if note else text, ids)


def _key(mail: InboundMail) -> str:
    """The Idempotency-Key of a mail: its Message-ID (else its content), hashed to a fixed length."""
    content = new_text(body_text(mail.message))
    identity = mail.message_id or "\n".join([mail.sender or "", mail.header("Date"), mail.subject, content])
    return "mail-" + hashlib.sha256(identity.encode("utf-8", "replace")).hexdigest()[:48]


def _reply(principal: Principal, token: reply_address.ReplyToken, mail: InboundMail) -> Outcome:
    number = token.number
    if principal.is_support:
        allowed = token.made_for(principal.email) or token.made_for(settings().support_email)
    else:
        allowed = token.made_for(principal.email)
    if not allowed:
        return Outcome(REFUSED, f"the reply address of ticket #{number} was not made for {principal.email}")
    try:
        ticket = seen_ticket(principal, number)
    except NotFound:
        return Outcome(REFUSED, f"ticket #{number} is not a ticket of {principal.email}'s organisation")
    verdict, key, content = ADDED, _key(mail), _content(principal, mail)
    if ticket.status == "closed":
        window = settings().reopen_window_days
        if ticket.closed_at and parse(ticket.closed_at) < utcnow() - timedelta(days=window):
            return _follow_up(principal, ticket, content, key)
        # Conflict: re-opened meanwhile (by someone, or by an earlier delivery of this mail).
        with contextlib.suppress(Conflict):
            changes.reopen_ticket(principal, number)
        verdict = REOPENED
    # Never internal: support cannot write an internal note by mail.
    changes.add_message(principal, number, content.fields("body"), idempotency_key=key)
    return Outcome(verdict, "reply by e-mail", number)


def _follow_up(principal: Principal, ticket, content: _Content, key: str) -> Outcome:
    number = int(ticket.number)
    title = _title(f"Follow-up to #{number}: {ticket.title}")
    mention = f"\n\n(Follow-up to ticket #{number}, which was closed on {ticket.closed_at[:10]}.)"
    data: dict = {
        **content.fields("description"),
        "title": title,
        "description": content.text[: TEXT_LIMIT - len(mention)] + mention,
        "tags": list(ticket.tags or ["Question"]),
    }
    if principal.is_support:
        data.update(org=ticket.org, requester=ticket.created_by)
    created = changes.create_ticket(principal, data, idempotency_key=key)
    return Outcome(FOLLOW_UP, f"ticket #{number} was closed more than its re-open window ago", created["number"])


def _new_ticket(principal: Principal, mail: InboundMail) -> Outcome:
    if principal.is_support or not principal.org:
        return Outcome(REFUSED, "support raises tickets on a customer's behalf on the site, not by mail")
    content = _content(principal, mail)
    title = _title(mail.subject or content.text.splitlines()[0])
    data = {**content.fields("description"), "title": title, "tags": ["Question"]}
    created = changes.create_ticket(principal, data, idempotency_key=_key(mail))
    return Outcome(CREATED, "mail to the support address", created["number"])


def _title(text: str) -> str:
    title = " ".join(text.split())
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1].rstrip() + "…"
