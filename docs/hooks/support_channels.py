"""MkDocs hook: render the support channels configured under `extra.support`.

Pages write markers instead of hard-coding contact details, so an operator changes
mkdocs.yml once and every page follows:

* `<!-- support-channels -->` becomes a table of every configured channel;
* `<!-- support:email -->`, `<!-- support:phone -->`, `<!-- support:chat -->` and
  `<!-- support:hours -->` become the single value, as a link where that makes sense.

It runs on the Markdown before conversion, so the text is part of the search index.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

TABLE_MARKER = "<!-- support-channels -->"
INLINE_MARKER = re.compile(r"<!--\s*support:(email|phone|chat|hours)\s*-->")

_HOURS_WORDS = {"24x7": "24 hours a day, 7 days a week", "24/7": "24 hours a day, 7 days a week"}


def _hours(support: Mapping[str, Any]) -> str:
    hours = str(support.get("hours", "")).strip()
    return _HOURS_WORDS.get(hours.lower(), hours)


def _inline(support: Mapping[str, Any], name: str) -> str:
    value = str(support.get(name, "")).strip()
    if not value:
        return ""
    if name == "email":
        return f"[{value}](mailto:{value})"
    if name == "phone":
        dial = re.sub(r"[^\d+]", "", value)
        return f"[{value}](tel:{dial})"
    if name == "chat":
        label = re.sub(r"^https?://", "", value).rstrip("/")
        return f"[{label}]({value})"
    return _hours(support)


def _table(support: Mapping[str, Any], new_ticket: str) -> str:
    """The channels as a Markdown table; new_ticket links the page that raises a ticket."""
    # The table shows the short form ("24x7"); prose markers get the spelled-out one.
    hours = str(support.get("hours", "")).strip() or "see your support agreement"
    rows = []
    if support.get("email"):
        rows.append(
            f"| :material-email-outline: E-mail | {_inline(support, 'email')} | {hours} "
            "| Questions that are not urgent, or when you cannot sign in to the portal. |"
        )
    if support.get("phone"):
        rows.append(
            f"| :material-phone-outline: Phone | {_inline(support, 'phone')} | {hours} "
            "| A production system is down or badly degraded. |"
        )
    rows.append(
        f"| :material-ticket-outline: Ticket | [Raise a ticket]({new_ticket}) | {hours} "
        "| The usual way: tracked, visible to your whole organisation, mailed on every change. |"
    )
    if support.get("chat"):
        rows.append(
            f"| :material-chat-outline: Chat | {_inline(support, 'chat')} | {hours} "
            "| A quick question, or help while you work through a problem live. |"
        )
    header = "| Channel | Contact | Available | Best for |\n| --- | --- | --- | --- |\n"
    return header + "\n".join(rows) + "\n"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    support = (config.get("extra") or {}).get("support") or {}
    if TABLE_MARKER in markdown:
        # The new-ticket page (support/new.md), relative to the page the table is on.
        new_ticket = posixpath.relpath("support/new.md", posixpath.dirname(page.file.src_uri) or ".")
        markdown = markdown.replace(TABLE_MARKER, _table(support, new_ticket))
    return INLINE_MARKER.sub(lambda m: _inline(support, m.group(1)), markdown)
