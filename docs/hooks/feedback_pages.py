"""MkDocs hook: "Was this page helpful?" and "Still need help?" on the customers' help pages only.

Material shows its feedback widget (extra.analytics.feedback) on every page that does not hide
it in its front matter (``hide: [feedback]``). The customers' guides and articles are few
sections, and operator, developer and widget pages are more and growing: so this hook hides it
on every page outside HELP_PAGES, the one list to change, instead of front matter on each page.
overrides/partials/comments.html shows "Still need help?" wherever the widget is shown.
"""

from __future__ import annotations

from typing import Any

# Source paths (as under docs/) of the pages that end with the two: a folder's pages, or one page.
HELP_PAGES = ("user-guide/", "kb/", "glossary.md", "licenses/index.md")
# Pages of those folders that are lists rather than help of their own.
NOT_HELP = ("kb/tags.md",)


def is_help_page(src_uri: str) -> bool:
    if src_uri in NOT_HELP:
        return False
    return any(src_uri == p or (p.endswith("/") and src_uri.startswith(p)) for p in HELP_PAGES)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if not is_help_page(page.file.src_uri):
        hide = page.meta.get("hide") or []
        page.meta["hide"] = [*hide, "feedback"] if "feedback" not in hide else hide
    return markdown
