"""Reports (PRODUCT.md §3.4): GET /reports/tickets from the aggregates the stream handler keeps,
against a hand-counted fixture with the clock controlled; redelivered records count once; the
backlog moves with each change; the range's rules."""

from __future__ import annotations

import pytest

from tests.support.reports import report, weeks_by_name
from tests.support.users import ADMIN, AGENT, ALICE, BOB, CAROL

W46, W47, W48 = "2026-W46", "2026-W47", "2026-W48"  # Mondays 9, 16 and 23 November 2026
RANGE = f"?from={W46}&to=2026-11-29"


def _ok(response):
    assert response.status_code in (200, 201), response.body
    return response.json


def _close(api, number, user=AGENT):
    return _ok(api.post(f"/tickets/{number}/close", user))


def _respond(api, number, user=AGENT, body="Try the offline installer."):
    return _ok(api.post(f"/tickets/{number}/messages", user, {"body": body}))


def _rate(api, number, user, score):
    return _ok(api.post(f"/tickets/{number}/rating", user, {"score": score}))


@pytest.fixture
def fixture(api, pump, clock):
    """Five tickets over three weeks, each change at a set time, the stream pumped after each.

    ======  ==========================  ===================  ============  =====================
    ticket  raised (week)               first response       closed        rating
    ======  ==========================  ===================  ============  =====================
    1       alice, Mon 9 Nov (46)       +30 min (46)         Wed 11 (46)   bad, changed to good
    2       carol, Tue 10 Nov (46)      +50 min (46)         Tue 17 (47)   bad
    3       bob, Mon 16 Nov (47)        +10 min (47)         no: pending
    4       alice, Wed 18 Nov (47)      none; priority high  no: open
    5       carol, Mon 23 Nov (48)      +24 h (48)           Tue 24 (48)   good, then re-opened
    ======  ==========================  ===================  ============  =====================
    """

    def at(moment, action):
        clock.set(moment)
        answer = action()
        pump()
        return answer

    t1 = at("2026-11-09T09:00:00Z", lambda: api.new_ticket(ALICE, tags=["Installation"]))["number"]
    at("2026-11-09T09:30:00Z", lambda: _respond(api, t1))
    t2 = at("2026-11-10T12:00:00Z", lambda: api.new_ticket(CAROL, tags=["Bug"]))["number"]
    at("2026-11-10T12:50:00Z", lambda: _respond(api, t2))
    at("2026-11-10T13:00:00Z", lambda: _respond(api, t2, CAROL, "Still broken."))  # not a first response
    at("2026-11-11T10:00:00Z", lambda: _close(api, t1))
    at("2026-11-11T11:00:00Z", lambda: _rate(api, t1, ALICE, "bad"))
    at("2026-11-12T11:00:00Z", lambda: _rate(api, t1, ALICE, "good"))
    t3 = at("2026-11-16T08:00:00Z", lambda: api.new_ticket(BOB, tags=["Bug", "Question"]))["number"]
    at("2026-11-16T08:10:00Z", lambda: _respond(api, t3))
    at("2026-11-17T09:00:00Z", lambda: _close(api, t2))
    at("2026-11-17T10:00:00Z", lambda: _rate(api, t2, CAROL, "bad"))
    t4 = at("2026-11-18T10:00:00Z", lambda: api.new_ticket(ALICE, tags=["Feature Request"]))["number"]
    version = api.get(f"/tickets/{t4}", AGENT).json["version"]
    at(
        "2026-11-18T10:05:00Z",
        lambda: _ok(api.patch(f"/tickets/{t4}", AGENT, {"version": version, "priority": "high"})),
    )
    t5 = at("2026-11-23T09:00:00Z", lambda: api.new_ticket(CAROL, tags=["Bug"]))["number"]
    at("2026-11-24T09:00:00Z", lambda: _respond(api, t5))
    at("2026-11-24T10:00:00Z", lambda: _close(api, t5))
    at("2026-11-24T11:00:00Z", lambda: _rate(api, t5, CAROL, "good"))
    at("2026-11-25T09:00:00Z", lambda: _ok(api.post(f"/tickets/{t5}/reopen", CAROL)))
    return [t1, t2, t3, t4, t5]


