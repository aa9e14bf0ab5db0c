"""The documentation site builds strictly, its API reference covers every operation, and the
widgets it serves stay within their weight budget."""

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

    # Pages load the widgets as one bundle each, within the weight budget of issue 4.
    from bench.site import BUDGETS, weights

    page = (site / "support" / "index.html").read_text()
    assert "assets/portal/widgets.js" in page and "assets/portal/widgets.css" in page
    for kind, (_, _, gzipped) in weights(site / "assets" / "portal", served=True).items():
        assert gzipped <= BUDGETS[kind], f"widget {kind}: {gzipped} bytes gzipped, budget {BUDGETS[kind]}"
