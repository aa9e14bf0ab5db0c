"""The local stand-in for Lambda's DynamoDB Streams event source mapping.

It polls the table's stream through the emulator (DescribeStream, GetShardIterator,
GetRecords every ``poll_interval``), hands each batch to the Chalice app's registered
stream handler in the exact shape Lambda uses, and treats the answer the way the
mapping does with ``ReportBatchItemFailures``: it retries from the lowest failed
sequence number, a bounded number of times with a growing pause, and then sends the
mapping's on-failure record (the batch's position on the stream) to the dead-letter
queue and moves on. The handler's own retry budget is smaller, so as in AWS it is the
handler that normally parks a failing record with its full image.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]


def registered_stream_handler(app_module: str = "app") -> Handler:
    """The function Lambda would call: the handler string of the app's DynamoDB event source."""
    from chalice.app import DynamoDBEventConfig

    module = importlib.import_module(app_module)
    configs = [s for s in module.app.event_sources if isinstance(s, DynamoDBEventConfig)]
    if len(configs) != 1:
        raise RuntimeError(f"expected one on_dynamodb_record handler, found {len(configs)}")
    return getattr(module, configs[0].handler_string.rpartition(".")[2])


class LambdaContext:
    """The bits of Lambda's context object a handler may look at."""

    function_name = "handle_ticket_events"
    aws_request_id = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


