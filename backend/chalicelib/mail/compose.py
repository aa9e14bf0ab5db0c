"""Events -> mails: who gets which mail for each ticket change (PRODUCT.md §3), and what it says.

Pure functions of the event and the ticket: no AWS here (``mail.delivery`` reads the
stream, sends and remembers what was sent). Who gets what, never the person who acted
(except the confirmation of a new ticket):

========================  =====================================  ==================================
event                     requester and followers                support side (assignee, else inbox)
========================  =====================================  ==================================
created                   confirmation, to the requester         new-ticket alert
updated                   what changed (not a priority alone)    when a customer changed it
public response           the response                           when a customer wrote it
internal note             never                                  the assignee, if not the author
closed / re-opened        yes, by whom; support's close asks     when a customer did it
                          the requester "How did we do?"
assigned                  never                                  the new assignee, if not the actor
SLA breached              never                                  yes (the breach check writes it once)
========================  =====================================  ==================================

A colleague's response or change reaches the requester and the other followers like
support's does: they all wait on the same ticket. A priority-only change is not mailed to
customers: it orders the queue and asks nothing of them. A status set by support is,
because it changes what the customer is expected to do.

The mails are ``mime.Mail`` values; ``mime`` dresses them as raw messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.core.config import settings
from chalicelib.mail import mime
from chalicelib.mail import templates as t
from chalicelib.mail.mime import Mail

EDITABLE_BY_CUSTOMERS = ("title", "description", "tags")
_NOT_FOR_CUSTOMERS = {"priority", "assignee"}  # changes that ask nothing of the customer side


@dataclass(frozen=True)
class _Change:
    """One event as the mails describe it."""

    kind: str
    actor: str
    by_customer: bool
    changes: dict[str, Any]


# --- ticket events ---------------------------------------------------------------------


def ticket_mails(event: dict[str, Any], ticket: dict[str, Any]) -> list[Mail]:
    """The mails one ticket event produces. ``event`` and ``ticket`` are plain item dicts."""
    change = _Change(
        kind=str(event.get("kind", "")),
        actor=(mime.address(str(event.get("actor", ""))) or str(event.get("actor", ""))),
        by_customer=event.get("actor_role", "customer") == "customer",
        changes=_changes(event),
    )
    customers, staff = _audiences(change, event, ticket)
    mails = [_ticket_mail(change, event, ticket, rcpt, audience="customer") for rcpt in customers]
    mails += [_ticket_mail(change, event, ticket, rcpt, audience="support") for rcpt in staff]
    return mails


def _audiences(change: _Change, event: dict[str, Any], ticket: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(customer-side recipients, support-side recipients) of one event; never the actor,
    except the requester's own confirmation of a new ticket."""
    requester = mime.address(str(ticket.get("created_by", "")))
    followers = _addresses([requester or "", *sorted(ticket.get("followers") or [])])
    assignee = mime.address(str(ticket.get("assignee") or ""))
    inbox = mime.address(settings().support_email)
    support_side = [side for side in (assignee or inbox,) if side]
    others = [address for address in followers if address != change.actor]
    staff_others = [address for address in support_side if address != change.actor]

    if change.kind == "sla_breached":
        return [], support_side
    if event.get("internal") or change.kind == "noted":
        return [], [assignee] if assignee and assignee != change.actor else []
    if change.kind == "created":
        return ([requester] if requester else []), staff_others
    if change.kind == "updated":
        to_customers = bool(set(change.changes) - _NOT_FOR_CUSTOMERS)
        staff = staff_others if change.by_customer else []
        new_assignee = mime.address(str(change.changes.get("assignee") or ""))
        if new_assignee and new_assignee != change.actor:
            staff = [new_assignee]  # "assigned to you": the new assignee is the support side now
        return (others if to_customers else []), staff
    if change.kind in ("responded", "closed", "reopened"):
        return others, (staff_others if change.by_customer else [])
    return [], []  # followers changed, and whatever else is history only


