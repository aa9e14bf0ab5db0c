"""Shared set-up for in-process benchmarks: the backend on moto, test identities, timers."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
BACKEND = ROOT / "backend"

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "TABLE_NAME": "portal-bench",
    "USER_POOL_ID": "us-east-1_test",
    "USER_POOL_CLIENT_ID": "test-client",
    "CURSOR_SECRET": "bench-secret",
}


def prepare_process() -> None:
    """Call before the backend is first used: its settings are read once."""
    os.environ.update(ENVIRONMENT)
    os.environ.pop("AWS_ENDPOINT_URL", None)


@contextlib.contextmanager
def trusted_test_keys() -> Iterator[None]:
    """The backend verifies tokens against the test suite's keys (tests.support.tokens), not Cognito's."""
    from chalicelib.identity import auth
    from tests.support import tokens

    with mock.patch.object(auth.jwks, "_fetch", tokens.public_keys):
        yield


def median_ms(call: Callable[[], object], repeat: int = 50) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def fresh_interpreter(code: str) -> str:
    """What ``code`` prints, run in a new interpreter started in backend/ (as Lambda starts it)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BACKEND,
        capture_output=True,
        text=True,
        env={**ENVIRONMENT, "PATH": os.environ.get("PATH", "")},
        check=True,
    ).stdout


def cold_import_ms(statement: str, repeat: int = 9) -> float:
    """Median wall time of ``statement`` in fresh interpreters started in backend/."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    return statistics.median(float(fresh_interpreter(code)) * 1000 for _ in range(repeat))
