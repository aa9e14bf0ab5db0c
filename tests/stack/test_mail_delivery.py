"""Over the real local stack: a ticket raised over HTTP is mailed through the stream worker
and the local SES, and shows in the mail viewer.

The tests wait for each mail with a generous deadline and assert what arrives, never how fast
(``make bench`` prints the delivery latency): a busy machine must not fail them.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]


def get(stack, path: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(stack.url + path.lstrip("/"), timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def mails(stack) -> list[dict]:
    return json.loads(get(stack, "_mail/api")[2])["mails"]


DEADLINE = 60.0  # seconds: far beyond any healthy delivery, short of a hung suite


def wait_for(stack, predicate, timeout: float = DEADLINE) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in mails(stack) if predicate(m)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_ticket_created_over_http_is_mailed_to_the_requester_and_the_inbox(local_stack):
    token = local_stack.sign_in("bob@acme.example")
    status, ticket = local_stack.request(
        "POST",
        "api/tickets",
        token,
        {"title": "Mail arrives <quickly>", "description": "Raised over HTTP.", "tags": ["Question"]},
    )
    assert status == 201
    prefix = f"[#{ticket['number']}] "
    found = wait_for(
        local_stack,
        lambda m: (
            m["subject"].startswith(prefix) and len(m["recipients"]) == 1 and m["recipients"][0] == "bob@acme.example"
        ),
    )
    assert found, f"no mail for ticket #{ticket['number']} within {DEADLINE:.0f} s"
    [mail] = found
    assert mail["subject"] == f"{prefix}Mail arrives <quickly>"
    assert mail["text"].startswith(f"We received your ticket #{ticket['number']}.")
    assert mail["reply_to"].startswith(f"support+t{ticket['number']}-")
    assert mail["reply_to"].endswith("@reply.vendor.example")
    assert f"support/ticket/?n={ticket['number']}" in mail["text"]
    alert = wait_for(
        local_stack, lambda m: m["subject"].startswith(prefix) and "support@vendor.example" in m["recipients"]
    )
    assert len(alert) == 1


def test_mail_viewer_lists_escaped_subjects_and_sandboxes_each_mails_html(local_stack):
    token = local_stack.sign_in("alice@acme.example")
    status, ticket = local_stack.request(
        "POST",
        "api/tickets",
        token,
        {"title": "<script>alert('x')</script>", "description": "Escaping check.", "tags": ["Bug"]},
    )
    assert status == 201
    [mail] = wait_for(
        local_stack,
        lambda m: m["subject"].startswith(f"[#{ticket['number']}] ") and m["recipients"] == ["alice@acme.example"],
    )

    status, headers, page = get(local_stack, "_mail/")
    assert status == 200 and b"<script>alert" not in page and b"&lt;script&gt;alert" in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]

    status, headers, page = get(local_stack, f"_mail/{mail['id']}")
    assert status == 200 and b"<script>alert" not in page
    assert f'src="/_mail/{mail["id"]}/html"'.encode() in page and b'<iframe class="mail" sandbox=' in page

    status, headers, body = get(local_stack, f"_mail/{mail['id']}/html")
    assert status == 200 and headers["Content-Security-Policy"].startswith("sandbox")
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_a_full_life_cycle_is_mailed_in_one_thread_per_recipient(local_stack):
    alice = local_stack.sign_in("alice@acme.example")
    agent = local_stack.sign_in("agent@vendor.example")
    _, ticket = local_stack.request(
        "POST",
        "api/tickets",
        alice,
        {"title": "Life cycle", "description": "From open to closed.", "tags": ["Help Wanted"]},
    )
    number = ticket["number"]
    assert local_stack.request("POST", f"api/tickets/{number}/messages", agent, {"body": "Try 4.2.1."})[0] == 201
    assert local_stack.request("POST", f"api/tickets/{number}/messages", alice, {"body": "That fixed it."})[0] == 201
    assert local_stack.request("POST", f"api/tickets/{number}/close", agent)[0] == 200
    to_alice = wait_for(
        local_stack,
        lambda m: (
            m["ticket"] == str(number)
            and m["recipients"] == ["alice@acme.example"]
            and m["text"].startswith(f"Support (agent@vendor.example) closed ticket #{number}.")
        ),
    )
    assert to_alice
    thread = [m for m in mails(local_stack) if m["ticket"] == str(number) and m["recipients"] == ["alice@acme.example"]]
    assert len(thread) == 3  # received, support's response, closed (her own response is not mailed to her)
    assert len({m["thread"] for m in thread}) == 1
    assert [m["subject"] for m in thread].count("[#%d] Life cycle" % number) == 1


def test_a_refused_change_is_never_mailed_and_mail_keeps_flowing(local_stack):
    """A cancelled transaction must leave no stream record behind (moto's own rollback did)."""
    alice = local_stack.sign_in("alice@acme.example")
    _, ticket = local_stack.request(
        "POST", "api/tickets", alice, {"title": "Refused change", "description": "d", "tags": ["Bug"]}
    )
    stale = {"version": ticket["version"] + 5, "title": "stale edit"}
    assert local_stack.request("PATCH", f"api/tickets/{ticket['number']}", alice, stale)[0] == 409
    _, probe = local_stack.request(
        "POST", "api/tickets", alice, {"title": "After the refusal", "description": "d", "tags": ["Bug"]}
    )
    found = wait_for(local_stack, lambda m: m["subject"].startswith(f"[#{probe['number']}] "))
    assert found, f"no mail within {DEADLINE:.0f} s after a refused change"
    assert not [
        m
        for m in mails(local_stack)
        if "stale edit" in json.dumps(m) or (m["ticket"] == str(ticket["number"]) and "updated" in m["subject"])
    ]
