"""Report test helpers: a controlled clock for the changes, and the report read through the API."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support.users import AGENT


class Clock:
    """The time every change stamps (and the reports' default range, the SLA and the re-open
    window read), set by the test."""

    def __init__(self) -> None:
        self.moment = datetime.fromisoformat("2026-11-09T09:00:00+00:00")

    def set(self, text: str) -> None:
        self.moment = datetime.fromisoformat(text.replace("Z", "+00:00"))

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock(monkeypatch) -> Clock:
    from chalicelib.core import clock as core_clock
    from chalicelib.reports import reading
    from chalicelib.tickets import changes, sla

    fake = Clock()
    for module in (core_clock, changes, sla, reading):
        monkeypatch.setattr(module, "utcnow", fake)
    return fake


def report(api, query: str = "", user=AGENT) -> dict:
    response = api.get(f"/reports/tickets{query}", user)
    assert response.status_code == 200, response.body
    return response.json


def weeks_by_name(answer: dict) -> dict[str, dict]:
    return {row["week"]: row for row in answer["weeks"]}
