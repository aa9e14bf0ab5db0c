"""The documentation site builds strictly, its API reference covers every operation, and the
widgets each page loads stay within their weight budget."""

import html
import subprocess
import sys

from tests.support import ROOT


def test_mkdocs_build_strict_passes_and_the_api_reference_lists_every_operation(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-4000:]

    from chalicelib.openapi import document

    reference = (site / "api-reference" / "index.html").read_text()
    for path, methods in document()["paths"].items():
        for method in methods:
            assert html.escape(f"{method.upper()} {path}", quote=False) in reference, (method, path)

    # Every page loads the core bundle, plus the family bundles of its widgets (deferred, in its
    # head), within the per-page weight budget of issue 4.
    from bench.site import BUDGETS, PAGES, budget_of, heaviest, page_weights

    expected = {
        "docs": ["widgets.js"],
        "help": ["widgets.js", "widgets-feedback.js"],
        "support": ["widgets.js", "widgets-support-list.js"],
        "ticket": ["widgets.js", "widgets-support-ticket.js"],
        "licenses": ["widgets.js", "widgets-licenses.js", "widgets-feedback.js"],
        "agent console": ["widgets.js", "widgets-agent.js"],
        "agent reports": ["widgets.js", "widgets-reports.js"],
    }
    for kind, path in PAGES.items():
        weights = page_weights(site, site / path)
        assert weights["js"][0] == expected[kind], (kind, weights["js"][0])
        # The staff pages add their own stylesheet; every other page loads the one bundle.
        staff = {"agent console": ["agent.css"], "agent reports": ["reports.css"]}.get(kind, [])
        assert weights["css"][0] == ["widgets.css", *staff], (kind, weights["css"][0])
        for of in BUDGETS:
            assert weights[of][2] <= budget_of(path, of), (kind, of, weights[of][2], budget_of(path, of))
    for kind, (page, gzipped) in heaviest(site).items():
        assert gzipped <= BUDGETS[kind], f"widget {kind} of {page}: {gzipped} bytes gzipped, budget {BUDGETS[kind]}"