def test_every_number_of_the_report_as_counted_by_hand(api, fixture):
    answer = report(api, RANGE)
    assert (answer["from"], answer["to"]) == (W46, W48)
    rows = weeks_by_name(answer)
    assert list(rows) == [W46, W47, W48]
    assert rows[W46] == {
        "week": W46,
        "starts_on": "2026-11-09",
        "created": 2,
        "solved": 1,
        "first_responses": 2,
        "median_first_response_minutes": 40.0,  # (30 + 50) / 2: exact below an hour
        "csat_good": 1,  # ticket 1's bad became good
        "csat_bad": 0,
        "csat_share": 1.0,
    }
    assert rows[W47] == {
        "week": W47,
        "starts_on": "2026-11-16",
        "created": 2,
        "solved": 1,
        "first_responses": 1,
        "median_first_response_minutes": 10.0,
        "csat_good": 0,
        "csat_bad": 1,  # ticket 2, closed in week 47
        "csat_share": 0.0,
    }
    w48 = rows[W48]
    assert w48["median_first_response_minutes"] == pytest.approx(1440, rel=0.025)  # a day, within 2.5 %
    del w48["median_first_response_minutes"]
    assert w48 == {
        "week": W48,
        "starts_on": "2026-11-23",
        "created": 1,
        "solved": 1,
        "first_responses": 1,
        "csat_good": 0,  # ticket 5's good rating went with its re-opening
        "csat_bad": 0,
        "csat_share": None,
    }
    assert answer["backlog"] == {
        "by_status": {"open": 2, "pending": 1},  # 4 and 5 open, 3 pending
        "by_priority": {"low": 0, "normal": 2, "high": 1, "urgent": 0},
        "by_tag": {"Bug": 2, "Installation": 0, "Feature Request": 1, "Help Wanted": 0, "Question": 1},
        "by_org": {"acme": 2, "globex": 1},
    }


def test_a_range_reports_only_its_weeks_and_admins_read_it_too(api, fixture):
    answer = report(api, f"?from=2026-11-17&to={W47}", ADMIN)  # a date stands for its week
    assert [row["week"] for row in answer["weeks"]] == [W47]
    assert answer["weeks"][0]["created"] == 2
    empty = report(api, "?from=2026-W40&to=2026-W41")
    assert [row["created"] + row["solved"] + row["first_responses"] for row in empty["weeks"]] == [0, 0]
    assert all(row["median_first_response_minutes"] is None for row in empty["weeks"])


def test_the_default_range_is_the_last_twelve_weeks(api, clock):
    clock.set("2026-11-25T12:00:00Z")
    answer = report(api)
    assert (answer["from"], answer["to"]) == ("2026-W37", W48)
    assert len(answer["weeks"]) == 12
    assert report(api, "?to=2026-W02")["from"] == "2025-W43"  # across a year of 52 weeks
    assert report(api, "?from=2026-W40")["to"] == W48


def test_redelivered_stream_records_count_once(api, pump, clock, monkeypatch):
    from chalicelib import streams

    delivered: list[dict] = []
    handle = streams.handle

    def recording(event):
        delivered.append(event)
        return handle(event)

    monkeypatch.setattr(streams, "handle", recording)
    clock.set("2026-11-16T08:00:00Z")
    number = api.new_ticket(ALICE, tags=["Bug"])["number"]
    clock.set("2026-11-16T08:20:00Z")
    _respond(api, number)
    _close(api, number)
    pump()
    first = report(api, f"?from={W47}&to={W47}")
    assert delivered and sum(len(event["Records"]) for event in delivered) >= 3
    for event in delivered:  # the same batches again: a retry, or a replay of the shard
        assert handle(event) == {"batchItemFailures": []}
    again = report(api, f"?from={W47}&to={W47}")
    assert again == first
    row = again["weeks"][0]
    assert (row["created"], row["solved"], row["first_responses"], row["median_first_response_minutes"]) == (
        1,
        1,
        1,
        20.0,
    )


