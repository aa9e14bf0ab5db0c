"""Attachments (PRODUCT.md §3.3): presigned uploads S3 itself limits, referenced from tickets and
responses, listed in the detail, downloaded through a short-lived presigned GET."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.support import attachments as files
from tests.support.dynamo import counting_requests
from tests.support.users import AGENT, ALICE, BOB, CAROL

TICKET = {"title": "Installer stops at 80 %", "description": "It hangs on step 4.", "tags": ["Installation"]}
LOG = b"2026-12-01 09:00 step 4: waiting for port 8443\n" * 20


@pytest.fixture
def bucket(api):
    """The API with the attachments bucket (every moto account of the tests has it)."""
    return api


def download(api, user, number, attachment_id):
    return api.get(f"/tickets/{number}/attachments/{attachment_id}", user)


def test_a_customer_attaches_a_file_to_a_new_ticket_and_downloads_it(bucket):
    api = bucket
    upload = files.uploaded(api, ALICE, "install.log", LOG)
    created = api.post("/tickets", ALICE, {**TICKET, "attachments": [upload]})
    assert created.status_code == 201, created.body
    [listed] = created.json["attachments"]
    assert {k: listed[k] for k in ("filename", "content_type", "size")} == {
        "filename": "install.log",
        "content_type": "text/plain",
        "size": len(LOG),
    }
    number = created.json["number"]
    assert api.get(f"/tickets/{number}", BOB).json["attachments"] == [listed]

    answer = download(api, BOB, number, listed["id"])
    assert answer.status_code == 302
    fetched = requests.get(answer.headers["Location"], timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == LOG
    assert fetched.headers["Content-Disposition"].startswith('attachment; filename="install.log"')
    assert fetched.headers["Content-Type"] == "text/plain"


def test_support_attaches_to_a_response_and_the_customer_sees_it_on_that_message(bucket):
    api = bucket
    number = api.new_ticket(ALICE)["number"]
    upload = files.uploaded(api, AGENT, "fix.patch", b"--- a\n+++ b\n")
    answer = api.post(f"/tickets/{number}/messages", AGENT, {"body": "Apply this patch.", "attachments": [upload]})
    assert answer.status_code == 201, answer.body
    [sent] = answer.json["message"]["attachments"]
    detail = api.get(f"/tickets/{number}", ALICE).json
    assert detail["attachments"] == []
    assert detail["messages"][0]["attachments"] == [sent]
    assert sent["filename"] == "fix.patch" and sent["size"] == 12
    assert requests.get(download(api, ALICE, number, sent["id"]).headers["Location"], timeout=10).content == (
        b"--- a\n+++ b\n"
    )


def test_a_customer_attaches_to_a_response(bucket):
    api = bucket
    number = api.new_ticket(ALICE)["number"]
    upload = files.uploaded(api, BOB, "screen.png", b"\x89PNG\r\n\x1a\nfake", "image/png")
    answer = api.post(f"/tickets/{number}/messages", BOB, {"body": "Screenshot attached.", "attachments": [upload]})
    assert answer.status_code == 201, answer.body
    assert api.get(f"/tickets/{number}", AGENT).json["messages"][0]["attachments"][0]["content_type"] == "image/png"


def test_an_internal_notes_files_are_never_shown_to_customers(bucket):
    api = bucket
    number = api.new_ticket(ALICE)["number"]
    upload = files.uploaded(api, AGENT, "dump.txt", b"internal")
    note = api.post(f"/tickets/{number}/messages", AGENT, {"body": "n", "internal": True, "attachments": [upload]})
    attachment_id = note.json["message"]["attachments"][0]["id"]
    assert api.get(f"/tickets/{number}", AGENT).json["messages"][0]["attachments"][0]["id"] == attachment_id
    assert api.get(f"/tickets/{number}", ALICE).json["messages"] == []
    assert download(api, ALICE, number, attachment_id).status_code == 404
    assert download(api, AGENT, number, attachment_id).status_code == 302


def test_another_organisations_download_is_a_404(bucket):
    api = bucket
    upload = files.uploaded(api, ALICE)
    created = api.post("/tickets", ALICE, {**TICKET, "attachments": [upload]}).json
    answer = download(api, CAROL, created["number"], created["attachments"][0]["id"])
    assert answer.status_code == 404
    assert answer.json["Message"] == f"Ticket #{created['number']} does not exist."
    assert "Location" not in answer.headers


def test_an_unknown_attachment_of_a_visible_ticket_is_a_404_naming_it(bucket):
    api = bucket
    number = api.new_ticket(ALICE)["number"]
    answer = download(api, ALICE, number, "0" * 32)
    assert answer.status_code == 404 and "has no attachment" in answer.json["Message"]


def ticket_numbers(api) -> list[int]:
    return [t["number"] for t in api.get("/tickets?limit=100", AGENT).json["items"]]


def test_an_id_never_uploaded_is_a_400_naming_attachments_and_nothing_is_stored(bucket):
    api = bucket
    started = files.start(api, ALICE)  # a presigned POST nobody used
    assert started.status_code == 201
    answer = api.post("/tickets", ALICE, {**TICKET, "attachments": [started.json["id"]]})
    assert answer.status_code == 400
    assert answer.json["Message"].startswith("attachments[0]:")
    assert ticket_numbers(api) == []
    # No ticket number was spent on the refusal either.
    assert api.new_ticket(ALICE)["number"] == 1


def test_a_file_someone_else_uploaded_is_a_400(bucket):
    api = bucket
    number = api.new_ticket(ALICE)["number"]
    bobs = files.uploaded(api, BOB)
    answer = api.post(f"/tickets/{number}/messages", ALICE, {"body": "see file", "attachments": [bobs]})
    assert answer.status_code == 400 and answer.json["Message"].startswith("attachments[0]:")
    assert api.get(f"/tickets/{number}", ALICE).json["messages"] == []


def test_more_than_ten_files_is_a_400(bucket):
    api = bucket
    ids = [files.uploaded(api, ALICE, f"part{i}.log", b"x") for i in range(11)]
    answer = api.post("/tickets", ALICE, {**TICKET, "attachments": ids})
    assert answer.status_code == 400
    assert answer.json["Message"] == "attachments takes at most 10 items."
    assert ticket_numbers(api) == []


def test_malformed_ids_are_a_400(bucket):
    answer = bucket.post("/tickets", ALICE, {**TICKET, "attachments": ["../../etc/passwd"]})
    assert answer.status_code == 400 and "attachments[0]" in answer.json["Message"]


def test_s3_refuses_a_file_larger_than_declared_through_the_presigned_policy(bucket):
    answer = files.start(bucket, ALICE, data=b"small", size=5)
    policy = json.loads(base64.b64decode(answer.json["upload"]["fields"]["policy"]))
    assert ["content-length-range", 5, 5] in policy["conditions"]
    refused = files.post_file(answer.json["upload"], b"much larger than five bytes")
    assert refused.status_code == 400 and "EntityTooLarge" in refused.text
    assert files.post_file(answer.json["upload"], b"small").status_code == 204


def test_the_policy_pins_the_uploader_and_the_type(bucket):
    upload = files.start(bucket, ALICE, data=b"hello").json["upload"]
    forged = {**upload, "fields": {**upload["fields"], "x-amz-meta-owner": "someone-else"}}
    assert files.post_file(forged, b"hello").status_code == 403
    retyped = {**upload, "fields": {**upload["fields"], "Content-Type": "text/html"}}
    assert files.post_file(retyped, b"hello").status_code == 403


def test_a_file_over_the_limit_is_refused_before_any_upload(bucket):
    answer = files.start(bucket, ALICE, data=b"", size=25 * 1024 * 1024 + 1)
    assert answer.status_code == 400
    assert answer.json["Message"].startswith("size:") and "25 MB" in answer.json["Message"]
    assert files.start(bucket, ALICE, data=b"", size=25 * 1024 * 1024).status_code == 201


@pytest.mark.parametrize("name", ["setup.exe", "run.BAT", "fix.ps1", "dir/evil.scr"])
def test_programs_are_refused(bucket, name):
    answer = files.start(bucket, ALICE, name=name, content_type="application/octet-stream")
    assert answer.status_code == 400 and answer.json["Message"].startswith("filename:")


@pytest.mark.parametrize(
    ("name", "declared"),
    [
        ("page.html", "text/html"),
        ("diagram.svg", "image/svg+xml"),
        ("notes.html", "text/plain"),
        ("x.js", "text/javascript"),
    ],
)
def test_types_a_browser_would_run_are_stored_and_served_as_octet_stream(bucket, name, declared):
    api = bucket
    upload = files.uploaded(api, ALICE, name, b"<script>alert(1)</script>", declared)
    created = api.post("/tickets", ALICE, {**TICKET, "attachments": [upload]}).json
    assert created["attachments"][0]["content_type"] == "application/octet-stream"
    location = download(api, ALICE, created["number"], created["attachments"][0]["id"]).headers["Location"]
    fetched = requests.get(location, timeout=10)
    assert fetched.headers["Content-Type"] == "application/octet-stream"
    assert fetched.headers["Content-Disposition"].startswith("attachment;")


def test_file_names_lose_folders_and_control_characters(bucket):
    answer = files.start(bucket, ALICE, name="C:\\Users\\al\\..\\re\u202eport\x07.txt")
    assert answer.status_code == 201
    assert answer.json["filename"] == "re port.txt"


def test_a_presigned_download_is_valid_five_minutes_and_refused_after(bucket, monkeypatch):
    import botocore.auth

    api = bucket
    upload = files.uploaded(api, ALICE)
    created = api.post("/tickets", ALICE, {**TICKET, "attachments": [upload]}).json
    path = f"/tickets/{created['number']}/attachments/{created['attachments'][0]['id']}"
    location = api.get(path, ALICE).headers["Location"]
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == ["300"]

    def signed_ago(minutes):
        moment = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=minutes)
        monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: moment)
        return api.get(path, ALICE).headers["Location"]

    assert requests.get(signed_ago(4), timeout=10).status_code == 200
    expired = requests.get(signed_ago(6), timeout=10)
    assert expired.status_code == 403 and "expired" in expired.text


def test_the_event_names_its_files_for_the_mails(bucket):
    from chalicelib.tickets.reading import load

    api = bucket
    upload = files.uploaded(api, ALICE, "install.log", LOG)
    number = api.post("/tickets", ALICE, {**TICKET, "attachments": [upload]}).json["number"]
    [event] = load(number)[2]
    assert [dict(a) for a in event.attachments] == [
        {"filename": "install.log", "content_type": "text/plain", "size": len(LOG)}
    ]


def test_a_file_from_a_mail_is_attached_like_an_upload(bucket):
    from chalicelib.attachments import store_inbound
    from chalicelib.identity.auth import Principal

    api = bucket
    number = api.new_ticket(ALICE)["number"]
    alice_id = api.get("/me", ALICE).json["user_id"]
    alice = Principal(user_id=alice_id, email=ALICE.email, org="acme", roles=frozenset())
    upload = store_inbound(alice, "trace.txt", "text/plain", b"trace")
    answer = api.post(f"/tickets/{number}/messages", ALICE, {"body": "by mail", "attachments": [upload]})
    assert answer.status_code == 201, answer.body
    assert answer.json["message"]["attachments"][0]["filename"] == "trace.txt"
    assert store_inbound.__module__ == "chalicelib.attachments.uploads"
    with pytest.raises(Exception, match="programs"):
        store_inbound(alice, "virus.exe", "application/octet-stream", b"MZ")


def test_create_with_attachments_keeps_the_dynamodb_budget(bucket):
    api = bucket
    ids = [files.uploaded(api, ALICE, f"f{i}.log", b"x") for i in range(3)]
    with counting_requests() as calls:
        answer = api.post("/tickets", ALICE, {**TICKET, "attachments": ids})
    assert answer.status_code == 201
    assert dict(calls) == {"UpdateItem": 1, "TransactWriteItems": 1}


def test_the_detail_with_ten_attachments_is_one_query(bucket):
    api = bucket
    number = api.post("/tickets", ALICE, {**TICKET, "attachments": [files.uploaded(api, ALICE)]}).json["number"]
    for _ in range(9):
        api.post(f"/tickets/{number}/messages", ALICE, {"body": "more", "attachments": [files.uploaded(api, ALICE)]})
    with counting_requests() as calls:
        detail = api.get(f"/tickets/{number}", ALICE).json
    assert dict(calls) == {"Query": 1}
    assert len(detail["attachments"]) + sum(len(m["attachments"]) for m in detail["messages"]) == 10


def test_a_long_name_keeps_its_extension_and_fits_the_objects_metadata(bucket):
    from urllib.parse import quote

    long = files.start(bucket, ALICE, name="x" * 500 + ".log").json["filename"]
    assert len(long) == 200 and long.endswith(".log")
    wide = files.start(bucket, ALICE, name="😀" * 300 + ".png", content_type="image/png").json["filename"]
    assert wide.endswith(".png") and len(quote(wide, safe="")) <= 1024
