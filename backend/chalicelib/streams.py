"""The table's stream handler: each consumer of the records in turn, one partial batch response.

Mail (ticket events, expiry reminders) and the slots of deployments that DynamoDB's TTL
removed. Stream-only code: the API path never imports this.
"""

from __future__ import annotations

from typing import Any


def handle(event: dict[str, Any]) -> dict[str, Any]:
    from chalicelib.licenses import expired_deployments
    from chalicelib.mail import delivery

    answer = delivery.handle_stream_event(event)
    failed = {item["itemIdentifier"] for item in answer["batchItemFailures"]}
    answer["batchItemFailures"] += [
        item for item in expired_deployments.free_slots(event) if item["itemIdentifier"] not in failed
    ]
    return answer
