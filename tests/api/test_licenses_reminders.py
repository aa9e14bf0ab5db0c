"""Expiry reminders: one item per (license, threshold, expiry), whatever the schedule does."""

from __future__ import annotations

from tests.support.licenses import in_days, issue, set_expiry
from tests.support.users import ADMIN


def reminders_of(license_id: str) -> list[tuple[int, str]]:
    from chalicelib.licenses.models import LicenseReminderItem, reminder_pk

    # NumberAttribute is typed float; the thresholds are whole days.
    return [(int(item.days_before), item.expires_at) for item in LicenseReminderItem.query(reminder_pk(license_id))]


def run(days_from_now: float = 0):
    from chalicelib.licenses import reminders

    return reminders.send_expiry_reminders(at=in_days(days_from_now))


def test_each_threshold_writes_one_reminder_as_days_pass(api, signing):
    license_ = issue(api, days=45)
    written: dict[int, list[int]] = {}
    for day in range(0, 46):
        for _ in range(2):  # the schedule runs twice some days
            for reminder in run(day):
                written.setdefault(reminder["days_before"], []).append(day)
    assert written == {30: [15], 7: [38], 1: [44]}
    assert sorted(reminders_of(license_["id"])) == [
        (1, license_["expires_at"]),
        (7, license_["expires_at"]),
        (30, license_["expires_at"]),
    ]


def test_reminder_item_carries_what_the_mail_needs(api, signing):
    from chalicelib.licenses.models import LicenseReminderItem, reminder_pk

    license_ = issue(api, "globex", days=20)
    run()
    (item,) = LicenseReminderItem.query(reminder_pk(license_["id"]))
    assert item.item_type is LicenseReminderItem
    assert item.sk == f"REMINDER#30#{license_['expires_at']}"
    assert (item.org, item.license_id, item.product, item.edition, item.days_before) == (
        "globex",
        license_["id"],
        "Vendor Gateway",
        "Enterprise",
        30,
    )
    assert item.expires_at == license_["expires_at"] and item.created_at
    assert item.days_left == 20  # below the threshold: the mail can say how many days remain


def test_running_twice_the_same_day_writes_once(api, signing):
    license_ = issue(api, days=25)
    assert len(run()) == 1
    assert run() == []
    assert reminders_of(license_["id"]) == [(30, license_["expires_at"])]


def test_a_late_run_still_catches_a_crossed_threshold(api, signing):
    issue(api, days=40)
    assert run() == []
    # The schedule did not run for two weeks: the license is now 26 days from expiry.
    assert [r["days_before"] for r in run(14)] == [30]


def test_a_license_already_inside_seven_days_gets_no_30_day_reminder(api, signing):
    license_ = issue(api, days=5)
    assert [r["days_before"] for r in run()] == [7]
    assert reminders_of(license_["id"]) == [(7, license_["expires_at"])]


def test_renewal_brings_new_reminders_for_the_new_expiry(api, signing):
    license_ = issue(api, days=3)
    run()
    renewed = api.post(f"/admin/licenses/{license_['id']}/renew", ADMIN, {"days": 25}).json
    assert [r["days_before"] for r in run()] == [30]
    assert sorted(reminders_of(license_["id"])) == [(7, license_["expires_at"]), (30, renewed["expires_at"])]


def test_suspended_expired_and_distant_licenses_get_no_reminder(api, signing):
    suspended = issue(api, days=10)
    api.post(f"/admin/licenses/{suspended['id']}/suspend", ADMIN)
    expired = issue(api, days=10)
    set_expiry(expired["id"], in_days(-1))
    issue(api, days=200)
    assert run() == []


def test_the_schedule_handler_writes_the_reminders(api, signing):
    from chalice.test import Client

    from app import app

    license_ = issue(api, days=1)
    set_expiry(license_["id"], in_days(0.5))
    with Client(app) as client:
        client.lambda_.invoke(
            "send_expiry_reminders",
            client.events.generate_cw_event(
                source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
            ),
        )
    assert [days for days, _ in reminders_of(license_["id"])] == [1]


def test_reminder_run_never_scans(api, signing):
    from tests.support.dynamo import counting_requests

    for days in (3, 20, 100):
        issue(api, days=days)
    with counting_requests() as calls:
        run()
    assert calls == {"Query": 1, "PutItem": 2}
