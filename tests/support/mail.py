"""Mail test helpers: the moto SES outbox, parsed, and a stream pump that runs the real handler."""

from __future__ import annotations

import email
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default

import boto3
import pytest

SENDER = "portal@vendor.example"
SUPPORT = "support@vendor.example"


@dataclass
class SentMail:
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        # A subject folded right after "Subject:" unfolds with a leading space; clients drop it.
        return str(self.message["Subject"]).strip()

    @property
    def to(self) -> str:
        return self.recipients[0]

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"the mail has no text/{subtype} part"
        return body.get_content().replace("\r\n", "\n")

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")


def outbox() -> list[SentMail]:
    """Every mail moto's SES accepted (SES v2 stores into the v1 backend), oldest first."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = []
    for raw in ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages:
        message = email.message_from_string(raw.raw_data, policy=default)
        # moto adds the To header's addresses to the envelope's; the envelope is what we set.
        recipients = sorted({address.lower() for address in raw.destinations})
        sent.append(SentMail(recipients, message))
    return sent


def mailed(to: str) -> list[SentMail]:
    return [m for m in outbox() if to in m.recipients]


class Pump:
    """Delivers the moto table's stream through the app's registered stream handler,
    with the local worker (the event source mapping's stand-in)."""

    def __init__(self, queue_url: str, retry_attempts: int = 5) -> None:
        from chalicelib.core.config import settings
        from infra.local.stream_worker import StreamWorker, registered_stream_handler

        self.queue_url = queue_url
        self.worker = StreamWorker(
            registered_stream_handler(),
            settings().table_name,
            dead_letter_queue_url=queue_url,
            retry_attempts=retry_attempts,
            retry_pause=0,
        )

    def __call__(self) -> int:
        return self.worker.drain()

    def dead_letters(self) -> list[dict]:
        import json

        sqs = boto3.client("sqs", region_name="us-east-1")
        answer = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        return [json.loads(m["Body"]) for m in answer.get("Messages", [])]


@pytest.fixture
def pump(aws, monkeypatch) -> Pump:
    """moto SES with the sender verified, the dead-letter queue, and the stream pump."""
    from dataclasses import replace

    from chalicelib.core import config
    from chalicelib.mail import dead_letters
    from chalicelib.mail import delivery as mail_delivery

    boto3.client("ses", region_name="us-east-1").verify_email_identity(EmailAddress=SENDER)
    queue_url = boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="portal-notifications-dlq")[
        "QueueUrl"
    ]
    patched = replace(config.settings(), dead_letter_queue_url=queue_url)
    for module in (mail_delivery, dead_letters):
        monkeypatch.setattr(module, "settings", lambda: patched)
    return Pump(queue_url)
