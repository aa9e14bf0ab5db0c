"""Idempotency-Key: a retry returns the first result and stores nothing twice."""

from tests.support.users import AGENT, ALICE, BOB

TICKET = {"title": "Retry me", "description": "The network dropped.", "tags": ["Bug"]}


def test_retried_create_returns_the_first_ticket_and_stores_one(api):
    first = api.post("/tickets", ALICE, TICKET, headers={"Idempotency-Key": "create-1"})
    retry = api.post("/tickets", ALICE, TICKET, headers={"Idempotency-Key": "create-1"})
    assert first.status_code == retry.status_code == 201
    assert retry.json["number"] == first.json["number"]
    assert len(api.get("/tickets", AGENT).json["items"]) == 1


def test_same_key_from_another_user_is_another_request(api):
    api.post("/tickets", ALICE, TICKET, headers={"Idempotency-Key": "shared"})
    api.post("/tickets", BOB, TICKET, headers={"Idempotency-Key": "shared"})
    assert len(api.get("/tickets", AGENT).json["items"]) == 2


def test_reusing_a_key_for_a_different_ticket_is_a_conflict(api):
    api.post("/tickets", ALICE, TICKET, headers={"Idempotency-Key": "k"})
    response = api.post("/tickets", ALICE, {**TICKET, "title": "Other"}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 409
    assert "different request" in response.json["Message"]
    assert len(api.get("/tickets", AGENT).json["items"]) == 1


def test_retried_response_returns_the_first_message_and_stores_one(api):
    number = api.new_ticket()["number"]
    first = api.post(
        f"/tickets/{number}/messages", ALICE, {"body": "Logs attached"}, headers={"Idempotency-Key": "msg-1"}
    )
    retry = api.post(
        f"/tickets/{number}/messages", ALICE, {"body": "Logs attached"}, headers={"Idempotency-Key": "msg-1"}
    )
    assert first.status_code == retry.status_code == 201
    assert retry.json["message"] == first.json["message"]
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert len(detail["messages"]) == 1
    assert detail["message_count"] == 1
    assert [h["kind"] for h in detail["history"]] == ["created", "responded"]


def test_requests_without_a_key_are_not_deduplicated(api):
    api.post("/tickets", ALICE, TICKET)
    api.post("/tickets", ALICE, TICKET)
    assert len(api.get("/tickets", AGENT).json["items"]) == 2
