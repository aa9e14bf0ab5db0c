"""Attachment items -> the API's shape, grouped by what they are on (the ticket or a message)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from chalicelib.attachments.models import AttachmentItem


def attachment(item: AttachmentItem) -> dict[str, Any]:
    return {"id": item.id, "filename": item.filename, "content_type": item.content_type, "size": int(item.size)}


def by_owner(items: Iterable[AttachmentItem], *, show_internal: bool) -> dict[str | None, list[dict[str, Any]]]:
    """Files by message id (None: the ticket's own), oldest first; internal notes' only for support."""
    grouped: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.created_at, i.sk)):
        if show_internal or not item.internal:
            grouped[item.message_id].append(attachment(item))
    return grouped
