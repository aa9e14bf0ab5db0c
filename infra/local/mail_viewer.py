"""The local mail viewer at /_mail/: every mail the local SES accepted, newest first.

The emulator runs in this process, so the viewer reads moto's SES backend directly (SES v2
sends land in the same store). Pages:

* ``/_mail/``             the list (time, recipients, subject), filterable by ticket thread
* ``/_mail/<id>``         one mail: its headers, its HTML in a sandboxed frame, its text
* ``/_mail/<id>/html``    the mail's HTML alone, under a CSP sandbox (what the frame loads)
* ``/_mail/<id>/raw``     the raw message
* ``/_mail/<id>/reply``   a reply as the mail's recipient (GET the form, POST sends it through
                          the local SMTP server, as the recipient's mail client would)
* ``/_mail/api``          everything as JSON, for tests and scripts

A mail's HTML is never put into the viewer's own page: it is served on its own URL with
``Content-Security-Policy: sandbox`` and shown in an ``<iframe sandbox>``, so nothing in a
mail can run script or reach the viewer. Everything else is escaped.

The reply form is the one thing that changes anything: its POST must carry the viewer's
per-process token (which only a page of the viewer has) and come from the viewer's own origin
(``Origin`` and, where the browser sends it, ``Sec-Fetch-Site``), so no other site can send
mail as a local user through a developer's browser.
"""

from __future__ import annotations

import email
import hmac
import html
import json
import secrets
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import formatdate, make_msgid, parsedate_to_datetime
from typing import Any, Protocol
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


class Inbound(Protocol):
    """The local SMTP server, as the viewer uses it (infra.local.smtp_server.InboundMailServer)."""

    port: int

    def outcome(self, key: str, timeout: float = 0) -> dict[str, Any] | None: ...


class MailViewer:
    """The /_mail/ mount: ``(method, path, headers, body) -> (status, headers, body)``."""

    REPLY_WAIT_SECONDS = 30  # for the handler's outcome, shown on the result page

    def __init__(self, source: Callable[[], Iterable[Any]] = moto_outbox, inbound: Inbound | None = None) -> None:
        self._source = source
        self._inbound = inbound
        self._token = secrets.token_urlsafe(32)  # the reply form's CSRF token, per process
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
        url = urlsplit(path)
        parts = [p for p in url.path.split("/") if p]
        if method == "POST" and len(parts) == 2 and parts[1] == "reply":
            return self._send_reply(parts[0], headers, body)
        if method not in ("GET", "HEAD"):
            return 405, {"Content-Type": "text/plain; charset=utf-8"}, b"GET only (and POST to a reply form)"
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
        if parts[1] == "reply":
            return self._page(f"Reply: {mail.header('Subject')}", self._reply_form(mail))
        return self._page("Not found", '<p class="empty">No such page.</p>', 404)

    # --- replying as the recipient -------------------------------------------------------

    def _reply_form(self, mail: ViewedMail) -> str:
        if self._inbound is None:
            return '<p class="empty">Replies need the local SMTP server, which this viewer was started without.</p>'
        sender, to = reply_parties(mail)
        return f"""<p class="filter"><a href="/_mail/{quote(mail.id)}">&larr; The mail</a></p>
<h2>Reply as {_e(sender)}</h2>
<p class="muted">Sent through the local SMTP server (127.0.0.1:{self._inbound.port}) as {_e(sender)}'s mail client
would send it. Write above the quoted mail: the portal keeps only the new text.</p>
<form method="post" action="/_mail/{quote(mail.id)}/reply" class="reply">
<input type="hidden" name="token" value="{_e(self._token)}">
<table class="headers"><tr><th>From</th><td>{_e(sender)}</td></tr><tr><th>To</th><td>{_e(to)}</td></tr>
<tr><th>Subject</th><td>{_e(reply_subject(mail))}</td></tr></table>
<label for="reply-body">Your reply</label>
<textarea id="reply-body" name="body" rows="16">{_e(quoted_reply(mail))}</textarea>
<button type="submit">Send reply</button>
</form>"""

    def _send_reply(self, mail_id: str, headers: dict[str, str], body: bytes) -> Answer:
        refusal = self._foreign_post(headers, body)
        if refusal:
            return self._page("Refused", f'<p class="empty">{_e(refusal)}</p>', 403)
        mail = next((m for m in self.mails() if m.id == mail_id), None)
        if mail is None:
            return self._page("Not found", '<p class="empty">No such mail. <a href="/_mail/">All mail</a></p>', 404)
        if self._inbound is None:
            return self._page("No SMTP server", '<p class="empty">The local SMTP server is not running.</p>', 503)
        text = parse_qs(body.decode("utf-8", "replace")).get("body", [""])[0]
        sender, to = reply_parties(mail)
        try:
            key = send_reply(self._inbound.port, mail, text)
        except (OSError, smtplib.SMTPException) as error:
            return self._page(
                "Not sent", f'<p class="empty">The local SMTP server refused the reply: {_e(error)}</p>', 502
            )
        outcome = self._inbound.outcome(key, timeout=self.REPLY_WAIT_SECONDS) or {}
        ticket = outcome.get("ticket") or mail.header("X-Portal-Ticket")
        link = f' <a href="/support/ticket/?n={quote(str(ticket))}">Open ticket #{_e(ticket)}</a>' if ticket else ""
        verdict = outcome.get("verdict", "not handled yet")
        return self._page(
            "Reply sent",
            f"""<p class="filter"><a href="/_mail/{quote(mail.id)}">&larr; The mail</a> · <a href="/_mail/">All mail</a></p>
<h2>Reply sent as {_e(sender)}</h2>
<table class="headers"><tr><th>To</th><td>{_e(to)}</td></tr>
<tr><th>Outcome</th><td class="outcome" data-verdict="{_e(verdict)}">{_e(verdict)}: {_e(outcome.get("reason", "the portal has not handled it yet; reload the ticket in a moment"))}</td></tr></table>
<p>{link}</p>""",
        )

    def _foreign_post(self, headers: dict[str, str], body: bytes) -> str | None:
        """Why a POST did not come from the viewer's own form, or None."""
        lower = {k.lower(): v for k, v in headers.items()}
        host = lower.get("host", "")
        if lower.get("origin") != f"http://{host}":
            return "The reply form only accepts posts from this viewer's own pages (Origin)."
        if lower.get("sec-fetch-site", "same-origin") != "same-origin":
            return "The reply form only accepts posts from this viewer's own pages (Sec-Fetch-Site)."
        token = parse_qs(body.decode("utf-8", "replace")).get("token", [""])[0]
        if not hmac.compare_digest(token.encode(), self._token.encode()):
            return "The reply form has expired (the local stack restarted): open the mail and reply again."
        return None

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
<a href="/_mail/{quote(mail.id)}/raw">Raw message</a> ·
<a class="reply" href="/_mail/{quote(mail.id)}/reply">Reply as {_e(reply_parties(mail)[0])}</a></p>
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


