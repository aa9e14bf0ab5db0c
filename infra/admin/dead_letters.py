"""`bin/portal dead-letters ...`: notification records that kept failing — list and replay them."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime


def register(subparsers: argparse._SubParsersAction) -> None:
    letters = subparsers.add_parser(
        "dead-letters", help="notifications that could not be sent (the dead-letter queue)"
    ).add_subparsers(dest="action", required=True)
    letters.add_parser("list", help="list the dead letters, oldest first").set_defaults(run=_list)
    replay = letters.add_parser("replay", help="send a dead letter's mails again (each mail at most once)")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", help="the letter's id from 'list' (6 characters or more)")
    which.add_argument("--all", action="store_true", help="replay every dead letter")
    replay.set_defaults(run=_replay)


def _when(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC") if seconds else "-"


def _line(letter: dict) -> str:
    attempts = f"{letter['attempts']} attempts" if letter.get("attempts") is not None else ""
    return f"{letter['id'][:12]}  {_when(letter['sent'])}  {letter['what']}\n{'':14}{attempts}  {letter['error'][:160]}"


def _list(args) -> str:
    from chalicelib.mail.dead_letters import list_dead_letters

    letters = list_dead_letters()
    if not letters:
        return "No dead letters: every notification was delivered."
    return "\n".join(_line(letter) for letter in letters) + f"\n{len(letters)} dead letter(s)."


def _replay(args) -> str:
    from chalicelib.mail.dead_letters import replay

    results = replay(None if args.all else [args.id])
    if not results:
        return "No dead letters to replay."
    lines = [
        f"{r['id'][:12]}  {'replayed' if r['replayed'] else 'still failing'}: {r['what']} ({r['outcome']})"
        for r in results
    ]
    done = sum(r["replayed"] for r in results)
    return "\n".join(lines) + f"\n{done} of {len(results)} replayed; the rest stay in the queue."
