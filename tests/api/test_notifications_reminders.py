"""License expiry reminders: an INSERTed reminder item mails every member of the organisation.

The item is written raw (by its ``type``), as the licenses code writes it, so these tests do
not depend on the licenses module."""

from __future__ import annotations

import boto3

from tests.support.mail import outbox


def write_reminder(days: int = 7, license_id: str = "acme_k7q2m9x4pz") -> None:
    boto3.client("dynamodb", region_name="us-east-1").put_item(
        TableName="portal-test",
        Item={
            "pk": {"S": f"LICENSE#{license_id}"},
            "sk": {"S": f"REMINDER#{days}#2026-12-01T00:00:00Z"},
            "type": {"S": "license_reminder"},
            "org": {"S": "acme"},
            "license_id": {"S": license_id},
            "product": {"S": "Flowmaster"},
            "edition": {"S": "Enterprise"},
            "expires_at": {"S": "2026-12-01T00:00:00Z"},
            "days_before": {"N": str(days)},
            "created_at": {"S": "2026-11-24T06:00:00.000000Z"},
        },
    )


def add_members() -> None:
    from chalicelib.identity.organisations import record_member

    record_member("acme", "alice@acme.example", [])
    record_member("acme", "bob@acme.example", [])
    record_member("globex", "carol@globex.example", [])


def test_reminder_mails_every_member_of_the_organisation_once(pump):
    add_members()
    write_reminder(days=7)
    pump()
    mails = outbox()
    assert sorted(m.to for m in mails) == ["alice@acme.example", "bob@acme.example"]
    for mail in mails:
        assert mail.subject == "[License] Flowmaster Enterprise expires in 7 days"
        assert "http://portal.test/licenses/?id=acme_k7q2m9x4pz" in mail.text
        assert "2026-12-01" in mail.text and "acme_k7q2m9x4pz" in mail.html


def test_one_day_reminder_says_one_day(pump):
    add_members()
    write_reminder(days=1)
    pump()
    assert {m.subject for m in outbox()} == {"[License] Flowmaster Enterprise expires in 1 day"}


def test_reminder_record_delivered_twice_mails_once(pump):
    add_members()
    write_reminder(days=30)
    records = pump.worker.fetch()
    handler = pump.worker.handler
    assert handler({"Records": records}, None) == {"batchItemFailures": []}
    assert handler({"Records": records}, None) == {"batchItemFailures": []}
    assert len(outbox()) == 2


def test_late_reminder_says_the_days_actually_left(pump):
    add_members()
    write_reminder(days=7)
    boto3.client("dynamodb", region_name="us-east-1").put_item(
        TableName="portal-test",
        Item={
            "pk": {"S": "LICENSE#acme_late00000a"},
            "sk": {"S": "REMINDER#30#2026-12-01T00:00:00Z"},
            "type": {"S": "license_reminder"},
            "org": {"S": "acme"},
            "license_id": {"S": "acme_late00000a"},
            "product": {"S": "Flowmaster"},
            "edition": {"S": "Standard"},
            "expires_at": {"S": "2026-12-01T00:00:00Z"},
            "days_before": {"N": "30"},
            "days_left": {"N": "12"},
            "created_at": {"S": "2026-11-19T06:00:00.000000Z"},
        },
    )
    pump()
    assert "[License] Flowmaster Standard expires in 12 days" in {m.subject for m in outbox()}