def _addresses(candidates: list[str]) -> list[str]:
    """Plain, distinct addresses, in order; the support inbox is never a customer."""
    inbox = mime.address(settings().support_email)
    seen: list[str] = []
    for candidate in candidates:
        address = mime.address(candidate)
        if address and address != inbox and address not in seen:
            seen.append(address)
    return seen


def _changes(event: dict[str, Any]) -> dict[str, Any]:
    raw = event.get("changes") or {}
    return {name: (change.get("to") if isinstance(change, dict) else change) for name, change in raw.items()}


def _who(change: _Change, audience: str) -> str:
    if not change.by_customer and audience == "customer":
        return f"Support ({change.actor})"
    return change.actor


def _ticket_mail(
    change: _Change, event: dict[str, Any], ticket: dict[str, Any], recipient: str, *, audience: str
) -> Mail:
    config = settings()
    number = int(ticket["number"])
    title = t.one_line(str(ticket.get("title", ""))) or "(no title)"
    who = _who(change, audience)
    link = f"{config.site_url}support/ticket/?n={number}"
    org = str(ticket.get("org", ""))
    requester = str(ticket.get("created_by", change.actor))
    quote = author = None
    changes: list[tuple[str, str]] = []
    facts: list[tuple[str, str]] = []

    if change.kind == "created":
        if audience == "customer":
            if change.by_customer:
                happened = f"We received your ticket #{number}."
                lead = "Thank you. The support team answers here and by e-mail."
            else:
                happened = f"{who} raised ticket #{number} for you."
                lead = "The support team answers here and by e-mail."
        else:
            happened = f"New ticket #{number} from {requester} ({org})."
            lead = f"{change.actor} raised it for {requester}." if not change.by_customer else "It waits for support."
        quote = str(ticket.get("description", ""))
        facts = [
            ("Tags", t.field_value("tags", ticket.get("tags") or [])),
            ("Priority", t.field_value("priority", ticket.get("priority", "normal"))),
            ("Organisation", org),
        ]
    elif change.kind == "updated" and audience == "support" and change.changes.get("assignee") == recipient:
        changes = [(t.field_label(name), t.field_value(name, value)) for name, value in change.changes.items()]
        happened = f"{change.actor} assigned ticket #{number} to you."
        lead = f"It is yours now: {org}'s {requester} waits on it."
    elif change.kind == "sla_breached":
        happened = f"Ticket #{number} is past its SLA target."
        lead = (
            f"The {'first' if change.changes.get('sla') == 'first' else 'next'} response to {requester} ({org}) "
            f"was due at {change.changes.get('due_at', '')}."
        )
        facts = [("Priority", t.field_value("priority", ticket.get("priority", "normal"))), ("Organisation", org)]
    elif change.kind == "updated":
        changes = [(t.field_label(name), t.field_value(name, value)) for name, value in change.changes.items()]
        if "status" in change.changes and not change.by_customer:
            status = t.field_value("status", change.changes["status"]).split(" (")[0]
            happened = f"{who} set ticket #{number} to {status}."
        else:
            happened = f"{who} changed ticket #{number}."
        lead = "What changed is below; the ticket page has its whole history."
    elif change.kind == "responded":
        quote, author = str(event.get("body", "")), who
        happened = f"{who} responded to ticket #{number}."
        if audience == "support":
            lead = "The ticket is open again and waits for support."
        elif change.by_customer:
            lead = "A colleague of yours wrote on the ticket you follow."
        else:
            lead = (
                "It now waits for your reply: answer this mail or on the ticket page, or close the "
                "ticket if the problem is solved."
            )
    elif change.kind == "noted":
        quote, author = str(event.get("body", "")), change.actor
        happened = f"{change.actor} added an internal note to ticket #{number}."
        lead = "Internal notes are for support only; customers never see them."
    elif change.kind == "closed":
        happened = f"{who} closed ticket #{number}."
        lead = (
            f"If the problem comes back within {config.reopen_window_days} days, reply to this mail or re-open "
            f"the ticket from its page; after that, raise a follow-up ticket."
            if audience == "customer"
            else "Nothing waits for support on it now."
        )
    else:  # reopened
        happened = f"{who} re-opened ticket #{number}."
        lead = "It is open again."

    question, answers = _rating_ask(change, ticket, recipient, audience, link)
    if audience == "customer":
        footer = (
            f"You get this mail because you raised or follow ticket #{number}. Reply to it and your answer "
            f"is added to the ticket; write above the quoted text."
        )
    else:
        footer = "Sent to the support side of the ticket: its assignee, or the support inbox while it has none."
    rendered = t.render(
        t.MailBody(
            subject=t.ticket_subject(number, title, first=change.kind == "created"),
            happened=happened,
            heading=f"#{number} {title}",
            lead=lead,
            link=link,
            link_label=f"View ticket #{number}",
            quote=quote,
            quote_author=author,
            changes=changes,
            facts=facts,
            attachments=t.event_files(event),
            footer=footer,
            rating_question=question,
            rating_links=answers,
        )
    )
    message_id = mime.message_id(f"ticket-{number}.{event.get('id', '')}", recipient)
    return Mail(
        recipient,
        rendered.subject,
        rendered.text,
        rendered.html,
        message_id,
        mime.thread_root(f"ticket-{number}"),
        number,
    )


