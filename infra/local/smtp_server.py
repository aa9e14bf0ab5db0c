"""The local stand-in for SES receiving: an SMTP server (aiosmtpd) on 127.0.0.1:2525.

It accepts mail only for the reply domain's addresses and the support address, writes the
trace headers a receiving server adds (``Return-Path`` from the envelope, ``Received ... for``),
stores the raw mail in the emulator's inbound bucket as SES's S3 action does, and then runs the
app's inbound handler with an S3 ``ObjectCreated`` event, as S3 invokes the Lambda function:
one mail at a time, in the order received. It checks no SPF, DKIM or spam (the local stack
sets REQUIRE_MAIL_VERDICTS=false). What the handler made of each mail is kept for the viewer.
"""

from __future__ import annotations

import importlib
import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate
from typing import Any

import boto3
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from botocore.config import Config

from infra import inbound_definition
from infra.local import settings as local

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]
INBOUND_HANDLER = "handle_inbound_mail"


def registered_inbound_handler(app_module: str = "app") -> Handler:
    """The function Lambda would call: the app's ``handle_inbound_mail`` lambda function."""
    module = importlib.import_module(app_module)
    names = [f.name for f in module.app.pure_lambda_functions]
    if INBOUND_HANDLER not in names:
        raise RuntimeError(f"the app defines no lambda function {INBOUND_HANDLER} (found {names})")
    return getattr(module, INBOUND_HANDLER)


def accepts(address: str) -> bool:
    """Only the portal's own addresses: a reply address, the plain address, the support address."""
    from chalicelib.core.config import settings
    from chalicelib.mail import reply_address

    address = address.strip().lower()
    return (
        reply_address.parse(address) is not None
        or address == reply_address.plain_address()
        or address == settings().support_email.lower()
    )


def s3_event(bucket: str, key: str, size: int) -> dict[str, Any]:
    """The record S3 sends a function for a new object (the fields the handler and Lambda use)."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": local.REGION,
                "eventTime": formatdate(usegmt=True),
                "eventName": "ObjectCreated:Put",
                "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": bucket}, "object": {"key": key, "size": size}},
            }
        ]
    }


class _LambdaContext:
    function_name = INBOUND_HANDLER
    aws_request_id = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


class InboundMailServer:
    """``start()`` listens; ``stop()`` closes the port and finishes the mail being handled."""

    def __init__(self, port: int, handler: Handler, *, bucket: str, endpoint_url: str | None) -> None:
        self.port = port
        self.bucket = bucket
        self._handler = handler
        self._s3 = local_s3(endpoint_url)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbound-mail")
        self._outcomes: dict[str, dict[str, Any]] = {}
        self._done = threading.Condition()
        self._controller = Controller(self, hostname="127.0.0.1", port=port, server_hostname="localhost")

    # --- aiosmtpd's handler hooks --------------------------------------------------------

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if not accepts(address):
            return "550 5.1.1 No such mailbox here: this server takes mail for the portal's reply addresses only"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        key = f"{inbound_definition.PREFIX}{uuid.uuid4().hex}"
        raw = self._trace(session, envelope, key) + bytes(envelope.original_content or b"")
        try:
            self._s3.put_object(Bucket=self.bucket, Key=key, Body=raw)
        except Exception:
            log.exception("could not store received mail %s", key)
            return "451 4.3.0 Could not store the mail; try again"
        self._worker.submit(self._deliver, key, len(raw))
        return f"250 OK: queued as {key}"

    # --- the S3 notification's stand-in --------------------------------------------------

    def _trace(self, session: Session, envelope: Envelope, key: str) -> bytes:
        """What the receiving server puts on top, as SES does: the envelope sender and recipient."""
        recipients = envelope.rcpt_tos
        target = f"\r\n for {recipients[0]}" if len(recipients) == 1 else ""
        peer = session.peer[0] if isinstance(session.peer, tuple) else "local"
        lines = [
            f"Return-Path: <{envelope.mail_from or ''}>",
            f"Received: from {session.host_name or 'unknown'} ({peer})\r\n by localhost (the portal's local SMTP "
            f"server) with SMTP id {key.rpartition('/')[2]}{target};\r\n {formatdate(usegmt=True)}",
        ]
        return ("\r\n".join(lines) + "\r\n").encode()

    def _deliver(self, key: str, size: int) -> None:
        try:
            answer = self._handler(s3_event(self.bucket, key, size), _LambdaContext()) or {}
            outcome = next(iter(answer.get("outcomes") or []), {"verdict": "unknown", "reason": "no outcome"})
        except Exception as error:  # Lambda would retry; the developer sees why in the log
            log.exception("the inbound handler failed on %s", key)
            outcome = {"verdict": "failed", "reason": str(error)}
        with self._done:
            self._outcomes[key] = outcome
            self._done.notify_all()

    def outcome(self, key: str, timeout: float = 0) -> dict[str, Any] | None:
        """What the handler made of the mail stored under ``key`` (waiting up to ``timeout``)."""
        with self._done:
            self._done.wait_for(lambda: key in self._outcomes, timeout=timeout)
            return self._outcomes.get(key)

    # --- running ---------------------------------------------------------------------------

    def start(self) -> InboundMailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
        self._worker.shutdown(wait=True, cancel_futures=False)


def local_s3(endpoint_url: str | None):
    """An S3 client of the emulator (path-style: the bucket is not a host name there)."""
    return boto3.client(
        "s3",
        region_name=local.REGION,
        endpoint_url=endpoint_url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(s3={"addressing_style": "path"}),
    )


def create_inbound_bucket(endpoint_url: str | None, bucket: str = local.INBOUND_BUCKET) -> None:
    """The bucket as the CDK stack has it: private, encrypted, received mail expiring."""
    s3 = local_s3(endpoint_url)
    s3.create_bucket(Bucket=bucket)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": inbound_definition.lifecycle_rules()}
    )


def start_inbound_mail_server(port: int, endpoint_url: str) -> InboundMailServer:
    """The SMTP server of the local stack, feeding the app's registered inbound handler."""
    create_inbound_bucket(endpoint_url)
    return InboundMailServer(
        port, registered_inbound_handler(), bucket=local.INBOUND_BUCKET, endpoint_url=endpoint_url
    ).start()
