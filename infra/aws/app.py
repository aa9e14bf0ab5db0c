#!/usr/bin/env python3
"""The CDK app: one portal stack for the stage named in context (``-c stage=dev|prod``).

Synthesises offline (``make synth``); deploys with ``make deploy``. See docs/install/aws.md.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# Chalice imports the backend's `app` module while packaging: this file must not shadow it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from infra.aws.synth import build_app  # noqa: E402

if __name__ == "__main__":
    try:
        build_app().synth()
    except ValueError as error:  # a context problem: say what to fix, no traceback
        sys.exit(str(error))
