"""The new text of a mail: its text/plain part (else its HTML as text), without the quoted mail
it answers and without the signature.

Quotes and signatures are found by mail-parser-reply (MIT, maintained): it knows the reply
headers of Gmail, Outlook, Apple Mail and others in a dozen languages ("On ... wrote:",
"Am ... schrieb ...:", "-----Original Message-----", "From: ... Sent: ...") and signatures
("-- ", "Sent from my iPhone", "Best regards"). Only a trailing block of "> " lines that no
header introduces is cut here, as the library keeps it.
"""

from __future__ import annotations

import html
import re
from email.message import EmailMessage
from html.parser import HTMLParser

from mailparser_reply import constants
from mailparser_reply.parser import EmailMessage as ReplyText

LANGUAGES = tuple(constants.MAIL_LANGUAGES)
_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "hr"}
_TRAILING_QUOTE = re.compile(r"(?:\n>[^\n]*)+\s*\Z")


class _Text(HTMLParser):
    """HTML -> text: blocks become lines, blockquotes become "> " lines (so the quote is found)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.depth = 0  # blockquote nesting
        self.skip = 0  # inside script, style, head

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
        elif tag == "blockquote":
            self.depth += 1
            self.lines.append("")
        elif tag in _BLOCKS:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self.depth = max(0, self.depth - 1)
            self.lines.append("")
        elif tag in _BLOCKS:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if self.skip or not data:
            return
        if not self.lines[-1].strip():
            if not data.strip():
                return
            self.lines[-1] = "> " * self.depth
        self.lines[-1] += re.sub(r"\s+", " ", data)


def html_to_text(document: str) -> str:
    parser = _Text()
    parser.feed(document)
    parser.close()
    text = "\n".join(re.sub(r"(?<=\S) {2,}", " ", line).rstrip() for line in parser.lines)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(text)).strip()


def body_text(message: EmailMessage) -> str:
    """The mail's text: text/plain preferred, else its HTML as text."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = str(part.get_content())
    except (LookupError, ValueError):  # an unknown charset or a broken transfer encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return content.replace("\r\n", "\n")


def new_text(text: str) -> str:
    """What the sender wrote this time: no quoted mail, no signature."""
    replies = ReplyText(text=text, languages=list(LANGUAGES), keep_hyphen_lists=True).read().replies
    latest = replies[0].body if replies else text
    return _TRAILING_QUOTE.sub("", "\n" + latest).strip()