class StreamWorker:
    def __init__(
        self,
        handler: Handler,
        table_name: str,
        *,
        region: str = "us-east-1",
        endpoint_url: str | None = None,
        dead_letter_queue_url: str = "",
        batch_size: int = 100,
        poll_interval: float = 0.2,
        retry_attempts: int = 5,
        retry_pause: float = 0.2,
        start_at: str = "TRIM_HORIZON",
    ) -> None:
        self.handler = handler
        self.table_name = table_name
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.retry_attempts = retry_attempts  # the mapping's MaximumRetryAttempts
        self.retry_pause = retry_pause
        self.dead_letter_queue_url = dead_letter_queue_url
        self.start_at = start_at
        kwargs = {"region_name": region, "endpoint_url": endpoint_url}
        self._dynamodb = boto3.client("dynamodb", **kwargs)
        # The regional endpoint, not botocore's newer account-based one, which moto does not route.
        self._streams = boto3.client(
            "dynamodbstreams",
            region_name=region,
            endpoint_url=endpoint_url or f"https://streams.dynamodb.{region}.amazonaws.com",
        )
        self._sqs = boto3.client("sqs", **kwargs) if dead_letter_queue_url else None
        self._iterator: str | None = None
        self._last_sequence: str | None = None
        self._shard_id = ""
        self._stream_arn = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.failed_batches = 0

    # --- reading the stream ------------------------------------------------------------

    def _open(self) -> None:
        self._stream_arn = self._dynamodb.describe_table(TableName=self.table_name)["Table"]["LatestStreamArn"]
        shards = self._streams.describe_stream(StreamArn=self._stream_arn)["StreamDescription"]["Shards"]
        self._shard_id = shards[-1]["ShardId"]
        position: dict[str, str] = {"ShardIteratorType": self.start_at}
        if self._last_sequence is not None:  # reopened after an error: carry on where we were
            position = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self._last_sequence}
        self._iterator = self._streams.get_shard_iterator(
            StreamArn=self._stream_arn, ShardId=self._shard_id, **position
        )["ShardIterator"]

    def fetch(self) -> list[dict[str, Any]]:
        """The next batch of records in Lambda's shape, without delivering it."""
        if self._iterator is None:
            self._open()
        answer = self._streams.get_records(ShardIterator=self._iterator, Limit=self.batch_size)
        records = [self.lambda_record(r) for r in answer.get("Records", [])]
        self._iterator = answer.get("NextShardIterator")
        if records:
            self._last_sequence = records[-1]["dynamodb"]["SequenceNumber"]
        return records

    def poll_once(self) -> int:
        """Read one batch and deliver it; answers how many records were read."""
        records = self.fetch()
        if records:
            self.deliver(records)
        return len(records)

    def drain(self, max_batches: int = 1000) -> int:
        """Deliver everything on the stream now (tests and the benchmark)."""
        total = 0
        for _ in range(max_batches):
            read = self.poll_once()
            total += read
            if read == 0:
                break
        return total

    def lambda_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """A GetRecords record as Lambda passes it: epoch creation time, the stream's ARN."""
        dynamodb = dict(record["dynamodb"])
        created = dynamodb.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            moment = created if created.tzinfo else created.replace(tzinfo=UTC)
            dynamodb["ApproximateCreationDateTime"] = int(moment.timestamp())
        elif created is None:
            dynamodb["ApproximateCreationDateTime"] = int(time.time())
        return {
            "eventID": record.get("eventID", ""),
            "eventName": record["eventName"],
            "eventVersion": record.get("eventVersion", "1.1"),
            "eventSource": "aws:dynamodb",
            "awsRegion": record.get("awsRegion", self._dynamodb.meta.region_name),
            "dynamodb": dynamodb,
            "eventSourceARN": self._stream_arn,
        }

    # --- delivering, as the event source mapping does ----------------------------------

    def deliver(self, records: list[dict[str, Any]]) -> None:
        self.batches += 1
        pending = records
        for attempt in range(self.retry_attempts + 1):
            failed_from = self._invoke(pending)
            if failed_from is None:
                return
            # Everything from the lowest reported sequence number on is retried.
            pending = [r for r in pending if int(r["dynamodb"]["SequenceNumber"]) >= failed_from]
            if attempt < self.retry_attempts:
                time.sleep(self.retry_pause * (2**attempt))
        self.failed_batches += 1
        self._on_failure(pending)

    def _invoke(self, records: list[dict[str, Any]]) -> int | None:
        """Call the handler; the lowest failed sequence number, or None if all went through."""
        try:
            answer = self.handler({"Records": records}, LambdaContext())
        except Exception:
            log.exception("stream handler raised; the whole batch is retried")
            return int(records[0]["dynamodb"]["SequenceNumber"])
        failures = (answer or {}).get("batchItemFailures") or []
        numbers = [int(f["itemIdentifier"]) for f in failures if f.get("itemIdentifier")]
        return min(numbers) if numbers else None

    def _on_failure(self, records: list[dict[str, Any]]) -> None:
        """What the mapping's SQS on-failure destination receives: where the records were."""
        log.error(
            "stream records %s..%s exhausted their retries",
            records[0]["dynamodb"]["SequenceNumber"],
            records[-1]["dynamodb"]["SequenceNumber"],
        )
        if self._sqs is None:
            return
        pointer = {
            "requestContext": {
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": self.retry_attempts + 1,
            },
            "DDBStreamBatchInfo": {
                "shardId": self._shard_id,
                "startSequenceNumber": records[0]["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": records[-1]["dynamodb"]["SequenceNumber"],
                "batchSize": len(records),
                "streamArn": self._stream_arn,
            },
        }
        self._sqs.send_message(QueueUrl=self.dead_letter_queue_url, MessageBody=json.dumps(pointer))

    # --- running in the background -----------------------------------------------------

    def start(self) -> StreamWorker:
        self._open()
        self._thread = threading.Thread(target=self._run, name="stream-worker", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                read = self.poll_once()
            except Exception:
                log.exception("stream worker poll failed; trying again")
                self._iterator = None
                read = 0
            if not read:
                self._stop.wait(self.poll_interval)

    def stop(self, timeout: float = 5) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)


def start_stream_worker() -> StreamWorker:
    """The worker for the local stack, configured from the backend's settings."""
    from chalicelib.core.config import settings

    config = settings()
    worker = StreamWorker(
        registered_stream_handler(),
        config.table_name,
        region=config.region,
        endpoint_url=config.endpoint_url,
        dead_letter_queue_url=config.dead_letter_queue_url,
        retry_attempts=config.notification_max_attempts + 2,
    )
    return worker.start()
