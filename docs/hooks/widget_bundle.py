"""MkDocs hook: each page loads the widget code it uses, minified, and one minified stylesheet.

The sources stay in docs/assets/portal/ as small, readable files that run as they are (no
build step is needed to use them: list them all in extra_javascript / extra_css, and every
page loads every widget; only contract.js is written by this hook). At build time this hook
groups the listed portal scripts into bundles (FAMILIES below), each in the listed order:

- the core, ``assets/portal/widgets.js`` (contract, portal.js, auth.js: sign-in and session upkeep
  on every page), takes the place of the listed files in extra_javascript, so every page loads it;
- a bundle per widget family, ``assets/portal/widgets-<family>.js``, loaded only by the pages whose
  widgets it registers: each such page's head gets ``<script src defer>`` for them (the families
  they need first, then their own; same origin, so the CSP's script-src 'self' allows them), which
  download early and run in order after the page is parsed, after the core (a plain script at
  the end of the body), without blocking rendering;
- Material's instant navigation swaps pages without running a new page's head scripts, so the
  core also loads the bundles itself when the page shown has widgets no loaded file registered
  (``Portal.bundles``: widget name -> bundles, in order), and they mount when they arrive.

The widgets stay within their weight budget per page (bench/site.py). The scripts are minified
by esbuild (node_modules, pinned in package.json: it also shortens local names, which rjsmin
cannot), else by rjsmin; the stylesheet by rcssmin. Without any of them the bundles are only
stripped of comments and indentation.

The widgets' copy of the API's rules (tags, statuses, priorities, lengths, patterns) is not
kept in the sources: this hook writes it from the backend's request schemas into
assets/portal/contract.js on every build, listed first in extra_javascript, and the core
bundle starts with the same text.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.widget_bundle")
PREFIX = "assets/portal/"
BUNDLES = {"extra_javascript": "widgets.js", "extra_css": "widgets.css"}
CONTRACT = PREFIX + "contract.js"
CORE = "core"
# Which bundle each portal script goes in, by the widgets it registers and the pages using them:
# sign-in is on every widget page and auth.js keeps the session, so it is core; the ticket files
# share their helpers (Portal.tickets, Portal.attach) and the ticket widgets are on the Support
# and ticket pages together; the license widgets need only the core; the agent console is built
# from the ticket family's pieces, so it needs that family first (NEEDS); so are the customers'
# support widgets, one file per page (the list, the new ticket, the ticket), which the agent console
# never loads. A family's bundle holds the families it needs too, so each page loads the core and
# one bundle, compressed as a whole (a page's widgets in several files weighed ~1 KB more gzipped);
# a file shared by two bundles runs once (it checks what an earlier bundle defined). The feedback
# widget is on the help pages only (overrides/partials/comments.html) and needs only the core.
FAMILIES = {
    CORE: ["contract.js", "portal.js", "auth.js"],
    "tickets": ["attachments.js", "tickets.js"],
    "detail": ["ticket-detail.js"],
    "drafts": ["drafts.js"],
    "support-list": ["support-list.js"],
    "support-new": ["support-new.js"],
    "support-ticket": ["support-ticket.js"],
    "licenses": ["licenses.js"],
    "agent": ["agent.js"],
    "feedback": ["feedback.js"],
    "reports": ["reports.js"],  # the agent reports page: its charts need only the core
}
NEEDS = {
    "detail": ["tickets"],
    "support-list": ["tickets"],
    "support-new": ["tickets", "drafts"],
    "support-ticket": ["detail", "drafts"],
    "agent": ["detail"],
}
REGISTERS = re.compile(r"""\bP(?:ortal)?\.widget\(\s*["']([\w-]+)["']""")
# In a tag of the page (an example in a code block is escaped: &lt;div ...).
USES = re.compile(r"""<[a-z][^<>]*\sdata-portal-widget=["']?([\w-]+)""")
_sources: dict[str, list[str]] = {}
# This build's plan: each family's sources (as listed), and widget name -> bundle paths to load.
_families: dict[str, list[str]] = {}
_loads: dict[str, list[str]] = {}
_registered: set[str] = set()


def _contract() -> dict[str, Any]:
    """The rules the widgets check before sending, read from the backend's request schemas.
    The one place this hook imports the backend (chalicelib must be importable)."""
    from chalicelib.attachments.rules import REFUSED_EXTENSIONS, THUMBNAIL_TYPES
    from chalicelib.attachments.schemas import MAX_PER_CHANGE
    from chalicelib.core.config import ATTACHMENT_MAX_MB
    from chalicelib.feedback.schemas import COMMENT_MAX
    from chalicelib.identity.schemas import EMAIL, ORG
    from chalicelib.licenses.schemas import KEY
    from chalicelib.tickets.schemas import (
        CUSTOMER_VIEWS,
        DESCRIPTION,
        MESSAGE_CREATE,
        PRIORITIES,
        STATUSES,
        TAGS,
        TITLE,
    )

    return {
        "tags": TAGS,
        "statuses": STATUSES,
        "priorities": PRIORITIES,
        "views": CUSTOMER_VIEWS,
        "limits": {
            "title": TITLE["maxLength"],
            "description": DESCRIPTION["maxLength"],
            "body": MESSAGE_CREATE["properties"]["body"]["maxLength"],
            "comment": COMMENT_MAX,
        },
        # Python regular expressions the API applies with re.fullmatch; simple enough to read
        # the same in JavaScript, where Portal.pattern() anchors them.
        "patterns": {"org": ORG["pattern"], "email": EMAIL["pattern"], "key": KEY["pattern"]},
        # The API refuses the same before an upload starts (the size is the default limit).
        "attachments": {
            "maxMb": ATTACHMENT_MAX_MB,
            "maxFiles": MAX_PER_CHANGE,
            "refused": sorted(REFUSED_EXTENSIONS),
            "images": list(THUMBNAIL_TYPES),
        },
    }


def contract_js() -> str:
    """assets/portal/contract.js: Portal.contract, for portal.js to pick up when it loads."""
    try:
        contract = _contract()
    except ImportError as error:
        from mkdocs.exceptions import PluginError

        raise PluginError(
            f"widget_bundle: the backend's schemas are needed for {CONTRACT} "
            f"and could not be imported ({error}); build through the Makefile's venv, "
            "which puts backend/ on the Python path"
        ) from error
    return (
        "/* Generated by docs/hooks/widget_bundle.py from the backend's request schemas; do not edit. */\n"
        f"window.Portal = {json.dumps({'contract': contract}, indent=1)};\n"
    )


ESBUILD = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "esbuild"


def _esbuild(text: str) -> str | None:
    """esbuild's minified script (names inside each widget's closure shortened), or None
    without node_modules."""
    if not ESBUILD.exists():
        return None
    command = [str(ESBUILD), "--minify", "--target=es2022", "--loader=js", "--log-level=error"]
    return subprocess.run(command, input=text, capture_output=True, text=True, check=True).stdout


def _minify(kind: str, text: str) -> str:
    if kind == "extra_javascript" and (minified := _esbuild(text)) is not None:
        return minified
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
        if in_comment or stripped.startswith("/*"):
            in_comment = "*/" not in stripped
        elif stripped and not stripped.startswith("//"):
            kept.append(stripped)
    return "\n".join(kept) + "\n"


def family_bundle(family: str) -> str:
    """The bundle's path in the site: the core keeps the name pages have always loaded."""
    return PREFIX + ("widgets.js" if family == CORE else f"widgets-{family}.js")


def registers(docs_dir: Path, source: str) -> list[str]:
    """The widget names a portal script registers (P.widget("name", ...))."""
    return [] if source == CONTRACT else REGISTERS.findall((docs_dir / source).read_text(encoding="utf-8"))


def plan(docs_dir: Path, sources: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The listed portal scripts grouped by FAMILIES ({family: sources, in the listed order}),
    and {widget name: the bundles to load for it, the families it needs first} for every widget
    a family outside the core registers. A listed script of no family is an error."""
    family_of = {PREFIX + name: family for family, names in FAMILIES.items() for name in names}
    strays = [source for source in sources if source not in family_of]
    if strays:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"widget_bundle: {', '.join(strays)} belong to no family; add them to FAMILIES")
    families = {family: [s for s in sources if family_of[s] == family] for family in FAMILIES}
    families = {family: listed for family, listed in families.items() if listed}
    if families and CORE not in families:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"widget_bundle: the core ({', '.join(FAMILIES[CORE])}) must be listed in extra_javascript")

    loads = {}
    for family, listed in families.items():
        if family == CORE:
            continue
        for source in listed:
            for name in registers(docs_dir, source):
                loads[name] = [family_bundle(family)]
    return families, loads


def bundle_sources(families: dict[str, list[str]], family: str) -> list[str]:
    """A family's bundle: the sources of the families it needs (recursively), then its own."""
    needed = [source for need in NEEDS.get(family, []) for source in bundle_sources(families, need)]
    return list(dict.fromkeys([*needed, *families.get(family, [])]))


def on_config(config: Any) -> Any:
    """Swap the portal's entries in extra_javascript for the core bundle (the families are
    loaded by the core) and those in extra_css for their bundle."""
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
    docs_dir = Path(config["docs_dir"])
    families, loads = plan(docs_dir, _sources["extra_javascript"])
    _families.clear()
    _families.update(families)
    _loads.clear()
    _loads.update(loads)
    _registered.clear()
    _registered.update(loads, *(registers(docs_dir, source) for source in families.get(CORE, [])))
    return config


def page_bundles(html: str) -> list[str]:
    """The family bundles a page's widgets need, in load order."""
    return list(dict.fromkeys(bundle for name in USES.findall(html) for bundle in _loads.get(name, [])))


def on_post_page(output: str, page: Any, config: Any) -> str:
    """The page's head loads the family bundles of its widgets (deferred); a widget no portal
    script registers is reported (a warning, so `mkdocs build --strict` fails on a typo)."""
    for name in sorted(set(USES.findall(output)) - _registered):
        log.warning(f"widget_bundle: {page.file.src_uri} uses the widget {name!r}, which no portal script registers")
    bundles = page_bundles(output)
    if not bundles or "</head>" not in output:
        return output
    from mkdocs.utils import get_relative_url

    tags = "".join(f'<script src="{get_relative_url(b, page.url)}" defer></script>' for b in bundles)
    return output.replace("</head>", tags + "</head>", 1)


def bundle(docs_dir: Path, sources: list[str], kind: str, loads: dict[str, list[str]] | None = None) -> str:
    """The minified concatenation of the sources; a core script bundle (loads given) also tells
    portal.js, right after the contract, which bundles each widget outside it needs."""
    # Each widget file is a self-contained IIFE; the separator keeps them apart.
    separator = "\n;\n" if kind == "extra_javascript" else "\n"
    texts = [_source(docs_dir, source) for source in sources]
    if loads:
        at = sources.index(CONTRACT) + 1 if CONTRACT in sources else 0
        texts.insert(at, f"window.Portal.bundles = {json.dumps(loads, sort_keys=True)};\n")
    return _minify(kind, separator.join(texts))


def _source(docs_dir: Path, source: str) -> str:
    return contract_js() if source == CONTRACT else (docs_dir / source).read_text(encoding="utf-8")


def on_post_build(config: Any) -> None:
    docs_dir, site_dir = Path(config["docs_dir"]), Path(config["site_dir"])
    # Always written, so that pages listing the sources one by one (unbundled) get it too.
    (site_dir / CONTRACT).write_text(contract_js(), encoding="utf-8")
    for family in _families:
        loads = _loads if family == CORE else None
        text = bundle(docs_dir, bundle_sources(_families, family), "extra_javascript", loads)
        (site_dir / family_bundle(family)).write_text(text, encoding="utf-8")
    if _sources.get("extra_css"):
        css = bundle(docs_dir, _sources["extra_css"], "extra_css")
        (site_dir / PREFIX / BUNDLES["extra_css"]).write_text(css, encoding="utf-8")
