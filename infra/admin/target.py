"""Point the backend at a stack before it is imported (its settings are read once)."""
from __future__ import annotations

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
            sys.exit(f"--stack aws needs {', '.join(missing)} in the environment "
                     "(the stack's outputs; see the deployment guide) and AWS credentials.")
    sys.path.insert(0, str(ROOT / "backend"))
