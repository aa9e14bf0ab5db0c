"""Lighthouse's mobile performance score (0-100) of the home, Support and Licenses pages, served by
a local stack of its own (compressed as CloudFront serves them), against issue 15's target of 90.

Lighthouse is pinned in package.json (devDependencies) and runs Debian's chromium (CHROME_PATH),
headless, with its default mobile emulation (a mid-range phone on a slow 4G network). One run per
page takes some 20 s: too slow for `make test`, so it is measured here only."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PAGES = {"home": "", "support": "support/", "licenses": "licenses/"}
TARGET = 90


def score(url: str, out: Path) -> int:
    """The page's mobile performance score, from Lighthouse's JSON report."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance",
            "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        timeout=300,
    )
    return round(json.loads(out.read_text())["categories"]["performance"]["score"] * 100)


def run() -> list[str]:
    from tests.support.stack import LocalStack

    lines = ["Lighthouse, mobile performance (local stack, gzip; target >= 90):"]
    if not LIGHTHOUSE.exists() or not Path(CHROMIUM).exists():
        return [*lines, "  skipped: needs `npm ci` (lighthouse) and Debian's chromium (make chromium)"]
    with tempfile.TemporaryDirectory() as tmp:
        stack = LocalStack(Path(tmp) / "state").wait_ready()
        try:
            for name, path in PAGES.items():
                value = score(stack.url + path, Path(tmp) / f"{name}.json")
                lines.append(f"  {name:<10} {value:>3}  {'ok' if value >= TARGET else 'BELOW TARGET'}")
        finally:
            stack.stop()
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
