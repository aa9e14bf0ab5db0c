"""The agent reports page: an agent sees the charts with their tables and the range in the
address; a customer is told the page is for support."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

ALICE, AGENT = "alice@acme.example", "agent@vendor.example"
CHARTS = [
    "Created and solved per week",
    "Median first response per week",
    "CSAT share per week",
    "Backlog by status",
    "Backlog by priority",
    "Backlog by tag",
    "Backlog by organisation",
]


def _counted(api, deadline: float = 60) -> dict:
    """The report once the stream handler has counted a ticket raised now (generous deadline)."""
    end = time.monotonic() + deadline
    while True:
        status, report = api("GET", "/reports/tickets")
        assert status == 200, report
        if report["weeks"][-1]["created"] >= 1 and report["backlog"]["by_status"]["open"] >= 1:
            return report
        assert time.monotonic() < end, report
        time.sleep(0.5)


def test_an_agent_sees_every_chart_with_its_numbers(tab, api_as, unique):
    status, _ = api_as(ALICE)("POST", "/tickets", {"title": f"Report {unique}", "description": "d", "tags": ["Bug"]})
    assert status == 201
    report = _counted(api_as(AGENT))
    page = tab.open("agent/reports/").sign_in(AGENT).page
    widget = page.locator("[data-portal-widget=reports]")
    for title in CHARTS:
        figure = widget.locator("figure", has=page.locator("figcaption", has_text=title))
        expect(figure).to_have_count(1)
        expect(figure.locator("svg[role=img]")).to_have_count(1)
        expect(figure.locator("table")).to_have_count(1)
    week = report["weeks"][-1]
    created = widget.locator("figure", has=page.locator("figcaption", has_text=CHARTS[0]))
    created.get_by_text(f"{CHARTS[0]}: the numbers").click()
    row = created.locator("tbody tr").last
    expect(row.locator("th")).to_contain_text(week["week"])
    expect(row.locator("td").first).to_have_text(re.compile(r"^\d+$"))
    assert int(row.locator("td").first.inner_text()) >= week["created"]  # the stack is shared: more may come
    assert created.locator("tbody tr").count() == 12  # the last 12 weeks by default
    backlog = widget.locator("figure", has=page.locator("figcaption", has_text="Backlog by organisation"))
    expect(backlog.locator("tbody th", has_text="acme")).to_have_count(1)
    tab.assert_clean()


def test_the_range_is_in_the_address_and_survives_a_reload(tab):
    page = tab.open("agent/reports/").sign_in(AGENT).page
    widget = page.locator("[data-portal-widget=reports]")
    expect(widget.locator("figure")).to_have_count(len(CHARTS))
    widget.get_by_label("From week").fill("2026-W01")
    widget.get_by_label("To week").fill("2026-W04")
    widget.get_by_role("button", name="Show").click()
    expect(widget.get_by_role("heading", name="Weeks 2026-W01 to 2026-W04")).to_be_visible()
    assert "from=2026-W01" in page.url and "to=2026-W04" in page.url
    page.reload()
    expect(widget.get_by_role("heading", name="Weeks 2026-W01 to 2026-W04")).to_be_visible()
    expect(widget.locator("figure").first.locator("tbody tr")).to_have_count(4)
    page.go_back()
    expect(widget.get_by_role("heading", name="Weeks 2026-W01 to 2026-W04")).to_have_count(0)
    tab.assert_clean()


def test_a_bad_range_is_explained(tab):
    page = tab.open("agent/reports/?from=2026-W10&to=2026-W01").sign_in(AGENT).page
    expect(page.get_by_role("alert")).to_contain_text("The first week comes after the last one")


def test_a_customer_is_told_the_reports_are_for_support(tab):
    page = tab.open("agent/reports/").sign_in(ALICE).page
    widget = page.locator("[data-portal-widget=reports]")
    expect(widget).to_contain_text("The reports are for the support team.")
    expect(widget.get_by_role("link", name="Go to Support")).to_be_visible()
    expect(widget.locator("figure")).to_have_count(0)
