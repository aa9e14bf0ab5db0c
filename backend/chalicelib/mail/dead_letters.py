"""Dead letters: notification records that kept failing, parked in SQS; list and replay them.

The queue holds two shapes. The stream handler's own letters carry the whole stream record
(``kind: portal-notification``) and replay from the letter alone. The event source
mapping's on-failure records carry only the records' position on the stream
(``DDBStreamBatchInfo``); they replay by reading those records back from the stream, which
works while the stream still holds them (24 hours in AWS).

Replay goes through ``delivery.process_record(..., replay=True)``, so the per-recipient
markers still hold: a mail that went out before the record was parked is not sent again.
A letter is deleted only when every record in it is delivered; otherwise it stays.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.core.config import settings
from chalicelib.core.errors import Invalid, NotFound
from chalicelib.mail import delivery
from chalicelib.mail.stream import plain, source_of

_RECEIVE_VISIBILITY = 60  # seconds a letter stays hidden while we look at it; released right after


def _queue() -> str:
    queue = settings().dead_letter_queue_url
    if not queue:
        raise Invalid("DEAD_LETTER_QUEUE_URL is not set for this stack; there is no dead-letter queue to read.")
    return queue


def _receive_all() -> list[dict[str, Any]]:
    """Every letter, each once: received messages stay invisible until released."""
    queue = _queue()
    messages: list[dict[str, Any]] = []
    seen: set[str] = set()
    while True:
        answer = delivery.sqs().receive_message(
            QueueUrl=queue,
            MaxNumberOfMessages=10,
            VisibilityTimeout=_RECEIVE_VISIBILITY,
            WaitTimeSeconds=0,
            AttributeNames=["SentTimestamp", "ApproximateReceiveCount"],
        )
        batch = [m for m in answer.get("Messages", []) if m["MessageId"] not in seen]
        if not batch:
            return messages
        seen.update(m["MessageId"] for m in batch)
        messages.extend(batch)


def _release(messages: list[dict[str, Any]]) -> None:
    queue = _queue()
    for start in range(0, len(messages), 10):
        entries = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
            for i, m in enumerate(messages[start : start + 10])
        ]
        delivery.sqs().change_message_visibility_batch(QueueUrl=queue, Entries=entries)


def _body(message: dict[str, Any]) -> dict[str, Any]:
    try:
        body = json.loads(message["Body"])
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def describe(message: dict[str, Any]) -> dict[str, Any]:
    """One letter as the CLI shows it."""
    body = _body(message)
    sent = int(message.get("Attributes", {}).get("SentTimestamp", "0")) / 1000
    if body.get("kind") == delivery.LETTER_KIND:
        return {
            "id": message["MessageId"],
            "shape": "record",
            "event": body.get("event_key", ""),
            "what": _summary(body.get("record") or {}),
            "attempts": body.get("attempts"),
            "error": body.get("error", ""),
            "parked_at": body.get("dead_lettered_at", ""),
            "sent": sent,
        }
    info = body.get("DDBStreamBatchInfo")
    if info:
        span = f"stream records {info.get('startSequenceNumber')}..{info.get('endSequenceNumber')}"
        return {
            "id": message["MessageId"],
            "shape": "pointer",
            "event": "",
            "what": span,
            "attempts": (body.get("requestContext") or {}).get("approximateInvokeCount"),
            "error": (body.get("requestContext") or {}).get("condition", ""),
            "parked_at": "",
            "sent": sent,
        }
    return {
        "id": message["MessageId"],
        "shape": "unknown",
        "event": "",
        "what": message["Body"][:80],
        "attempts": None,
        "error": "not a notification letter",
        "parked_at": "",
        "sent": sent,
    }


def _summary(record: dict[str, Any]) -> str:
    image = plain((record.get("dynamodb") or {}).get("NewImage") or {})
    if image.get("type") == "event":
        return f"ticket #{image.get('number')} {image.get('kind')} by {image.get('actor')}"
    if image.get("type") == "license_reminder":
        return f"license {image.get('license_id')} reminder, {image.get('days_before')} days before expiry"
    return f"{record.get('eventName', '?')} of a {image.get('type', 'unknown')} item"


def list_dead_letters() -> list[dict[str, Any]]:
    messages = _receive_all()
    try:
        return sorted((describe(m) for m in messages), key=lambda letter: letter["sent"])
    finally:
        _release(messages)


def replay(ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Replay the letters with these ids (or unique id prefixes), or all of them if None."""
    messages = _receive_all()
    chosen = messages if ids is None else [_find(messages, wanted) for wanted in ids]
    results, keep = [], [m for m in messages if m not in chosen]
    try:
        for message in chosen:
            records = _records(message)
            outcomes = [delivery.process_record(record, replay=True) for record in records]
            delivered = bool(outcomes) and all(o in (delivery.DELIVERED, delivery.IGNORED) for o in outcomes)
            if delivered:
                delivery.sqs().delete_message(QueueUrl=_queue(), ReceiptHandle=message["ReceiptHandle"])
                for record in records:
                    source = source_of(record)
                    if source is not None:
                        delivery.mark_replayed(source.key)
            else:
                keep.append(message)
            results.append(
                {
                    **describe(message),
                    "replayed": delivered,
                    "outcome": ", ".join(outcomes) or "the records are no longer on the stream",
                }
            )
    finally:
        _release(keep)
    return results


def _find(messages: list[dict[str, Any]], wanted: str) -> dict[str, Any]:
    matches = [m for m in messages if m["MessageId"].startswith(wanted)] if len(wanted) >= 6 else []
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"No dead letter {wanted}; 'dead-letters list' shows the ids (6 characters or more).")
    raise Invalid(f"{wanted} matches {len(matches)} dead letters; give more of the id.")


def _records(message: dict[str, Any]) -> list[dict[str, Any]]:
    body = _body(message)
    if body.get("kind") == delivery.LETTER_KIND:
        return [body["record"]] if body.get("record") else []
    if body.get("DDBStreamBatchInfo"):
        return _read_stream(body["DDBStreamBatchInfo"])
    return []


def _read_stream(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The records an on-failure pointer names, read back from the stream while it has them."""
    import boto3

    config = settings()
    streams = boto3.client(
        "dynamodbstreams",
        region_name=config.region,
        endpoint_url=config.endpoint_url or f"https://streams.dynamodb.{config.region}.amazonaws.com",
    )
    start, end = int(info["startSequenceNumber"]), int(info["endSequenceNumber"])
    try:
        iterator = streams.get_shard_iterator(
            StreamArn=info["streamArn"],
            ShardId=info["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=str(start),
        )["ShardIterator"]
    except streams.exceptions.TrimmedDataAccessException:
        return []
    records: list[dict[str, Any]] = []
    while iterator:
        answer = streams.get_records(ShardIterator=iterator, Limit=100)
        batch = answer.get("Records", [])
        records += [r for r in batch if int(r["dynamodb"]["SequenceNumber"]) <= end]
        if not batch or int(batch[-1]["dynamodb"]["SequenceNumber"]) >= end:
            break
        iterator = answer.get("NextShardIterator")
    return [
        {
            "eventID": r.get("eventID", ""),
            "eventName": r["eventName"],
            "dynamodb": {k: v for k, v in r["dynamodb"].items() if k != "ApproximateCreationDateTime"},
        }
        for r in records
    ]
