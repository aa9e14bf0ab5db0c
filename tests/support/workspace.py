"""The support team of the workspace tests: support users recorded as the vendor's users, as
inviting them records them (identity.users.invite_user), and a helper to assign tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.users import ADMIN, AGENT, ALICE, User

AGENT2 = User("agent2@vendor.example", "vendor", ("support",))
OPEN = 5  # open tickets among the many write_tickets writes


@pytest.fixture
def team(aws):
    from chalicelib.identity.auth import operator
    from chalicelib.identity.organisations import create_organisation, record_member

    create_organisation(operator("tests"), {"org": "vendor", "name": "Vendor Support"})
    for user, roles in ((AGENT, ["support"]), (AGENT2, ["support"]), (ADMIN, ["admin"])):
        record_member("vendor", user.email, roles)
    return (AGENT, AGENT2, ADMIN)


def assign(api, number: int, assignee: str | None, by: User = AGENT):
    version = api.get(f"/tickets/{number}", by).json["version"]
    response = api.patch(f"/tickets/{number}", by, {"version": version, "assignee": assignee})
    assert response.status_code == 200, response.body
    return response.json


def write_tickets(
    count: int, *, open_every: int | None = None, description=lambda n: "It fails.", tags=lambda n: ["Bug"]
) -> list[int]:
    """``count`` tickets written directly (batch writes), each with the keys a change would give it;
    every ``open_every``-th one open (the oldest first), the rest closed. Returns the open numbers."""
    from chalicelib.core.clock import parse, stamp
    from chalicelib.tickets import queue, sla
    from chalicelib.tickets.models import TICKET_SK, TicketItem, searchable, ticket_pk

    start = parse("2026-01-01T00:00:00.000000Z")
    opened: list[int] = []
    with TicketItem.batch_write() as batch:
        for number in range(1, count + 1):
            at = stamp(start + timedelta(minutes=number))
            is_open = open_every is not None and number % open_every == 1 and len(opened) < OPEN
            timer = sla.timer(sla.FIRST, at, "normal") if is_open else None
            org = "acme" if number % 2 else "globex"
            item = TicketItem(
                ticket_pk(number),
                TICKET_SK,
                number=number,
                org=org,
                title=f"Ticket {number}",
                description=description(number),
                search_text=searchable(f"Ticket {number}", description(number)),
                tags=tags(number),
                status="open" if is_open else "closed",
                priority="normal",
                created_at=at,
                created_by=ALICE.email if org == "acme" else "carol@globex.example",
                created_by_id="",
                updated_at=at,
                updated_by=ALICE.email,
                closed_at=None if is_open else at,
                version=1,
                message_count=0,
                assignee=(AGENT.email if number % 3 else AGENT2.email) if number % 4 else None,
                sla_kind=timer.kind if timer else None,
                sla_started_at=timer.started_at if timer else None,
                due_at=timer.due_at if timer else None,
            )
            for name, key in queue.index_keys(queue.Position.of(item)).items():
                setattr(item, name, key)
            batch.save(item)
            if is_open:
                opened.append(number)
    return opened
