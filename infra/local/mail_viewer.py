"""The local mail viewer at /_mail/: every mail the local SES accepted, newest first.

The emulator runs in this process, so the viewer reads moto's SES backend directly (SES v2
sends land in the same store). Pages:

* ``/_mail/``             the list (time, recipients, subject), filterable by ticket thread
* ``/_mail/<id>``         one mail: its headers, its HTML in a sandboxed frame, its text
* ``/_mail/<id>/html``    the mail's HTML alone, under a CSP sandbox (what the frame loads)
* ``/_mail/<id>/raw``     the raw message
* ``/_mail/api``          everything as JSON, for tests and scripts

A mail's HTML is never put into the viewer's own page: it is served on its own URL with
``Content-Security-Policy: sandbox`` and shown in an ``<iframe sandbox>``, so nothing in a
mail can run script or reach the viewer. Everything else is escaped.
"""

from __future__ import annotations

import email
import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

Answer = tuple[int, dict[str, str], bytes]

_VIEWER_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The mail itself: an opaque origin, no script, no remote anything; framed by the viewer only.
_MAIL_CSP = (
    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; "
    "style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)


@dataclass(frozen=True)
class ViewedMail:
    id: str
    recipients: list[str]
    message: EmailMessage
    raw: str

    def header(self, name: str) -> str:
        return str(self.message.get(name, "") or "")

    @property
    def sent_at(self) -> str:
        try:
            return parsedate_to_datetime(self.header("Date")).strftime("%Y-%m-%d %H:%M:%S")
        except (TypeError, ValueError):
            return ""

    def body(self, subtype: str) -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        return part.get_content() if part is not None else ""

    @property
    def thread(self) -> str:
        """The thread's root id: what References names, or the mail's own id if it starts one."""
        references = self.header("References").split()
        return references[0] if references else self.header("Message-ID")

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recipients": self.recipients,
            "from": self.header("From"),
            "to": self.header("To"),
            "reply_to": self.header("Reply-To"),
            "subject": self.header("Subject"),
            "date": self.header("Date"),
            "sent_at": self.sent_at,
            "message_id": self.header("Message-ID"),
            "in_reply_to": self.header("In-Reply-To"),
            "references": self.header("References"),
            "ticket": self.header("X-Portal-Ticket"),
            "thread": self.thread,
            "text": self.body("plain"),
            "html": self.body("html"),
        }


def moto_outbox() -> list[Any]:
    """Every message of every account and region moto's SES holds, in the order sent."""
    from moto.ses.models import ses_backends

    messages: list[Any] = []
    for account in list(ses_backends.keys()):
        for region in list(ses_backends[account].keys()):
            messages.extend(ses_backends[account][region].sent_messages)
    return messages


