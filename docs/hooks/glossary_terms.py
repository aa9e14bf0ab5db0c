"""MkDocs hook: glossary terms (the abbr extension's <abbr title>, on every page through
includes/abbreviations.md) are reachable by keyboard, so Material's tooltip (content.tooltips)
shows on focus as it does on hover. A term inside a link or button is reached with it already."""

from __future__ import annotations

import re
from typing import Any

# A link or button (a term inside stays as it is), or a term's opening tag.
_PARTS = re.compile(r"<(a|button)\b.*?</\1>|<abbr\b(?![^>]*\btabindex=)", re.S)


def focusable_terms(html: str) -> str:
    return _PARTS.sub(lambda m: m.group(0) if m.group(1) else '<abbr tabindex="0"', html)


def on_page_content(html: str, **_: Any) -> str:
    return focusable_terms(html)
