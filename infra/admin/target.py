"""Point the backend at a stack (its settings are read once, on first use), and who acts there."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_FOR_AWS = ("TABLE_NAME", "USER_POOL_ID")


def use_stack(stack: str, state_dir: Path) -> None:
    if stack == "local":
        env_file = state_dir / "env.json"
        if not env_file.is_file():
            sys.exit(f"No local stack found ({env_file} is missing): start it with 'make dev' first.")
        os.environ.update(json.loads(env_file.read_text()))
    else:
        missing = [name for name in REQUIRED_FOR_AWS if not os.environ.get(name)]
        if missing:
            sys.exit(
                f"--stack aws needs {', '.join(missing)} in the environment "
                "(the stack's outputs; see the deployment guide) and AWS credentials."
            )


def acting_admin():
    """Every command goes through the admin API's use cases, as an admin named after the OS user."""
    from chalicelib.identity.auth import operator

    return operator(getpass.getuser())
