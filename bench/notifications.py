"""Notifications: mails per second through the stream handler (SES stubbed), cold import."""

from __future__ import annotations

import statistics
import time
from unittest import mock

from bench.harness import fresh_interpreter, prepare_process

TICKETS = 50  # each: created, support response, customer response, closed -> 6 mails


def run() -> list[str]:
    prepare_process()
    from moto import mock_aws

    with mock_aws():
        return _throughput() + _cold_import()


class _StubSES:
    """SES that accepts everything at once: the figure is the handler's own cost."""

    def __init__(self) -> None:
        self.sent = 0

    def send_email(self, **request) -> dict:
        assert request["Content"]["Raw"]["Data"]
        self.sent += 1
        return {"MessageId": str(self.sent)}


def _throughput() -> list[str]:
    from chalicelib.core.table import PortalItem
    from chalicelib.identity.auth import Principal, operator
    from chalicelib.identity.organisations import create_organisation
    from chalicelib.mail import compose as notifications
    from chalicelib.mail import delivery as mail_delivery
    from chalicelib.mail import mime
    from chalicelib.tickets.changes import add_message, close_ticket, create_ticket
    from infra.local.stream_worker import StreamWorker, registered_stream_handler

    PortalItem.create_table(wait=True)
    create_organisation(operator("bench"), {"org": "acme", "name": "Acme Corp"})
    alice = Principal(user_id="alice", email="alice@acme.example", org="acme", roles=frozenset())
    agent = Principal(user_id="agent", email="agent@vendor.example", org="vendor", roles=frozenset({"support"}))
    for _ in range(TICKETS):
        number = create_ticket(alice, {"title": "Bench ticket", "description": "Measured.", "tags": ["Bug"]})["number"]
        add_message(agent, number, {"body": "Which version do you run?"})
        add_message(alice, number, {"body": "4.2.1"})
        close_ticket(agent, number)

    worker = StreamWorker(registered_stream_handler(), mail_delivery.settings().table_name)
    records = []
    while batch := worker.fetch():
        records.extend(batch)

    stub = _StubSES()
    mail_delivery._ses.cache_clear()
    with mock.patch.object(mail_delivery, "_ses", lambda: stub):
        started = time.perf_counter()
        for start in range(0, len(records), 100):  # Lambda's batch size
            answer = worker.handler({"Records": records[start : start + 100]}, None)
            assert not answer["batchItemFailures"], answer
        first_pass = time.perf_counter() - started
        sent = stub.sent

        started = time.perf_counter()
        for start in range(0, len(records), 100):
            worker.handler({"Records": records[start : start + 100]}, None)
        replay_pass = time.perf_counter() - started
        assert stub.sent == sent, "a redelivered batch must not mail again"

    sample = notifications.ticket_mails(
        {"id": "x", "kind": "responded", "actor": "agent@vendor.example", "actor_role": "support", "body": "Hi"},
        {"number": 1, "title": "Bench", "org": "acme", "created_by": "alice@acme.example"},
    )[0]
    started = time.perf_counter()
    for _ in range(500):
        mime.to_mime(sample)
    mime_ms = (time.perf_counter() - started) * 1000 / 500

    return [
        "Notifications (stream handler, SES stubbed; DynamoDB is in-process moto, which dominates:",
        "  one BatchGetItem per event, one UpdateItem marker per mail)",
        f"  stream records handled     {len(records)} ({TICKETS * 4} ticket events among them)",
        f"  mails sent                 {sent} in {first_pass:.2f} s  ->  {sent / first_pass:,.0f} mails/s",
        f"  same records again         {replay_pass:.2f} s, 0 mails (markers)  ->  "
        f"{len(records) / replay_pass:,.0f} records/s",
        f"  MIME build per mail        {mime_ms:.2f} ms",
    ]


def _cold_import(repeat: int = 9) -> list[str]:
    """One fresh interpreter per sample times both: the app alone, then the mail code on top."""
    code = (
        "import time, sys; t0 = time.perf_counter(); import app; t1 = time.perf_counter(); "
        "from chalicelib.mail import delivery; t2 = time.perf_counter(); "
        "print(t1 - t0, t2 - t0, 'boto3' in sys.modules)"
    )
    api, handler = [], []
    for _ in range(repeat):
        first, second, _boto3 = fresh_interpreter(code).split()
        api.append(float(first) * 1000)
        handler.append(float(second) * 1000)
    return [
        f"  cold import, stream handler  {statistics.median(handler):.0f} ms  (app + mail code, fresh process, "
        f"median of {repeat}; SES client made on first send)",
        f"  cold import, API path        {statistics.median(api):.0f} ms  (the mail code is never imported there)",
    ]
