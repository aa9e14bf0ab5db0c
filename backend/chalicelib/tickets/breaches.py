"""The SLA breach check (a scheduled function, every few minutes): each ticket whose response is
overdue is marked once, in one transaction with the breached counter and an ``sla_breached``
event, which the stream handler mails to the assignee (else the inbox) like every other mail.

The mark's condition (not marked yet, still the same due time) makes a second run, or two runs at
once, write nothing more: one mail per breach. A response, a close or a new priority that gives
more time ends the breach (``changes``), and the next overdue timer is marked again.
"""

from __future__ import annotations

import uuid

from chalicelib.core.clock import now
from chalicelib.core.storage import ConditionFailed, transact
from chalicelib.core.table import PortalItem
from chalicelib.tickets import queue
from chalicelib.tickets.models import TICKET_SK, CounterItem, EventItem, TicketItem, ticket_pk

ACTOR = "SLA check"


def check_breaches(at: str | None = None) -> list[int]:
    """Mark every overdue ticket not marked yet; the numbers marked by this run."""
    moment = at or now()
    overdue = PortalItem.response_due.query(
        queue.DUE_PK,
        PortalItem.gsi7sk < f"{moment}~",  # due at or before this moment ("~" sorts after "#<number>")
        filter_condition=TicketItem.breached_at.does_not_exist(),
    )
    return [int(ticket.number) for ticket in overdue if isinstance(ticket, TicketItem) and _mark(ticket, moment)]


def _mark(ticket: TicketItem, moment: str) -> bool:
    number = int(ticket.number)
    event = EventItem(
        ticket_pk(number),
        f"EVT#{moment}#{uuid.uuid4().hex[:8]}",
        id=uuid.uuid4().hex,
        number=number,
        kind="sla_breached",
        actor=ACTOR,
        actor_role="support",
        at=moment,
        internal=True,  # support's business: never shown or mailed to customers
        changes={"due_at": {"to": ticket.due_at}, "sla": {"to": ticket.sla_kind}},
    )

    def build(tx):
        tx.update(
            TicketItem(ticket_pk(number), TICKET_SK),
            actions=[TicketItem.breached_at.set(moment)],
            condition=TicketItem.breached_at.does_not_exist()
            & (TicketItem.due_at == ticket.due_at)
            & (TicketItem.sla_started_at == ticket.sla_started_at),
        )
        tx.update(
            CounterItem(queue.COUNTER_PK, queue.counter_sk("breached")),
            actions=[CounterItem.item_type.set(CounterItem), CounterItem.value.add(1)],
        )
        tx.save(event)

    try:
        transact(build)
    except ConditionFailed:
        return False  # answered meanwhile, or another run marked it first
    return True
