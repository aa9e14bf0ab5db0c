"""Events -> mails: who gets which mail for each ticket change (PRODUCT.md §3), and what it says.

Pure functions of the event and the ticket: no AWS here (``mail.delivery`` reads the
stream, sends and remembers what was sent). Who gets what:

==========================  ===========================================  ==================
event                       customer side (creator + acting customer)    support inbox
==========================  ===========================================  ==================
created                     confirmation with the number                 new-ticket alert
customer edit               "ticket updated", with what changed           yes
support edit                yes, unless only the priority changed         —
support response            the response                                 —
customer response           —                                            the response
internal note               never                                        —
closed                      yes, by whom                                 yes
re-opened                   yes, by whom                                 yes
==========================  ===========================================  ==================

Support's own edits are not mailed to the support inbox (support made them), and a
priority-only change is not mailed at all: it orders the queue and asks nothing of the
customer. A status set by support is mailed to the customer, because it changes what
the customer is expected to do.

The mails are ``mime.Mail`` values; ``mime`` dresses them as raw messages.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core.config import settings
from chalicelib.mail import mime
from chalicelib.mail import templates as t
from chalicelib.mail.mime import Mail

EDITABLE_BY_CUSTOMERS = ("title", "description", "tags")


# --- ticket events ---------------------------------------------------------------------


def ticket_mails(event: dict[str, Any], ticket: dict[str, Any]) -> list[Mail]:
    """The mails one ticket event produces. ``event`` and ``ticket`` are plain item dicts."""
    kind = event.get("kind")
    if event.get("internal") or kind == "noted":
        return []  # internal notes are for support's eyes only
    actor, role = event.get("actor", ""), event.get("actor_role", "customer")
    config = settings()
    support = mime.address(config.support_email)
    customers = _customer_side(ticket, actor, role, support)

    to_customers: str | None = None
    to_support: str | None = None
    if kind == "created":
        to_customers, to_support = "created", "created"
    elif kind == "updated":
        changes = _changes(event)
        if role == "customer":
            to_customers, to_support = "updated", "updated"
        elif set(changes) - {"priority"}:
            to_customers = "updated"
    elif kind == "responded":
        if role == "support":
            to_customers = "responded"
        else:
            to_support = "responded"
    elif kind in ("closed", "reopened"):
        to_customers, to_support = kind, kind
    else:
        return []

    mails: list[Mail] = []
    if to_customers:
        mails += [_ticket_mail(to_customers, event, ticket, rcpt, audience="customer") for rcpt in customers]
    if to_support and support:
        mails.append(_ticket_mail(to_support, event, ticket, support, audience="support"))
    return mails


def _customer_side(ticket: dict[str, Any], actor: str, role: str, support: str | None) -> list[str]:
    candidates = [ticket.get("created_by", "")] + ([actor] if role == "customer" else [])
    seen: list[str] = []
    for candidate in candidates:
        address = mime.address(candidate)
        if address and address != support and address not in seen:
            seen.append(address)
    return seen


def _changes(event: dict[str, Any]) -> dict[str, Any]:
    raw = event.get("changes") or {}
    return {name: (change.get("to") if isinstance(change, dict) else change) for name, change in raw.items()}


def _who(actor: str, role: str, recipient: str, audience: str) -> str:
    if actor.lower() == recipient:
        return "You"
    if role == "support" and audience == "customer":
        return f"Support ({actor})"
    return actor


def _ticket_mail(what: str, event: dict[str, Any], ticket: dict[str, Any], recipient: str, *, audience: str) -> Mail:
    config = settings()
    number = int(ticket["number"])
    title = t.one_line(str(ticket.get("title", ""))) or "(no title)"
    actor, role = event.get("actor", ""), event.get("actor_role", "customer")
    who = _who(actor, role, recipient, audience)
    link = f"{config.site_url}support/ticket/?n={number}"
    org = str(ticket.get("org", ""))
    quote = author = None
    changes: list[tuple[str, str]] = []
    facts: list[tuple[str, str]] = []

    if what == "created":
        if audience == "customer":
            subject_what = "we received your ticket"
            on_behalf = role == "support"
            lead = (
                f"Support ({actor}) raised ticket #{number} for you. "
                if on_behalf
                else "Thank you, we received your ticket. "
            ) + f"Its number is #{number}; the support team answers here and by e-mail."
        else:
            subject_what = f"new ticket from {ticket.get('created_by', actor)}"
            lead = f"{ticket.get('created_by', actor)} ({org}) raised a new ticket."
            if role == "support":
                lead = f"{actor} raised a new ticket for {ticket.get('created_by')} ({org})."
        quote, author = str(ticket.get("description", "")), None
        facts = [
            ("Tags", t.field_value("tags", ticket.get("tags") or [])),
            ("Priority", t.field_value("priority", ticket.get("priority", "normal"))),
            ("Organisation", org),
        ]
    elif what == "updated":
        new = _changes(event)
        changes = [(t.field_label(name), t.field_value(name, value)) for name, value in new.items()]
        if "status" in new and role == "support":
            subject_what = f"status changed to {t.field_value('status', new['status']).split(' (')[0]}"
        else:
            subject_what = "ticket updated" if audience == "customer" else f"updated by {actor}"
        lead = f"{who} changed ticket #{number}."
    elif what == "responded":
        quote, author = str(event.get("body", "")), who
        if audience == "customer":
            subject_what = "new response from support"
            lead = (
                f"{who} responded to your ticket. It now waits for your reply: answer on the "
                f"ticket page, or close it if the problem is solved."
            )
        else:
            subject_what = f"new response from {actor}"
            lead = f"{actor} ({org}) responded; the ticket is open again and waits for support."
    elif what == "closed":
        subject_what = f"closed by {'support' if role == 'support' and audience == 'customer' else actor}"
        lead = f"{who} closed ticket #{number}."
        if audience == "customer":
            lead += (
                f" If the problem comes back within {config.reopen_window_days} days, re-open it "
                f"from the ticket page; after that, raise a follow-up ticket."
            )
    else:  # reopened
        subject_what = f"re-opened by {'support' if role == 'support' and audience == 'customer' else actor}"
        lead = f"{who} re-opened ticket #{number}; it is open again."

    if audience == "customer":
        footer = (
            f"You get this mail because you raised or acted on ticket #{number}. Replies to this "
            f"mail reach the support team by e-mail; answering on the ticket page keeps the whole "
            f"conversation in one place."
        )
    else:
        footer = "Sent to the support inbox for new tickets and for customers' changes and responses."
    rendered = t.render(
        t.MailBody(
            subject=t.ticket_subject(number, title, subject_what),
            heading=f"#{number} {title}",
            lead=lead,
            link=link,
            link_label=f"View ticket #{number}",
            quote=quote,
            quote_author=author,
            changes=changes,
            facts=facts,
            footer=footer,
        )
    )
    root = mime.thread_root(f"ticket-{number}", recipient)
    first = what == "created"
    message_id = root if first else mime.message_id(f"ticket-{number}.{event.get('id', '')}", recipient)
    return Mail(recipient, rendered.subject, rendered.text, rendered.html, message_id, None if first else root, number)


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
        root = mime.thread_root(f"license-{license_id}", recipient)
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
