"""Placeholders of macros: ``{{ticket.number}}`` and its kind, filled in by one pure function.

The console renders a macro through ``GET /macros/{macro}/render?ticket=N`` (this function on
the server), so the widgets carry no second copy of the rules. A macro naming a placeholder
that is not listed here is refused when saved (400 naming it), so none is ever left unfilled.
"""

from __future__ import annotations

import re

PLACEHOLDERS = ("ticket.number", "ticket.title", "requester.email", "agent.email")
_PATTERN = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def unknown(text: str) -> list[str]:
    """The placeholders in ``text`` that are not ours, in order, each once."""
    seen: list[str] = []
    for match in _PATTERN.finditer(text):
        name = match.group(1)
        if name not in PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen


def render(text: str, values: dict[str, str]) -> str:
    """``text`` with each known placeholder replaced by its value; anything else stays as written."""
    return _PATTERN.sub(lambda match: values.get(match.group(1), match.group(0)), text)
