"""Builds the MkDocs site for the local server and rebuilds it when a page changes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from infra.local.settings import ROOT

WATCHED = [ROOT / "docs", ROOT / "mkdocs.yml", ROOT / "backend" / "chalicelib"]


def build(site_dir: Path) -> float:
    """Build into site_dir; returns the seconds it took. A failed build keeps the old site."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(f"[site] build failed, serving the previous build:\n{result.stderr[-2000:]}", flush=True)
    return time.monotonic() - started


def _snapshot() -> dict[Path, float]:
    stamps = {}
    for watched in WATCHED:
        paths = watched.rglob("*") if watched.is_dir() else [watched]
        for path in paths:
            if path.is_file():
                stamps[path] = path.stat().st_mtime
    return stamps


def watch(site_dir: Path, stop: threading.Event, interval: float = 1.0) -> threading.Thread:
    """Rebuild in the background whenever a page (or the config) changes: edit, reload, see it."""

    def loop() -> None:
        seen = _snapshot()
        while not stop.wait(interval):
            current = _snapshot()
            if current != seen:
                seen = current
                print(f"[site] change seen, rebuilt in {build(site_dir):.1f} s", flush=True)

    thread = threading.Thread(target=loop, name="site-watcher", daemon=True)
    thread.start()
    return thread
