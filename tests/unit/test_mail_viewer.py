"""The local mail viewer: newest first, everything escaped, the mail's HTML only ever sandboxed."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from chalicelib.mail import compose as n
from chalicelib.mail import mime
from infra.local.mail_viewer import MailViewer

TICKET = {
    "number": 7,
    "title": "<img src=x onerror=alert(1)> broken",
    "org": "acme",
    "created_by": "alice@acme.example",
    "description": "<script>steal()</script>",
    "tags": ["Bug"],
    "followers": ["bob@acme.example"],
}


@dataclass
class Raw:
    id: str
    raw_data: str
    destinations: list[str]


@pytest.fixture
def viewer() -> MailViewer:
    created = n.ticket_mails(
        {"id": "e1", "kind": "created", "actor": "alice@acme.example", "actor_role": "customer"}, TICKET
    )
    closed = n.ticket_mails(
        {"id": "e2", "kind": "closed", "actor": "alice@acme.example", "actor_role": "customer"}, TICKET
    )
    sent = [
        Raw(f"m{i}", mime.to_mime(mail).decode(), [mail.recipient, mail.recipient])
        for i, mail in enumerate(created + closed)
    ]
    return MailViewer(lambda: sent)


def get(viewer, path):
    status, headers, body = viewer("GET", path, {}, b"")
    return status, headers, body.decode()


def test_api_lists_every_mail_newest_first_with_parts_and_threading(viewer):
    status, headers, body = get(viewer, "/api")
    mails = json.loads(body)["mails"]
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert [m["id"] for m in mails] == ["m3", "m2", "m1", "m0"]
    assert mails[0]["recipients"] == ["support@vendor.example"]  # the envelope, once
    assert (
        mails[1]["in_reply_to"]
        == mails[3]["in_reply_to"]
        == mails[1]["thread"]
        == "<ticket-7.root@portal.vendor.example>"
    )
    assert mails[1]["ticket"] == "7" and "closed" in mails[1]["text"] and mails[1]["html"].startswith("<!DOCTYPE")


def test_list_page_escapes_subjects_and_has_a_strict_policy(viewer):
    status, headers, page = get(viewer, "/")
    assert status == 200
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert (
        "default-src 'none'" in headers["Content-Security-Policy"]
        and "script-src" not in headers["Content-Security-Policy"]
    )
    assert page.index('href="/_mail/m3"') < page.index('href="/_mail/m0"')


def test_detail_page_frames_the_html_in_a_sandbox_and_never_inlines_it(viewer):
    status, _, page = get(viewer, "/m0")
    assert status == 200
    assert '<iframe class="mail" sandbox="allow-popups allow-popups-to-escape-sandbox" src="/_mail/m0/html"' in page
    assert "<script>steal()" not in page and "&lt;script&gt;steal()&lt;/script&gt;" in page  # the text part
    assert '<table role="presentation"' not in page


def test_mail_html_is_served_under_a_csp_sandbox_for_the_viewer_frame_only(viewer):
    status, headers, body = get(viewer, "/m0/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    policy = headers["Content-Security-Policy"]
    assert policy.startswith("sandbox ") and "allow-scripts" not in policy and "allow-same-origin" not in policy
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert '<base target="_blank">' in body


def test_thread_filter_shows_one_tickets_thread(viewer):
    _, _, page = get(viewer, "/api")
    thread = json.loads(page)["mails"][1]["thread"]
    _, _, filtered = get(viewer, f"/?thread={thread}")
    assert all(f'href="/_mail/m{i}"' in filtered for i in range(4))
    _, _, other = get(viewer, "/?thread=%3Cticket-8.root%40portal.vendor.example%3E")
    assert 'href="/_mail/m0"' not in other


def test_unknown_mail_and_other_methods_are_refused(viewer):
    assert get(viewer, "/nope")[0] == 404
    assert get(viewer, "/m0/other")[0] == 404
    assert viewer("POST", "/", {}, b"")[0] == 405


def test_raw_message_is_served_as_plain_text(viewer):
    status, headers, body = get(viewer, "/m0/raw")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "Message-ID: <ticket-7." in body
