"""moto, made to behave like the AWS it stands in for where the portal meets the difference.

``install()`` applies every fix; the local stack's emulator and the in-process tests call it:

- transactions undo only what they touched, not a copy of every table (``moto_transactions``);
- streams keep 24 hours of records, as DynamoDB Streams does (``moto_stream_retention``);
- GetRecords skips moto's slow generic serializer (``moto_stream_reads``);
- S3 enforces POST policies and presigned URLs' expiry (``moto_s3_policies``).
"""

from __future__ import annotations

from infra.local import moto_s3_policies, moto_stream_reads, moto_stream_retention, moto_transactions


def install() -> None:
    """Idempotent: each module patches moto once."""
    moto_transactions.install()
    moto_stream_retention.install()
    moto_stream_reads.install()
    moto_s3_policies.install()
