"""Concurrent writers: optimistic locking holds, and no response is lost."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from chalicelib.core.errors import Conflict
from chalicelib.identity.auth import Principal
from chalicelib.tickets import changes as tickets

ALICE = Principal("sub-alice", "alice@acme.example", "acme", frozenset())
BOB = Principal("sub-bob", "bob@acme.example", "acme", frozenset())
AGENT = Principal("sub-agent", "agent@vendor.example", "vendor", frozenset({"support"}))


def raise_ticket() -> int:
    return tickets.create_ticket(ALICE, {"title": "Race", "description": "d", "tags": ["Bug"]})["number"]


def test_two_updates_with_the_same_version_give_one_success_and_one_conflict(aws):
    number = raise_ticket()
    start = Barrier(2)

    def update(who, title):
        start.wait()
        try:
            tickets.update_ticket(who, number, {"version": 1, "title": title})
            return 200
        except Conflict:
            return 409

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(update, (ALICE, BOB), ("Alice's title", "Bob's title")))
    assert outcomes == [200, 409]
    detail = tickets.get_ticket(ALICE, number)
    assert detail["version"] == 2
    assert detail["title"] in ("Alice's title", "Bob's title")
    assert [h["kind"] for h in detail["history"]] == ["created", "updated"]


def test_twenty_parallel_responses_are_all_stored_in_order(aws):
    number = raise_ticket()
    start = Barrier(20)

    def respond(i):
        start.wait()
        who = AGENT if i % 2 else BOB
        return tickets.add_message(who, number, {"body": f"response {i}"})["message"]["created_at"]

    with ThreadPoolExecutor(20) as pool:
        times = list(pool.map(respond, range(20)))
    detail = tickets.get_ticket(AGENT, number)
    assert len(detail["messages"]) == 20
    assert sorted(m["body"] for m in detail["messages"]) == sorted(f"response {i}" for i in range(20))
    assert [m["created_at"] for m in detail["messages"]] == sorted(times)
    assert detail["message_count"] == 20
    assert detail["version"] == 21
    assert len([h for h in detail["history"] if h["kind"] == "responded"]) == 20


def test_parallel_creates_get_distinct_sequential_numbers(aws):
    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(lambda _: raise_ticket(), range(16)))
    assert sorted(numbers) == list(range(1, 17))
