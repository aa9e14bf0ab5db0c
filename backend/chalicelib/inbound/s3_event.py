"""The inbound mail handler: S3 ``ObjectCreated`` records (SES stored a received mail) in,
one ``Outcome`` per mail out. Only this Lambda imports the inbound package."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import unquote_plus

from chalicelib.core.config import settings
from chalicelib.inbound.receive import Outcome, receive


@functools.lru_cache(maxsize=1)
def _s3():
    import boto3
    from botocore.config import Config

    config = settings()
    # The emulator answers one host name: path-style addresses reach it; AWS takes either.
    style = "path" if config.endpoint_url else "auto"
    return boto3.client(
        "s3", region_name=config.region, endpoint_url=config.endpoint_url, config=Config(s3={"addressing_style": style})
    )


def handle(event: dict[str, Any]) -> dict[str, Any]:
    """Lambda's S3 event in; what became of each mail out (logged; Lambda ignores the answer).
    A storage error raises, so Lambda retries the event: the mail's Message-ID makes that safe."""
    outcomes: list[dict[str, Any]] = []
    for record in event.get("Records", []):
        s3 = record.get("s3") or {}
        bucket = s3.get("bucket", {}).get("name", "")
        key = unquote_plus(s3.get("object", {}).get("key", ""))
        if not bucket or not key:
            continue
        raw = _s3().get_object(Bucket=bucket, Key=key)["Body"].read()
        outcome: Outcome = receive(raw)
        outcomes.append({"key": key, **outcome.as_dict()})
    return {"outcomes": outcomes}
