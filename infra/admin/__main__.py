"""bin/portal — administer a Customer Portal stack (the local one by default).

Examples:
  bin/portal org create acme "Acme Corp"
  bin/portal user invite alice@acme.example --org acme
  bin/portal user invite agent@vendor.example --org vendor --group support
  bin/portal --stack aws org list
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from infra.admin.target import ROOT, use_stack

# Each module adds its commands with register(subparsers); every command's `run` returns text.
COMMAND_MODULES = ["infra.admin.orgs", "infra.admin.licenses", "infra.admin.dead_letters", "infra.admin.tickets"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bin/portal", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--stack",
        choices=["local", "aws"],
        default="local",
        help="local: the running `make dev` stack; aws: the stack named by the "
        "environment (TABLE_NAME, USER_POOL_ID, AWS credentials)",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=ROOT / ".local-stack",
        help="the local stack's state folder (default .local-stack)",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


GLOBAL_OPTIONS = ("--stack", "--state-dir")


def _globals_first(argv: list[str]) -> list[str]:
    """Accept --stack/--state-dir anywhere (`bin/portal user invite ... --stack aws`), as people type them."""
    front, rest, i = [], [], 0
    while i < len(argv):
        name = argv[i].split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            takes_value = "=" not in argv[i] and i + 1 < len(argv)
            front += argv[i : i + 1 + takes_value]
            i += 1 + takes_value
        else:
            rest.append(argv[i])
            i += 1
    return front + rest


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(_globals_first(argv))
    use_stack(args.stack, args.state_dir)
    from chalicelib.core.errors import DomainError

    try:
        print(args.run(args))
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
