"""License status, days left, masking, ids and reminder thresholds: pure functions, no AWS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.core.clock import iso
from chalicelib.licenses import views
from chalicelib.licenses.models import LicenseItem, org_of
from chalicelib.licenses.reminders import due_threshold

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def license_expiring_in(delta: timedelta, suspended: bool = False) -> LicenseItem:
    return LicenseItem(
        "ORG#acme",
        "LICENSE#acme_aaaaaaaaaa",
        id="acme_aaaaaaaaaa",
        org="acme",
        product="P",
        edition="E",
        key="ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2",
        issued_at=iso(NOW - timedelta(days=300)),
        expires_at=iso(NOW + delta),
        suspended=suspended,
        updated_at="x",
        updated_by="y",
    )


@pytest.mark.parametrize(
    "delta,expected",
    [
        (timedelta(days=365), "active"),
        (timedelta(days=30, seconds=1), "active"),
        (timedelta(days=30), "expiring"),
        (timedelta(seconds=1), "expiring"),
        (timedelta(0), "expired"),
        (timedelta(days=-3), "expired"),
    ],
)
def test_status_follows_the_expiry(delta, expected):
    assert views.status(license_expiring_in(delta), NOW) == expected


def test_suspended_wins_over_dates():
    assert views.status(license_expiring_in(timedelta(days=365), suspended=True), NOW) == "suspended"
    assert views.status(license_expiring_in(timedelta(days=-1), suspended=True), NOW) == "suspended"


@pytest.mark.parametrize(
    "delta,days",
    [
        (timedelta(days=10), 10),
        (timedelta(days=9, hours=1), 10),
        (timedelta(hours=1), 1),
        (timedelta(0), 0),
        (timedelta(days=-2, hours=-1), -2),
    ],
)
def test_days_left_rounds_up(delta, days):
    assert views.days_left(license_expiring_in(delta), NOW) == days


def test_status_is_derived_at_read_time_not_stored():
    item = license_expiring_in(timedelta(days=31))
    assert views.status(item, NOW) == "active"
    assert views.status(item, NOW + timedelta(days=2)) == "expiring"
    assert views.status(item, NOW + timedelta(days=32)) == "expired"


def test_masked_key_shows_only_the_last_group():
    assert views.masked("ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2") == "*****-*****-*****-*****-WXYZ2"


def test_public_view_has_nothing_about_the_organisation():
    public = views.public(license_expiring_in(timedelta(days=100)), NOW)
    assert set(public) == {"product", "edition", "status", "expires_at", "days_left", "capabilities"}


@pytest.mark.parametrize(
    "license_id,org",
    [
        ("acme_k7q2m6x4pz", "acme"),
        ("big-corp-2_aaaaaaaaaa", "big-corp-2"),
        ("acme_K7Q2M6X4PZ", None),
        ("acme_short", None),
        ("acme", None),
        ("../etc_aaaaaaaaaa", None),
        ("acme_k7q2m6x4pz#DEPLOY", None),
        ("", None),
    ],
)
def test_license_ids_carry_their_organisation(license_id, org):
    assert org_of(license_id) == org


@pytest.mark.parametrize(
    "remaining,threshold",
    [
        (timedelta(days=45), None),
        (timedelta(days=30, seconds=1), None),
        (timedelta(days=30), 30),
        (timedelta(days=8), 30),
        (timedelta(days=7), 7),
        (timedelta(days=2), 7),
        (timedelta(hours=23), 1),
        (timedelta(0), None),
        (timedelta(days=-1), None),
    ],
)
def test_reminder_threshold_is_the_nearest_one_crossed(remaining, threshold):
    assert due_threshold(NOW + remaining, NOW) == threshold
