"""The site's weight and build time: the widgets' JavaScript and CSS as each kind of page loads
them (docs/hooks/widget_bundle.py: the core bundle on every page, and the family bundles of the
page's widgets), gzipped, against the budgets of issue 4 (15 KB of JavaScript and 4 KB of CSS
per page), and how long `mkdocs build` takes."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "docs" / "assets" / "portal"
PORTAL = "assets/portal/"
# Per page: what one page loads. The agent console is staff-only and may load its own bundle
# (issue 12): it has a budget of its own and is left out of the customer pages' heaviest.
BUDGETS = {"js": 15 * 1024, "css": 4 * 1024}
# Its stylesheet (agent.css, linked from the page itself) is spared every other page.
PAGE_BUDGETS = {"agent/index.html": {"js": 22 * 1024, "css": 6 * 1024}}


def budget_of(page: str, kind: str) -> int:
    return PAGE_BUDGETS.get(page, BUDGETS)[kind]


# A page of each kind; "docs" stands for every page without widgets (home, operator pages),
# "help" for the guides and articles, which end with the feedback widget.
PAGES = {
    "docs": "index.html",
    "help": "kb/reset-a-forgotten-password/index.html",
    "support": "support/index.html",
    "ticket": "support/ticket/index.html",
    "licenses": "licenses/index.html",
    "agent console": "agent/index.html",
    "agent reports": "agent/reports/index.html",
}
# What a page loads: its scripts (the core bundle, and in its head the family bundles of its
# widgets, which the core would load after an instant navigation) and its stylesheets.
_LOADED = {
    "js": re.compile(r'<script\b([^>]*\bsrc="([^"]+)"[^>]*)>'),
    "css": re.compile(r'<link\b([^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"[^>]*)>'),
}


def gzipped(paths: list[Path]) -> int:
    """Bytes on the wire: each file is served, and compressed, on its own."""
    return sum(len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)) for path in paths)


def loaded(site: Path, page: Path, kind: str) -> list[Path]:
    """The widget files (under assets/portal/) a built page loads, in the order they run (plain
    scripts as parsed, then the deferred ones), without repeats."""
    html = page.read_text(encoding="utf-8")
    tags = _LOADED[kind].findall(html)
    found = [url for attrs, url in sorted(tags, key=lambda tag: " defer" in tag[0])]
    files = [(page.parent / url.split("?")[0]).resolve() for url in found if PORTAL in url]
    return [f for f in dict.fromkeys(files) if f.is_relative_to(site.resolve() / PORTAL)]


def page_weights(site: Path, page: Path) -> dict[str, tuple[list[str], int, int]]:
    """{"js"|"css": (file names, raw bytes, gzipped bytes)} of what one built page loads."""
    out = {}
    for kind in BUDGETS:
        files = loaded(site, page, kind)
        out[kind] = ([f.name for f in files], sum(f.stat().st_size for f in files), gzipped(files))
    return out


def heaviest(site: Path) -> dict[str, tuple[str, int]]:
    """{"js"|"css": (page, gzipped bytes)}: the heaviest of every built page held to BUDGETS."""
    top: dict[str, tuple[str, int]] = {kind: ("", 0) for kind in BUDGETS}
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).as_posix() in PAGE_BUDGETS:
            continue
        for kind, (_, _, packed) in page_weights(site, page).items():
            if packed > top[kind][1]:
                top[kind] = (page.relative_to(site).as_posix(), packed)
    return top


def sources() -> dict[str, tuple[int, int, int]]:
    """{"js"|"css": (files, raw bytes, gzipped bytes)} of the widgets' source files."""
    out = {}
    for kind in BUDGETS:
        files = sorted(f for f in SOURCES.glob(f"*.{kind}") if not f.name.startswith("widgets"))
        out[kind] = (len(files), sum(f.stat().st_size for f in files), gzipped(files))
    return out


def build(site_dir: Path) -> float:
    """Build the site as `make dev` does; the seconds it took."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stderr[-2000:]}")
    return elapsed


def run() -> list[str]:
    lines = ["Site (widget code each kind of page loads, gzipped; budgets per page)"]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        seconds = build(site)
        for label, path in PAGES.items():
            weights = page_weights(site, site / path)
            figures = []
            for kind in BUDGETS:
                budget = budget_of(path, kind)
                names, raw, packed = weights[kind]
                verdict = "within" if packed <= budget else "OVER"
                figures.append(
                    f"{kind.upper()} {packed / 1024:4.1f} KB ({raw / 1024:5.1f} KB raw, {verdict} {budget // 1024} KB)"
                )
            lines.append(f"  {label:<14} {'; '.join(figures)}: {' + '.join(weights['js'][0])}")
        for kind, (page, packed) in heaviest(site).items():
            verdict = "within" if packed <= BUDGETS[kind] else "OVER"
            lines.append(
                f"  heaviest customer page's {kind.upper():<3} {packed / 1024:4.1f} KB gzipped ({verdict}): {page}"
            )
    for kind, (files, raw, packed) in sources().items():
        lines.append(
            f"  {kind.upper()} sources       {files} files, {raw / 1024:5.1f} KB, {packed / 1024:4.1f} KB gzipped"
        )
    lines.append(f"  mkdocs build          {seconds:.1f} s")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
