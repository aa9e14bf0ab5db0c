"""Count the DynamoDB requests the code makes, and refuse Scans on request paths."""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterator

from botocore.client import BaseClient

_original = BaseClient._make_api_call


class ScanOnRequestPath(AssertionError):
    pass


@contextlib.contextmanager
def counting_requests() -> Iterator[Counter]:
    """Yields a Counter of DynamoDB operation names made inside the block."""
    with counting_calls("dynamodb") as calls:
        yield calls["dynamodb"]


@contextlib.contextmanager
def counting_calls(*services: str) -> Iterator[dict[str, Counter]]:
    """Yields {service: Counter of operation names} for the AWS calls made inside the block."""
    calls: dict[str, Counter] = {service: Counter() for service in services}
    previous = BaseClient._make_api_call

    def counted(self, operation_name, api_params):
        service = self.meta.service_model.service_name
        if service in calls:
            calls[service][operation_name] += 1
        return previous(self, operation_name, api_params)

    BaseClient._make_api_call = counted
    try:
        yield calls
    finally:
        BaseClient._make_api_call = previous


def install_scan_guard() -> None:
    """Every test runs with this: a Scan anywhere fails the test that caused it.

    It also makes each request to the in-process emulator atomic, as each DynamoDB request
    is: moto's in-memory tables are not safe for concurrent writers, and the concurrency
    tests run real threads against them.
    """
    emulator_lock = threading.RLock()

    def guarded(self, operation_name, api_params):
        if self.meta.service_model.service_name == "dynamodb" and operation_name == "Scan":
            raise ScanOnRequestPath(f"DynamoDB Scan issued with {api_params}")
        with emulator_lock:
            return _original(self, operation_name, api_params)

    BaseClient._make_api_call = guarded


@contextlib.contextmanager
def recording_queries() -> Iterator[list[dict]]:
    """Yields a list that gets, for each DynamoDB Query made inside the block, its parameters
    and what DynamoDB answered about it (``ScannedCount``: items read, before any filter)."""
    queries: list[dict] = []
    previous = BaseClient._make_api_call

    def recorded(self, operation_name, api_params):
        answer = previous(self, operation_name, api_params)
        if self.meta.service_model.service_name == "dynamodb" and operation_name == "Query":
            queries.append(
                {"index": api_params.get("IndexName"), "scanned": answer["ScannedCount"], "count": answer["Count"]}
            )
        return answer

    BaseClient._make_api_call = recorded
    try:
        yield queries
    finally:
        BaseClient._make_api_call = previous
