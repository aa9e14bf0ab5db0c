"""The local stream worker retries like Lambda's event source mapping (no AWS needed)."""

from __future__ import annotations

from datetime import UTC, datetime

from infra.local.stream_worker import StreamWorker


def records(*numbers: int) -> list[dict]:
    return [{"eventID": str(n), "eventName": "INSERT", "dynamodb": {"SequenceNumber": str(n)}} for n in numbers]


class Recorder:
    """A handler that fails the given sequence numbers a given number of times."""

    def __init__(self, failing: dict[str, int]) -> None:
        self.failing = dict(failing)
        self.calls: list[list[str]] = []

    def __call__(self, event, context):
        numbers = [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]
        self.calls.append(numbers)
        failures = []
        for number in numbers:
            if self.failing.get(number, 0) > 0:
                self.failing[number] -= 1
                failures.append({"itemIdentifier": number})
        return {"batchItemFailures": failures}


def worker(handler, retry_attempts: int = 3) -> StreamWorker:
    return StreamWorker(handler, "t", retry_attempts=retry_attempts, retry_pause=0)


def test_a_reported_failure_is_retried_from_the_lowest_failed_record_on():
    handler = Recorder({"12": 1, "13": 1})
    w = worker(handler)
    w.deliver(records(11, 12, 13, 14))
    assert handler.calls == [["11", "12", "13", "14"], ["12", "13", "14"]]
    assert w.failed_batches == 0


def test_a_batch_that_keeps_failing_is_given_up_after_the_retry_limit():
    handler = Recorder({"12": 99})
    w = worker(handler, retry_attempts=2)
    w.deliver(records(11, 12))
    assert handler.calls == [["11", "12"], ["12"], ["12"]]
    assert w.failed_batches == 1


def test_a_handler_that_raises_gets_the_whole_batch_again():
    calls = []

    def crashing_once(event, context):
        calls.append(len(event["Records"]))
        if len(calls) == 1:
            raise RuntimeError("cold start failed")
        return {"batchItemFailures": []}

    worker(crashing_once).deliver(records(1, 2, 3))
    assert calls == [3, 3]


def test_records_get_lambdas_shape():
    w = worker(Recorder({}))
    w._stream_arn = "arn:aws:dynamodb:us-east-1:1:table/t/stream/x"
    shaped = w.lambda_record(
        {
            "eventID": "e",
            "eventName": "INSERT",
            "awsRegion": "us-east-1",
            "dynamodb": {
                "ApproximateCreationDateTime": datetime(2026, 11, 23, tzinfo=UTC),
                "SequenceNumber": "5",
                "SizeBytes": 10,
                "StreamViewType": "NEW_AND_OLD_IMAGES",
                "Keys": {},
            },
        }
    )
    assert shaped["eventSourceARN"] == w._stream_arn and shaped["eventSource"] == "aws:dynamodb"
    assert shaped["dynamodb"]["ApproximateCreationDateTime"] == 1795392000

    from chalice.app import DynamoDBEvent

    [parsed] = list(DynamoDBEvent({"Records": [shaped]}, None))
    assert parsed.sequence_number == "5" and parsed.table_name == "t"