# The support inbox is no person: its copies are answered by the demo support agent.
INBOX_REPLIER = "agent@vendor.example"


def reply_parties(mail: ViewedMail) -> tuple[str, str]:
    """Who replies (the mail's recipient) and to whom (its Reply-To, else its From)."""
    from chalicelib.core.config import settings

    sender = mail.recipients[0] if mail.recipients else mail.header("To")
    if sender.lower() == settings().support_email.lower():
        sender = INBOX_REPLIER
    return sender, mail.header("Reply-To") or mail.header("From")


def reply_subject(mail: ViewedMail) -> str:
    subject = " ".join(mail.header("Subject").split())
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def quoted_reply(mail: ViewedMail) -> str:
    """What a mail client puts in the reply box: room to write, then the mail quoted."""
    quoted = "\n".join(f"> {line}".rstrip() for line in mail.body("plain").replace("\r\n", "\n").splitlines())
    return f"\n\nOn {mail.header('Date')}, {mail.header('From')} wrote:\n{quoted}\n"


def send_reply(port: int, mail: ViewedMail, text: str) -> str:
    """Send the reply over SMTP as its recipient's client would; answers the server's queue id."""
    sender, to = reply_parties(mail)
    reply = EmailMessage(policy=SMTP)  # CRLF line ends, as SMTP carries them
    reply["From"] = sender
    reply["To"] = to
    reply["Subject"] = reply_subject(mail)
    reply["Date"] = formatdate(usegmt=True)
    reply["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    original = mail.header("Message-ID")
    if original:
        reply["In-Reply-To"] = original
        reply["References"] = " ".join([*mail.header("References").split(), original])
    reply.set_content(text.replace("\r\n", "\n"))
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.ehlo("mail-viewer.localhost")
        code, answer = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, answer, sender)
        code, answer = smtp.rcpt(to)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({to: (code, answer)})
        code, answer = smtp.data(reply.as_bytes())
        if code != 250:
            raise smtplib.SMTPDataError(code, answer)
    return answer.decode().rpartition(" ")[2]


def _e(text: object) -> str:
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
form.reply label{display:block;margin:18px 0 6px;font-weight:600}
form.reply textarea{width:100%;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:10px;border:1px solid var(--line);border-radius:8px;background:var(--card);color:var(--fg)}
form.reply button{margin-top:12px;padding:10px 20px;min-height:44px;border:0;border-radius:6px;background:var(--accent);color:#fff;font-weight:600;cursor:pointer}
.empty{background:var(--card);border:1px dashed var(--line);border-radius:8px;padding:28px;text-align:center;color:var(--muted)}
"""
