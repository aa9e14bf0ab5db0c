"""The ticket report's cost with a year of aggregates: the Queries and items read by
GET /reports/tickets for 52 weeks (and the longest range, 104), and its median in-process latency."""

from __future__ import annotations

import json
from datetime import date, timedelta

from bench.harness import median_ms, prepare_process, trusted_test_keys

BUCKETS, ORGS = 30, 50  # first-response buckets hit per week; organisations with open tickets


def run() -> list[str]:
    prepare_process()
    from moto import mock_aws

    with mock_aws(), trusted_test_keys():
        return _measure()


def _measure() -> list[str]:
    from chalice.test import Client

    from app import app
    from chalicelib.core.table import PortalItem
    from chalicelib.reports import weeks
    from chalicelib.reports.models import BACKLOG_PK, WEEKS_PK, ReportCountItem
    from chalicelib.tickets.schemas import PRIORITIES, TAGS
    from tests.support import tokens
    from tests.support.dynamo import counting_requests, recording_queries

    PortalItem.create_table(wait=True)
    start = date(2025, 1, 6)  # a Monday: two years of weeks, 2025-W02 on
    with ReportCountItem.batch_write() as batch:
        for n in range(104):
            week = weeks.week_of(start + timedelta(weeks=n))
            sks = [f"{week}#{m}" for m in ("created", "solved", "csat#good", "csat#bad")]
            sks += [f"{week}#first_response#{b:03d}" for b in range(20, 20 + BUCKETS)]
            for sk in sks:
                batch.save(ReportCountItem(WEEKS_PK, sk, value=7))
        backlog = ["status#open", "status#pending", *(f"priority#{p}" for p in PRIORITIES), *(f"tag#{t}" for t in TAGS)]
        for sk in backlog + [f"org#org{n:03d}" for n in range(ORGS)]:
            batch.save(ReportCountItem(BACKLOG_PK, sk, value=3))
    agent = {
        "Authorization": "Bearer " + tokens.sign(tokens.claims_for("agent@vendor.example", "vendor", ("support",)))
    }
    per_week = 4 + BUCKETS
    lines = [
        f"Reports: GET /reports/tickets over aggregates of {per_week} counts a week and a backlog of "
        f"{len(backlog) + ORGS} counts ({ORGS} organisations), in-process on moto",
        f"  {'range':<10} {'requests':>8} {'Queries':>7} {'items read':>10} {'median ms':>9}",
    ]
    with Client(app) as client:
        for count in (52, 104):
            last = weeks.week_of(start + timedelta(weeks=103))
            first = weeks.week_of(start + timedelta(weeks=104 - count))
            path = f"/reports/tickets?from={first}&to={last}"

            def call(path=path):
                response = client.http.request("GET", path, headers=agent)
                assert response.status_code == 200, response.body
                return json.loads(response.body)

            with counting_requests() as requests, recording_queries() as queries:
                call()
            lines.append(
                f"  {f'{count} weeks':<10} {sum(requests.values()):>8} {len(queries):>7} "
                f"{sum(q['scanned'] for q in queries):>10} {median_ms(call, repeat=3):>9.1f}"
            )
    lines.append(
        "  (the milliseconds are moto's response serializer, a few ms per item; on DynamoDB each Query is "
        "one page: about 80 bytes an item, well under 1 MB)"
    )
    return lines
