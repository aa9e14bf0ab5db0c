"""MkDocs hook: pages load the widgets as one minified script and one minified stylesheet.

The sources stay in docs/assets/portal/ as small, readable files that run as they are (no
build step is needed to use them: list them in extra_javascript / extra_css). At build time
this hook replaces the listed portal files by one bundle of each, in the listed order, so a
page makes two requests instead of one per file, and the widgets stay within their weight
budget (bench/site.py). Minifying needs rjsmin and rcssmin; without them the bundles are
only stripped of comments and indentation.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.widget_bundle")
PREFIX = "assets/portal/"
BUNDLES = {"extra_javascript": "widgets.js", "extra_css": "widgets.css"}
_sources: dict[str, list[str]] = {}


def _minify(kind: str, text: str) -> str:
    try:
        if kind == "extra_javascript":
            from rjsmin import jsmin

            return jsmin(text)
        from rcssmin import cssmin

        return cssmin(text)
    except ImportError:
        log.info("rjsmin/rcssmin not installed: the widget bundles are only stripped of comments")
        return _strip(text)


def _strip(text: str) -> str:
    """Without the minifiers: drop whole-line comments, indentation and blank lines. Only safe
    when no string or template literal spans lines, so a source with one is left as it is."""
    if any(line.count("`") % 2 for line in text.splitlines()):
        return text
    kept, in_comment = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if in_comment:
            in_comment = "*/" not in stripped
        elif stripped.startswith("/*"):
            in_comment = "*/" not in stripped
        elif stripped and not stripped.startswith("//"):
            kept.append(stripped)
    return "\n".join(kept) + "\n"


def on_config(config: Any) -> Any:
    """Swap the portal's entries in extra_javascript / extra_css for their bundle."""
    for key, bundle in BUNDLES.items():
        entries = list(config[key])
        portal = [str(entry) for entry in entries if str(entry).startswith(PREFIX) and not str(entry).endswith(bundle)]
        _sources[key] = portal
        if not portal:
            continue
        first = next(i for i, entry in enumerate(entries) if str(entry) in portal)
        kept = [entry for entry in entries if str(entry) not in portal]
        kept.insert(first, PREFIX + bundle)
        config[key] = kept
    return config


def bundle(docs_dir: Path, sources: list[str], kind: str) -> str:
    # Each widget file is a self-contained IIFE; the separator keeps them apart.
    separator = "\n;\n" if kind == "extra_javascript" else "\n"
    return _minify(kind, separator.join((docs_dir / source).read_text(encoding="utf-8") for source in sources))


def on_post_build(config: Any) -> None:
    docs_dir, site_dir = Path(config["docs_dir"]), Path(config["site_dir"])
    for key, name in BUNDLES.items():
        if _sources.get(key):
            (site_dir / PREFIX / name).write_text(bundle(docs_dir, _sources[key], key), encoding="utf-8")
