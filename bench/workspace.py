"""The agent workspace's views at scale: 10,000 tickets of which 5 are open. For each view, the
DynamoDB Queries and items read (ScannedCount) to show its first page and to show all five open
tickets, and the first page's median in-process latency: the keyed views of today beside the
filter approach they replaced (reconstructed below as it was: a filter expression over the
activity index, reading ahead min(4 x limit, 200) items a call)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from bench.harness import median_ms, prepare_process, trusted_test_keys

TICKETS, LIMIT = 10_000, 25


def run() -> list[str]:
    prepare_process()
    from moto import mock_aws

    with mock_aws(), trusted_test_keys():
        return _measure()


def _old_page(query: dict[str, Any], who: str, start: dict | None) -> tuple[list[int], dict | None]:
    """One page as GET /tickets answered it before the keyed views: one Query with filters."""
    from pynamodb.expressions.condition import Condition

    from chalicelib.core.table import PortalItem
    from chalicelib.tickets.models import TicketItem

    conditions: list[Condition] = []
    if "status" in query:
        conditions.append(TicketItem.status == query["status"])
    if query.get("view") == "mine":
        conditions.append(TicketItem.assignee == who)
    if query.get("view") == "unassigned":
        conditions.append(TicketItem.assignee.does_not_exist())
    condition = None
    for extra in conditions:
        condition = extra if condition is None else condition & extra
    org = query.get("org")
    index, partition = (PortalItem.by_org, f"ORG#{org}#TICKETS") if org else (PortalItem.across_orgs, "TICKETS")
    results = index.query(
        partition,
        filter_condition=condition,
        scan_index_forward=False,
        last_evaluated_key=start,
        page_size=LIMIT if condition is None else min(LIMIT * 4, 200),
    )
    page = next(results.page_iter)
    raw = page.get("Items", [])
    position = results.page_iter.last_evaluated_key
    if len(raw) > LIMIT:
        position = {name: raw[LIMIT - 1][name] for name in results.page_iter.key_names}
    return [int(item["number"]["N"]) for item in raw[:LIMIT]], position


def _measure() -> list[str]:
    from chalice.test import Client

    from app import app
    from chalicelib.core.table import PortalItem
    from chalicelib.identity.auth import operator
    from chalicelib.identity.organisations import create_organisation
    from tests.support import tokens
    from tests.support.dynamo import recording_queries
    from tests.support.workspace import write_tickets

    PortalItem.create_table(wait=True)
    for org in ("acme", "globex"):
        create_organisation(operator("bench"), {"org": org, "name": org})
    opened = write_tickets(TICKETS, open_every=1_999)
    agent_email = "agent@vendor.example"
    agent = {"Authorization": "Bearer " + tokens.sign(tokens.claims_for(agent_email, "vendor", ("support",)))}
    alice = {"Authorization": "Bearer " + tokens.sign(tokens.claims_for("alice@acme.example", "acme"))}
    views = [
        ("support: status=open", {"status": "open"}, agent),
        ("support: mine, open", {"view": "mine", "status": "open"}, agent),
        ("support: unassigned, open", {"view": "unassigned", "status": "open"}, agent),
        ("support: acme, open", {"org": "acme", "status": "open"}, agent),
        ("customer: status=open", {"status": "open", "org": "acme"}, alice),
    ]
    lines = [
        f"Workspace views: {TICKETS:,} tickets, {len(opened)} open, limit {LIMIT} (in-process on moto; "
        "items read = DynamoDB's ScannedCount)",
        f"  {'view':<28} {'approach':<8} {'first page: Queries':>19} {'items read':>10} {'tickets':>7} "
        f"{'all open: calls':>15} {'items read':>10} {'median ms':>9}",
    ]
    with Client(app) as client:

        def new_page(query: dict[str, Any], headers: dict[str, str], cursor: str | None) -> tuple[list[int], Any]:
            params = {k: v for k, v in query.items() if not (headers is alice and k == "org")}
            path = "/tickets?" + "&".join(f"{k}={v}" for k, v in {**params, "limit": LIMIT}.items())
            response = client.http.request("GET", path + (f"&cursor={cursor}" if cursor else ""), headers=headers)
            body = json.loads(response.body)
            return [t["number"] for t in body["items"]], body["next_cursor"]

        for name, query, headers in views:
            lines.append(_row(name, "keyed", functools.partial(new_page, query, headers), recording_queries))
            old = functools.partial(_old_page, query, agent_email)
            lines.append(_row(name, "filter", old, recording_queries, old=True))
    lines.append(
        "  (moto answers a Query on an index by walking the whole table, so its milliseconds grow with the "
        "table either way; on DynamoDB a Query's time follows the items it reads)"
    )
    return lines


def _row(name: str, approach: str, page: Callable[[Any], tuple[list[int], Any]], recording, old=False) -> str:
    with recording() as first:
        numbers, cursor = page(None)
    calls, total, seen = 1, list(first), list(numbers)
    while cursor:
        with recording() as queries:
            numbers, cursor = page(cursor)
        calls, seen = calls + 1, seen + numbers
        total += queries
    milliseconds = median_ms(lambda: page(None), repeat=10)
    label = name if not old else ""
    return (
        f"  {label:<28} {approach:<8} {len(first):>19} {sum(q['scanned'] for q in first):>10} {len(page(None)[0]):>7} "
        f"{calls:>15} {sum(q['scanned'] for q in total):>10} {milliseconds:>9.2f}"
    )
