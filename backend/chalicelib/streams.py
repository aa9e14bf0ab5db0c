"""The table's stream handler: each consumer of the records in turn, one partial batch response.

Mail (ticket events, expiry reminders), the slots of deployments that DynamoDB's TTL
removed, and the reports' aggregates (every change of a ticket). Stream-only code: the API
path never imports this.
"""

from __future__ import annotations

from typing import Any


def handle(event: dict[str, Any]) -> dict[str, Any]:
    from chalicelib.licenses import expired_deployments
    from chalicelib.mail import delivery
    from chalicelib.reports import aggregates

    answer = delivery.handle_stream_event(event)
    failed = {item["itemIdentifier"] for item in answer["batchItemFailures"]}
    for consumer in (expired_deployments.free_slots, aggregates.batch_failures):
        for item in consumer(event):
            if item["itemIdentifier"] not in failed:
                failed.add(item["itemIdentifier"])
                answer["batchItemFailures"].append(item)
    return answer
