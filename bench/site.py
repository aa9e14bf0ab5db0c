"""The site's weight and build time: the widgets' JavaScript and CSS as pages load them (one
bundle each, docs/hooks/widget_bundle.py), gzipped, against the budgets of issue 4 (15 KB and
4 KB for all widgets together), and how long `mkdocs build` takes."""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "docs" / "assets" / "portal"
BUDGETS = {"js": 15 * 1024, "css": 4 * 1024}


def gzipped(paths: list[Path]) -> int:
    """Bytes on the wire: each file is served, and compressed, on its own."""
    return sum(len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)) for path in paths)


def weights(directory: Path, served: bool) -> dict[str, tuple[int, int, int]]:
    """{"js"|"css": (files, raw bytes, gzipped bytes)}: the bundles of a built site (served)
    or the source files."""
    out = {}
    for kind in BUDGETS:
        files = sorted(directory.glob(f"*.{kind}"))
        if served and (directory / f"widgets.{kind}").exists():
            files = [directory / f"widgets.{kind}"]
        elif not served:
            files = [f for f in files if not f.name.startswith("widgets.")]
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
    with tempfile.TemporaryDirectory() as tmp:
        seconds = build(Path(tmp))
        served = weights(Path(tmp) / "assets" / "portal", served=True)
    sources = weights(SOURCES, served=False)
    lines = ["Site"]
    for kind, budget in BUDGETS.items():
        files, raw, packed = served[kind]
        verdict = "within" if packed <= budget else "OVER"
        lines.append(
            f"  widget {kind.upper():<3} as served: {raw / 1024:5.1f} KB, {packed / 1024:4.1f} KB gzipped "
            f"({verdict} the {budget // 1024} KB budget); sources: {sources[kind][0]} files, "
            f"{sources[kind][1] / 1024:5.1f} KB, {sources[kind][2] / 1024:4.1f} KB gzipped"
        )
    lines.append(f"  mkdocs build          {seconds:.1f} s")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
