"""The backfill of tickets stored before the workspace's indexes (bin/portal reindex-tickets)."""

from tests.support.users import AGENT, ALICE

OLD_KEYS = [f"gsi{n}{part}" for n in range(3, 8) for part in ("pk", "sk")]


def make_old(number: int) -> None:
    """What an older release stored: no keys in the new indexes, no search text, no SLA timer."""
    from chalicelib.tickets.models import TICKET_SK, CounterItem, TicketItem, ticket_pk
    from chalicelib.tickets.queue import COUNTER_PK

    fields = ("search_text", "sla_kind", "sla_started_at", "due_at", *OLD_KEYS)
    TicketItem(ticket_pk(number), TICKET_SK).update(actions=[getattr(TicketItem, f).remove() for f in fields])
    for item in CounterItem.query(COUNTER_PK, CounterItem.sk.startswith("QUEUE#")):
        item.delete()


def test_reindexing_puts_old_tickets_into_their_views_and_recounts_the_queue(api, team):
    from chalicelib.tickets.reindex import reindex_tickets

    open_one = api.new_ticket(ALICE, title="Kerberos loops")["number"]
    closed = api.new_ticket(ALICE)["number"]
    api.post(f"/tickets/{closed}/close", ALICE)
    for number in (open_one, closed):
        make_old(number)
    assert api.get("/tickets?status=open", AGENT).json["items"] == []
    assert api.get("/tickets/counts", AGENT).json["open"] == 0

    assert reindex_tickets() == {"tickets": 2, "changed meanwhile": 0, "counters": 2}
    assert [t["number"] for t in api.get("/tickets?status=open", AGENT).json["items"]] == [open_one]
    assert [t["number"] for t in api.get("/tickets?view=unassigned&status=closed", AGENT).json["items"]] == [closed]
    assert [t["number"] for t in api.get("/tickets?q=kerberos", ALICE).json["items"]] == [open_one]
    assert [t["number"] for t in api.get("/tickets?sort=due", AGENT).json["items"]] == [open_one]
    assert api.get("/tickets/counts", AGENT).json == {
        "unassigned": 1,
        "mine": 0,
        "open": 1,
        "pending": 0,
        "breached": 0,
    }


def test_reindexing_twice_changes_nothing_more(api, team):
    from chalicelib.tickets.reindex import reindex_tickets

    api.new_ticket(ALICE)
    reindex_tickets()
    before = api.get("/tickets/counts", AGENT).json
    reindex_tickets()
    assert (
        api.get("/tickets/counts", AGENT).json
        == before
        == {
            "unassigned": 1,
            "mine": 0,
            "open": 1,
            "pending": 0,
            "breached": 0,
        }
    )