def _rating_ask(
    change: _Change, ticket: dict[str, Any], recipient: str, audience: str, link: str
) -> tuple[str, list[tuple[str, str]]]:
    """CSAT (PRODUCT.md §5): when support closes a ticket (close, or status set to closed), the
    requester's mail asks how support did, with good / bad links to the ticket page, which sends
    the rating (``?rate=good|bad``). Not followers (the rating is the requester's), and not when
    the requester closed it themselves: nobody asks how support did on what the customer ended."""
    closed = change.kind == "closed" or (change.kind == "updated" and change.changes.get("status") == "closed")
    requester = mime.address(str(ticket.get("created_by", "")))
    if not closed or change.by_customer or audience != "customer" or recipient != requester:
        return "", []
    return "How did we do?", [("Good", f"{link}&rate=good"), ("Bad", f"{link}&rate=bad")]


# --- license expiry reminders ----------------------------------------------------------


def reminder_mails(reminder: dict[str, Any], members: list[str]) -> list[Mail]:
    """One reminder to every member of the license's organisation."""
    config = settings()
    license_id = str(reminder.get("license_id", ""))
    product = t.one_line(f"{reminder.get('product', '')} {reminder.get('edition', '')}")
    threshold = int(reminder.get("days_before", 0))
    # A late run writes the days actually left; the subject must not promise more time.
    days = int(reminder["days_left"]) if reminder.get("days_left") is not None else threshold
    span = "1 day" if days == 1 else f"{days} days"
    when = f"expires in {span}" if days > 0 else "expires today"
    expires = str(reminder.get("expires_at", ""))[:10]
    link = f"{config.site_url}licenses/?id={license_id}"
    recipients: list[str] = []
    for member in members:
        address = mime.address(member)
        if address and address not in recipients:
            recipients.append(address)
    mails = []
    for recipient in recipients:
        rendered = t.render(
            t.MailBody(
                subject=f"[License] {product} {when}",
                happened=f"Your license {license_id} for {product} {when}.",
                heading=f"{product} {when}",
                lead=(
                    f"Your organisation's license {license_id} for {product} expires on {expires}. "
                    f"Renew it before then so the deployed product keeps running; your account "
                    f"manager or the support team can help."
                ),
                link=link,
                link_label="View the license",
                facts=[("License", license_id), ("Product", product), ("Expires", expires)],
                footer=(
                    "Every member of your organisation gets each reminder once; they go out 30, 7 "
                    "and 1 days before a license expires."
                ),
            )
        )
        root = mime.thread_root(f"license-{license_id}")
        mails.append(
            Mail(
                recipient,
                rendered.subject,
                rendered.text,
                rendered.html,
                mime.message_id(f"license-{license_id}.{threshold}.{expires}", recipient),
                root,
            )
        )
    return mails
