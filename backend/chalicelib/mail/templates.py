"""How a notification mail reads: subject, plain text and HTML, from plain data.

No AWS and no decisions about who gets what (that is ``notifications``). The HTML is a
single-column table layout with inline styles (and a fixed width for Outlook, which ignores
max-width), the shape common mail clients render alike; it needs no remote images.
Every piece of user text is escaped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

BRAND = "Customer Portal"
_FIELD_LABELS = {
    "title": "Title",
    "description": "Description",
    "tags": "Tags",
    "status": "Status",
    "priority": "Priority",
}
_ZWJ = "\u200d"  # joins emoji sequences; harmless in a header, unlike bidi overrides (also Cf)
_STATUS_LABELS = {"open": "Open", "pending": "Pending (awaiting your reply)", "closed": "Closed"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class MailBody:
    """What one mail says, before it is dressed as text and HTML."""

    subject: str
    happened: str  # the first line of the text and the preheader: what happened, by whom
    heading: str  # e.g. "#1042 Installer stops at 80 %"
    lead: str  # one sentence: what happened and who did it
    link: str  # the page to act on
    link_label: str
    quote: str | None = None  # a response or description, shown as the author wrote it
    quote_author: str | None = None
    changes: list[tuple[str, str]] = field(default_factory=list)  # (label, new value)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value) table
    footer: str = ""
    # Files the change brought, (name, size in bytes): named, never attached (PRODUCT.md §3.3).
    attachments: list[tuple[str, int]] = field(default_factory=list)
    # CSAT (PRODUCT.md §5): the close mail's question and its answers, (label, link) each.
    rating_question: str = ""
    rating_links: list[tuple[str, str]] = field(default_factory=list)


def one_line(text: str, limit: int = 200) -> str:
    """Text safe for a header: no CR/LF, control, format or line/paragraph separator characters.

    Titles reach the Subject header; a newline there would start a new header (Bcc: ...),
    so everything that is not a plain printable character becomes a space.
    """
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Zs") and ch != _ZWJ else ch for ch in text
    )
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def ticket_subject(number: int, title: str, *, first: bool) -> str:
    """Stable per ticket, so clients that thread by subject agree: ``[#n] title``, then ``Re: ``."""
    subject = f"[#{number}] {one_line(title)}"
    return subject if first else f"Re: {subject}"


def field_label(name: str) -> str:
    return _FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def field_value(name: str, value: object) -> str:
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if name == "status":
        return _STATUS_LABELS.get(str(value), str(value))
    if name == "priority":
        return str(value).capitalize()
    return "" if value is None else str(value)


def file_size(size: int) -> str:
    """1 B, 12 KB, 3.4 MB: a size people read."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"


_FILES_NOTE = "open the ticket to download them"


def event_files(event: dict) -> list[tuple[str, int]]:
    """MailBody.attachments from a ticket event's item (its ``attachments``: filename, size)."""
    return [(str(f.get("filename", "")), int(f.get("size", 0))) for f in event.get("attachments") or []]


def render(body: MailBody) -> Rendered:
    return Rendered(subject=one_line(body.subject, 400), text=_text(body), html=_html(body))


# --- plain text ------------------------------------------------------------------------


def _text(body: MailBody) -> str:
    lines = [body.happened, "", body.heading, "=" * min(len(body.heading), 72), "", body.lead, ""]
    if body.changes:
        lines.append("What changed:")
        for label, value in body.changes:
            if "\n" in value:
                lines.append(f"  {label}:")
                lines.extend(f"    {line}" for line in value.splitlines())
            else:
                lines.append(f"  {label}: {value}")
        lines.append("")
    if body.quote is not None:
        if body.quote_author:
            lines.append(f"{body.quote_author} wrote:")
        lines.extend(f"> {line}" if line else ">" for line in body.quote.splitlines() or [""])
        lines.append("")
    if body.attachments:
        lines.append(f"Attached files ({_FILES_NOTE}):")
        lines.extend(f"  - {one_line(name)} ({file_size(size)})" for name, size in body.attachments)
        lines.append("")
    for label, value in body.facts:
        lines.append(f"{label}: {value}")
    if body.facts:
        lines.append("")
    if body.rating_links:
        lines.append(body.rating_question)
        lines.extend(f"  {label}: {link}" for label, link in body.rating_links)
        lines.append("")
    lines += [f"{body.link_label}: {body.link}", "", "-- ", f"{BRAND}. {body.footer}".strip()]
    return "\n".join(lines) + "\n"


# --- HTML ------------------------------------------------------------------------------

_FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
_ACCENT = "#3f51b5"  # Material's indigo, the site's primary colour


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html(body: MailBody) -> str:
    parts = [
        f'<p style="margin:0 0 8px;font-size:15px;line-height:1.5;font-weight:600;color:#1f2328">{_e(body.happened)}</p>',
        f'<p style="margin:0 0 16px;font-size:15px;line-height:1.5;color:#1f2328">{_e(body.lead)}</p>',
    ]
    if body.changes:
        rows = "".join(
            f'<tr><th align="left" valign="top" style="padding:6px 12px 6px 0;font-weight:600;'
            f'color:#57606a;white-space:nowrap;font-size:14px">{_e(label)}</th>'
            f'<td style="padding:6px 0;font-size:14px;color:#1f2328;white-space:pre-wrap">{_e(value)}</td></tr>'
            for label, value in body.changes
        )
        parts.append(
            '<p style="margin:0 0 6px;font-size:13px;font-weight:600;text-transform:uppercase;'
            'letter-spacing:.04em;color:#57606a">What changed</p>'
            f'<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px;'
            f'border-collapse:collapse">{rows}</table>'
        )
    if body.quote is not None:
        author = (
            f'<p style="margin:0 0 6px;font-size:13px;color:#57606a">{_e(body.quote_author)} wrote:</p>'
            if body.quote_author
            else ""
        )
        parts.append(
            f'{author}<div style="margin:0 0 20px;padding:12px 16px;border-left:4px solid {_ACCENT};'
            f"background:#f6f8fa;font-size:14px;line-height:1.55;color:#1f2328;white-space:pre-wrap;"
            f'word-wrap:break-word">{_e(body.quote)}</div>'
        )
    if body.attachments:
        items = "".join(
            f'<li style="margin:0 0 4px">{_e(one_line(name))} <span style="color:#57606a">({file_size(size)})</span></li>'
            for name, size in body.attachments
        )
        parts.append(
            f'<p style="margin:0 0 6px;font-size:13px;color:#57606a">Attached files ({_FILES_NOTE}):</p>'
            f'<ul style="margin:0 0 20px;padding-left:20px;font-size:14px;color:#1f2328">{items}</ul>'
        )
    if body.facts:
        rows = "".join(
            f'<tr><td style="padding:2px 12px 2px 0;color:#57606a;font-size:13px">{_e(label)}</td>'
            f'<td style="padding:2px 0;font-size:13px;color:#1f2328">{_e(value)}</td></tr>'
            for label, value in body.facts
        )
        parts.append(
            f'<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 20px">{rows}</table>'
        )
    if body.rating_links:
        cells = "".join(
            f'<td style="padding:0 8px 0 0"><a href="{_e(link)}" style="display:inline-block;padding:8px 16px;'
            f"border:2px solid {_ACCENT};border-radius:6px;font-size:14px;font-weight:600;color:{_ACCENT};"
            f'text-decoration:none">{_e(label)}</a></td>'
            for label, link in body.rating_links
        )
        parts.append(
            f'<p style="margin:0 0 8px;font-size:15px;font-weight:600;color:#1f2328">{_e(body.rating_question)}</p>'
            f'<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 20px"><tr>{cells}</tr>'
            f"</table>"
        )
    parts.append(
        f'<table role="presentation" cellpadding="0" cellspacing="0"><tr><td style="border-radius:6px;'
        f'background:{_ACCENT}"><a href="{_e(body.link)}" style="display:inline-block;padding:10px 18px;'
        f'font-size:14px;font-weight:600;color:#ffffff;text-decoration:none">{_e(body.link_label)}</a>'
        f"</td></tr></table>"
        f'<p style="margin:12px 0 0;font-size:12px;color:#57606a">Or open <a href="{_e(body.link)}" '
        f'style="color:{_ACCENT}">{_e(body.link)}</a></p>'
    )
    content = "".join(parts)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light"><title>{_e(body.subject)}</title></head>
<body style="margin:0;padding:0;background:#eef1f5">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">{_e(body.happened)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#eef1f5">
<tr><td align="center" style="padding:24px 12px">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px;font-family:{_FONT}">
<tr><td style="padding:14px 24px;background:{_ACCENT};border-radius:8px 8px 0 0;color:#ffffff;font-size:14px;font-weight:600;letter-spacing:.02em">{BRAND}</td></tr>
<tr><td style="padding:24px 24px 8px"><h1 style="margin:0 0 12px;font-size:20px;line-height:1.3;color:#1f2328">{_e(body.heading)}</h1>
{content}</td></tr>
<tr><td style="padding:16px 24px 20px;font-size:12px;line-height:1.5;color:#6e7781;border-top:1px solid #eaeef2">{_e(body.footer)}</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body></html>
"""
