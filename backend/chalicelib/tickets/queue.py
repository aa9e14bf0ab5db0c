"""Where a ticket stands in the support queue: its keys in the views' indexes and the counters
it adds to (``GET /tickets/counts``). Pure functions of the ticket's state; every change writes
what they give in the same transaction as the change itself (the key table is in core.table).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

QUEUE_PK = "TICKETS"  # gsi2: the support queue across organisations
DUE_PK = "DUE"  # gsi7: tickets awaiting support's response
UNASSIGNED = "-"  # in the assignee indexes' keys: nobody's yet
COUNTER_PK = "COUNTER"
COUNTERS = ("unassigned", "mine", "open", "pending", "breached")


@dataclass(frozen=True)
class Position:
    number: int
    org: str
    status: str
    assignee: str | None
    updated_at: str
    due_at: str | None
    breached: bool

    @classmethod
    def of(cls, ticket: Any) -> Position:
        return cls(
            number=int(ticket.number),
            org=ticket.org,
            status=ticket.status,
            assignee=ticket.assignee,
            updated_at=ticket.updated_at,
            due_at=ticket.due_at,
            breached=ticket.breached_at is not None,
        )


def activity_sk(updated_at: str, number: int) -> str:
    return f"{updated_at}#{number:010d}"


def org_pk(org: str) -> str:
    return f"ORG#{org}#TICKETS"


def org_status_pk(org: str, status: str) -> str:
    return f"ORG#{org}#TICKETS#{status}"


def status_pk(status: str) -> str:
    return f"TICKETS#{status}"


def assignee_pk(assignee: str | None) -> str:
    return f"ASSIGNEE#{assignee or UNASSIGNED}"


def assignee_status_pk(assignee: str | None, status: str) -> str:
    return f"{assignee_pk(assignee)}#{status}"


def due_sk(due_at: str, number: int) -> str:
    return f"{due_at}#{number:010d}"


def index_keys(position: Position) -> dict[str, str | None]:
    """Every index attribute of the ticket; None: not in that (sparse) index."""
    activity = activity_sk(position.updated_at, position.number)
    keys: dict[str, str | None] = {
        "gsi1pk": org_pk(position.org),
        "gsi2pk": QUEUE_PK,
        "gsi3pk": org_status_pk(position.org, position.status),
        "gsi4pk": status_pk(position.status),
        "gsi5pk": assignee_pk(position.assignee),
        "gsi6pk": assignee_status_pk(position.assignee, position.status),
    }
    keys.update({name.replace("pk", "sk"): activity for name in list(keys)})
    due = position.due_at is not None
    keys["gsi7pk"] = DUE_PK if due else None
    keys["gsi7sk"] = due_sk(position.due_at, position.number) if position.due_at is not None else None
    return keys


def counter_sk(name: str, agent: str | None = None) -> str:
    return f"QUEUE#{name}#{agent}" if agent else f"QUEUE#{name}"


def counted(position: Position | None) -> Counter[str]:
    """The counters (their sort keys) this ticket adds one to."""
    names: Counter[str] = Counter()
    if position is None or position.status == "closed":
        return names
    names[counter_sk(position.status)] += 1
    names[counter_sk("mine", position.assignee) if position.assignee else counter_sk("unassigned")] += 1
    if position.breached:
        names[counter_sk("breached")] += 1
    return names


def counter_deltas(before: Position | None, after: Position | None) -> dict[str, int]:
    """What a change adds to each counter: +1 where the ticket now counts, -1 where it did."""
    deltas = Counter(counted(after))
    deltas.subtract(counted(before))
    return {name: delta for name, delta in deltas.items() if delta}
