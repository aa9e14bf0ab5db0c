"""`make bench`: every benchmark of the project, printing its figures."""

from __future__ import annotations

import importlib
import sys

# Each module's run() measures one area and returns the lines to print.
SUITES = [
    "bench.tickets",
    "bench.workspace",
    "bench.reports",
    "bench.attachments",
    "bench.licenses",
    "bench.notifications",
    "bench.site",
    "bench.local_stack",
    "bench.lighthouse",
]


def main() -> int:
    for name in SUITES:
        print("\n".join(importlib.import_module(name).run()), flush=True)
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
