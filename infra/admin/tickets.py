"""`bin/portal reindex-tickets`: give tickets stored before the workspace's indexes their keys."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    subparsers.add_parser(
        "reindex-tickets",
        help="write every ticket's view keys, search text and SLA timer, then recount the queue",
    ).set_defaults(run=_reindex)


def _reindex(args) -> str:
    from chalicelib.tickets.reindex import reindex_tickets

    done = reindex_tickets()
    return (
        f"Reindexed {done['tickets']} ticket(s) ({done['changed meanwhile']} changed meanwhile, keyed by that "
        f"change); {done['counters']} queue counter(s) set."
    )
