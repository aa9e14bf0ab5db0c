#!/usr/bin/env python3
"""The CDK app: one portal stack for the stage named in context (``-c stage=dev|prod``).

Run by the cdk CLI (``make deploy``, ``npx cdk ...``), which passes cdk.json's context, or
directly, offline (``make synth``): ``python -P app.py [-c name=value ...]`` reads cdk.json's
context itself and writes the template to cdk.out/. See docs/install/aws.md.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from infra.aws.synth import build_app

# Run as `python -P app.py` (cdk.json, `make synth`): Chalice imports the backend's `app` module
# while packaging, and -P keeps this directory (and so this file) off sys.path. The venv puts
# the repository and backend/ on sys.path.
HERE = Path(__file__).resolve().parent


def _direct_run_context(argv: list[str]) -> dict[str, str]:
    """cdk.json's context, then ``-c name=value`` arguments, as the CLI would pass them."""
    context = json.loads((HERE / "cdk.json").read_text()).get("context", {})
    args = iter(argv)
    for arg in args:
        if arg in ("-c", "--context"):
            name, _, value = next(args, "").partition("=")
            context[name] = value
    return context


def main(argv: list[str]) -> int:
    under_cli = "CDK_CONTEXT_JSON" in os.environ or "CDK_OUTDIR" in os.environ
    try:
        if under_cli:
            build_app().synth()
        else:
            os.chdir(HERE)  # chalice.out/ lands next to cdk.out/
            build_app(_direct_run_context(argv), outdir=str(HERE / "cdk.out")).synth()
            print(f"Template written to {HERE / 'cdk.out'}", file=sys.stderr)
    except ValueError as error:  # a context problem: say what to fix, no traceback
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
