"""Ticket items -> the JSON shapes of the API (and what a customer may see of them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.attachments import views as attachment_views
from chalicelib.attachments.models import AttachmentItem
from chalicelib.tickets import sla
from chalicelib.tickets.models import EventItem, MessageItem, TicketItem


def summary(ticket: TicketItem) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "title": ticket.title,
        "status": ticket.status,
        "priority": ticket.priority,
        "tags": list(ticket.tags),
        "org": ticket.org,
        "created_at": ticket.created_at,
        "created_by": ticket.created_by,
        "requester": ticket.created_by,
        "updated_at": ticket.updated_at,
        "updated_by": ticket.updated_by,
        "closed_at": ticket.closed_at,
        "version": ticket.version,
        "message_count": ticket.message_count or 0,
        "assignee": ticket.assignee,
        "first_response_due_at": ticket.due_at if ticket.sla_kind == sla.FIRST else None,
        "next_response_due_at": ticket.due_at if ticket.sla_kind == sla.NEXT else None,
        "sla_state": sla.state(ticket.due_at, ticket.sla_started_at, ticket.breached_at),
    }


def followers(ticket: TicketItem) -> list[str]:
    """Everyone who gets the ticket's mail on the customer side: the requester first, always."""
    others = sorted(set(ticket.followers or ()) - {ticket.created_by.lower()})
    return [ticket.created_by, *others]


def message(item: MessageItem, attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": item.id,
        "body": item.body,
        "internal": bool(item.internal),
        "author": item.author,
        "author_role": item.author_role,
        "created_at": item.created_at,
        "attachments": attachments or [],
    }


def history_entry(event: EventItem) -> dict[str, Any]:
    changes = event.changes.as_dict() if event.changes is not None else {}
    return {
        "at": event.at,
        "by": event.actor,
        "by_role": event.actor_role,
        "kind": event.kind,
        "changes": changes,
    }


def rating(ticket: TicketItem) -> dict[str, Any] | None:
    """The requester's CSAT rating of the ticket's last close, or None."""
    if ticket.rating_score is None:
        return None
    return {"score": ticket.rating_score, "comment": ticket.rating_comment, "at": ticket.rated_at}


def detail(
    ticket: TicketItem,
    messages: Iterable[MessageItem],
    events: Iterable[EventItem],
    *,
    show_internal: bool,
    attachments: Iterable[AttachmentItem] = (),
    show_rating: bool = True,
) -> dict[str, Any]:
    """``show_rating``: the requester and support see the rating (and its history lines); the
    requester's colleagues do not."""
    visible_messages = [m for m in messages if show_internal or not m.internal]
    visible_events = [e for e in events if (show_internal or not e.internal) and (show_rating or e.kind != "rated")]
    files = attachment_views.by_owner(attachments, show_internal=show_internal)
    return {
        **summary(ticket),
        "description": ticket.description,
        "followers": followers(ticket),
        "attachments": files.get(None, []),
        "messages": [message(m, files.get(m.id)) for m in sorted(visible_messages, key=lambda m: m.sk)],
        "history": [history_entry(e) for e in sorted(visible_events, key=lambda e: e.sk)],
        "rating": rating(ticket) if show_rating else None,
    }