def test_a_failed_count_is_retried_and_counts_once(api, pump, clock, monkeypatch):
    """A throttled transaction fails the record (partial batch response); the retry counts it."""
    from chalicelib.reports import aggregates

    clock.set("2026-11-16T08:00:00Z")
    real, calls = aggregates.transact, []

    def flaky(build):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("ProvisionedThroughputExceededException")
        return real(build)

    monkeypatch.setattr(aggregates, "transact", flaky)
    api.new_ticket(ALICE, tags=["Bug"])
    pump()
    assert len(calls) >= 2
    assert report(api, f"?from={W47}&to={W47}")["weeks"][0]["created"] == 1


def test_the_backlog_moves_with_status_priority_and_tag_changes(api, pump, clock):
    def backlog():
        pump()
        return report(api, f"?from={W47}&to={W47}")["backlog"]

    def nonzero(group):
        return {name: count for name, count in group.items() if count}

    clock.set("2026-11-16T08:00:00Z")
    number = api.new_ticket(ALICE, tags=["Bug"])["number"]
    now = backlog()
    assert nonzero(now["by_status"]) == {"open": 1} and nonzero(now["by_priority"]) == {"normal": 1}
    assert nonzero(now["by_tag"]) == {"Bug": 1} and now["by_org"] == {"acme": 1}

    version = api.get(f"/tickets/{number}", AGENT).json["version"]
    change = {"version": version, "tags": ["Question", "Help Wanted"], "priority": "urgent", "status": "pending"}
    _ok(api.patch(f"/tickets/{number}", AGENT, change))
    now = backlog()
    assert nonzero(now["by_status"]) == {"pending": 1} and nonzero(now["by_priority"]) == {"urgent": 1}
    assert nonzero(now["by_tag"]) == {"Question": 1, "Help Wanted": 1}

    _respond(api, number, ALICE, "Here are the logs.")  # pending -> open
    assert nonzero(backlog()["by_status"]) == {"open": 1}
    _close(api, number, ALICE)
    now = backlog()
    assert [nonzero(group) for group in now.values()] == [{}, {}, {}, {}]
    _ok(api.post(f"/tickets/{number}/reopen", ALICE))
    now = backlog()
    assert nonzero(now["by_status"]) == {"open": 1} and now["by_org"] == {"acme": 1}


def test_a_report_is_two_queries_and_reads_no_ticket(api, fixture):
    from tests.support.dynamo import counting_requests, recording_queries

    with counting_requests() as calls, recording_queries() as queries:
        report(api, RANGE)
    assert dict(calls) == {"Query": 2}  # no GetItem, no Scan: the tickets are not read
    assert [q["index"] for q in queries] == [None, None]  # the table's own REPORT# partitions
    assert sum(q["scanned"] for q in queries) < 40  # a few counts a week and the backlog's


@pytest.mark.parametrize("user", [ALICE, CAROL])
def test_customers_are_told_reports_are_for_support(api, user):
    response = api.get("/reports/tickets", user)
    assert response.status_code == 403
    assert response.json["Message"] == "Reports are for support."


@pytest.mark.parametrize(
    "query, named",
    [
        ("?from=2026-13-01", "from"),
        ("?to=2026-02-30", "to"),
        ("?from=2026-W54", "from"),
        ("?from=yesterday", "from"),
        ("?to=0000-01-01", "to"),
        ("?from=2026-W48&to=2026-W47", "from"),
        ("?from=2024-W01&to=2026-W01", "from"),  # 105 weeks
        ("?bogus=1", "bogus"),
    ],
)
def test_bad_ranges_are_a_400_naming_the_parameter(api, query, named):
    response = api.get(f"/reports/tickets{query}", AGENT)
    assert response.status_code == 400, response.body
    assert named in response.json["Message"]


def test_the_longest_range_is_104_weeks(api):
    answer = report(api, "?from=2024-W02&to=2026-W01")
    assert len(answer["weeks"]) == 104
    assert report(api, "?to=0001-W05")["from"] == "0001-W01"  # the default range stops at the calendar's start