class MailViewer:
    """The /_mail/ mount: ``(method, path, headers, body) -> (status, headers, body)``."""

    def __init__(self, source: Callable[[], Iterable[Any]] = moto_outbox) -> None:
        self._source = source
        self._parsed: dict[str, ViewedMail] = {}  # sent mail never changes: parse each once

    def mails(self) -> list[ViewedMail]:
        """Newest first."""
        viewed = []
        for raw in self._source():
            mail = self._parsed.get(str(raw.id))
            if mail is None:
                message = email.message_from_string(raw.raw_data, policy=default)
                recipients = sorted({address.lower() for address in raw.destinations})
                mail = self._parsed[str(raw.id)] = ViewedMail(str(raw.id), recipients, message, raw.raw_data)
            viewed.append(mail)
        return viewed[::-1]

    def __call__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if method not in ("GET", "HEAD"):
            return 405, {"Content-Type": "text/plain; charset=utf-8"}, b"GET only"
        url = urlsplit(path)
        parts = [p for p in url.path.split("/") if p]
        query = parse_qs(url.query)
        if not parts:
            return self._page("Mail", self._list(query.get("thread", [""])[0]), refresh=True)
        if parts == ["api"]:
            payload = json.dumps({"mails": [m.as_json() for m in self.mails()]}, indent=1).encode()
            return 200, {"Content-Type": "application/json", "Cache-Control": "no-store"}, payload
        mail = next((m for m in self.mails() if m.id == parts[0]), None)
        if mail is None or len(parts) > 2:
            return self._page("Not found", '<p class="empty">No such mail. <a href="/_mail/">All mail</a></p>', 404)
        if len(parts) == 1:
            return self._page(mail.header("Subject") or "(no subject)", self._detail(mail))
        if parts[1] == "html":
            document = mail.body("html") or "<p>This mail has no HTML part.</p>"
            # Links open in a new tab, not inside the sandboxed frame.
            document = document.replace("<head>", '<head><base target="_blank">', 1)
            return (
                200,
                {
                    "Content-Type": "text/html; charset=utf-8",
                    "Content-Security-Policy": _MAIL_CSP,
                    "X-Frame-Options": "SAMEORIGIN",
                    "Cache-Control": "no-store",
                },
                document.encode(),
            )
        if parts[1] == "raw":
            return 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}, mail.raw.encode()
        return self._page("Not found", '<p class="empty">No such page.</p>', 404)

    # --- pages -------------------------------------------------------------------------

    def _list(self, thread: str) -> str:
        mails = self.mails()
        if thread:
            mails = [m for m in mails if m.thread == thread]
        if not mails:
            return (
                '<p class="empty">No mail yet. Raise a ticket on the <a href="/support/">support page</a>; '
                "its mails appear here within a second.</p>"
            )
        rows = []
        for mail in mails:
            ticket = mail.header("X-Portal-Ticket")
            thread_link = (
                f'<a class="tag" href="/_mail/?thread={quote(mail.thread)}" title="Only this thread">#{_e(ticket)}</a>'
                if ticket
                else ""
            )
            rows.append(
                f'<tr><td class="time">{_e(mail.sent_at)}</td>'
                f'<td class="to">{"<br>".join(_e(r) for r in mail.recipients)}</td>'
                f'<td>{thread_link} <a href="/_mail/{quote(mail.id)}">{_e(mail.header("Subject"))}</a></td></tr>'
            )
        heading = (
            f'<p class="filter">Showing one thread ({len(mails)} mails, oldest at the bottom). '
            f'<a href="/_mail/">Show all mail</a></p>'
            if thread
            else f'<p class="filter">{len(mails)} mails, newest first. '
            f'Updates every 5 seconds · <a href="/_mail/api">JSON</a></p>'
        )
        return (
            f'{heading}<table class="list"><thead><tr><th>Sent (UTC)</th><th>To</th><th>Subject</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def _detail(self, mail: ViewedMail) -> str:
        fields = ["From", "To", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "References"]
        rows = "".join(
            f"<tr><th>{name}</th><td>{_e(mail.header(name))}</td></tr>" for name in fields if mail.header(name)
        )
        thread = [m for m in self.mails() if m.thread == mail.thread]
        others = "".join(
            f'<li{" class=current" if m.id == mail.id else ""}><span class="time">{_e(m.sent_at)}</span> '
            f'<a href="/_mail/{quote(m.id)}">{_e(m.header("Subject"))}</a> '
            f'<span class="muted">to {_e(", ".join(m.recipients))}</span></li>'
            for m in thread[::-1]
        )
        return f"""<p class="filter"><a href="/_mail/">&larr; All mail</a> ·
<a href="/_mail/{quote(mail.id)}/raw">Raw message</a></p>
<h2>{_e(mail.header("Subject"))}</h2>
<table class="headers">{rows}<tr><th>Envelope to</th><td>{_e(", ".join(mail.recipients))}</td></tr></table>
<h3>HTML part</h3>
<iframe class="mail" sandbox="allow-popups allow-popups-to-escape-sandbox" src="/_mail/{quote(mail.id)}/html"
 title="The mail's HTML part" loading="lazy"></iframe>
<h3>Text part</h3>
<pre class="text">{_e(mail.body("plain"))}</pre>
<h3>Thread ({len(thread)} mail{"s" if len(thread) != 1 else ""}, oldest first)</h3>
<ol class="thread">{others}</ol>"""

    def _page(self, title: str, content: str, status: int = 200, refresh: bool = False) -> Answer:
        # The list reloads itself (no script needed), so new mail shows up while you click around the site.
        reload = '<meta http-equiv="refresh" content="5">' if refresh else ""
        page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">{reload}
<title>{_e(title)} · Local mail</title><style>{_CSS}</style></head>
<body><header><a href="/_mail/" class="brand">Local mail</a>
<span class="muted">every mail the local SES accepted · nothing leaves this machine</span>
<a href="/" class="site">Open the site</a></header>
<main>{content}</main></body></html>"""
        return (
            status,
            {
                "Content-Type": "text/html; charset=utf-8",
                "Content-Security-Policy": _VIEWER_CSP,
                "Cache-Control": "no-store",
            },
            page.encode(),
        )


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


_CSS = """
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1f2328;--muted:#6b7280;--line:#e5e7eb;--accent:#3f51b5}
@media (prefers-color-scheme:dark){:root{--bg:#111318;--card:#1b1e25;--fg:#e6e8eb;--muted:#9aa3ae;--line:#2c313a;--accent:#8c9eff}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
header{display:flex;gap:16px;align-items:baseline;padding:14px 28px;background:var(--accent);color:#fff}
header a{color:#fff;text-decoration:none}header .brand{font-weight:700;font-size:17px}
header .muted{color:rgba(255,255,255,.8);font-size:13px}header .site{margin-left:auto;font-size:14px}
main{max-width:1100px;margin:24px auto;padding:0 20px}
a{color:var(--accent)}.muted{color:var(--muted);font-size:13px}.filter{color:var(--muted);font-size:14px}
table.list{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
.list th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);padding:10px 14px;border-bottom:1px solid var(--line)}
.list td{padding:10px 14px;border-bottom:1px solid var(--line);vertical-align:top}
.list tr:last-child td{border-bottom:0}.list tbody tr:hover{background:rgba(63,81,181,.06)}
.list td a{text-decoration:none}.list td a:hover{text-decoration:underline}
.time{white-space:nowrap;color:var(--muted);font-variant-numeric:tabular-nums;font-size:13px}.to{font-size:14px}
.tag{display:inline-block;padding:0 8px;margin-right:6px;border-radius:10px;background:rgba(63,81,181,.12);font-size:12px;font-weight:600}
h2{margin:8px 0 16px;font-size:21px}h3{margin:26px 0 8px;font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
table.headers{border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;width:100%}
.headers th{text-align:left;white-space:nowrap;color:var(--muted);font-weight:600;font-size:13px;padding:6px 14px;vertical-align:top}
.headers td{padding:6px 14px;font-size:14px;word-break:break-all}
iframe.mail{width:100%;height:560px;border:1px solid var(--line);border-radius:8px;background:#fff}
pre.text{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px;white-space:pre-wrap;
word-wrap:break-word;font:13px/1.55 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
ol.thread{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px 10px 36px}
ol.thread li{padding:3px 0}ol.thread li.current a{font-weight:700}
.empty{background:var(--card);border:1px dashed var(--line);border-radius:8px;padding:28px;text-align:center;color:var(--muted)}
"""
