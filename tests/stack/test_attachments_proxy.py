"""The local stack's /_s3/ proxy: browsers reach the emulator's attachments bucket for presigned
uploads and downloads, and for nothing else."""

from __future__ import annotations

import json

import pytest
import requests

from tests.stack.test_local_stack_safety import raw

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]
BUCKET = "portal-attachments"


def start(stack, token, data: bytes):
    body = {"filename": "proxy.log", "content_type": "text/plain", "size": len(data)}
    status, answer = stack.request("POST", "api/attachments", token, body)
    assert status == 201, answer
    return answer


def test_an_upload_through_the_proxy_reaches_the_bucket_and_downloads_back(local_stack):
    token = local_stack.sign_in("alice@acme.example")
    data = b"through the proxy\n"
    answer = start(local_stack, token, data)
    assert answer["upload"]["url"] == f"{local_stack.url}_s3/{BUCKET}"
    origin = local_stack.url.rstrip("/")
    sent = requests.post(
        answer["upload"]["url"],
        data=answer["upload"]["fields"],
        files={"file": ("proxy.log", data)},
        headers={"Origin": origin},
        timeout=10,
    )
    assert sent.status_code == 204, sent.text
    ticket = {"title": "Proxy", "description": "d", "tags": ["Bug"], "attachments": [answer["id"]]}
    status, created = local_stack.request("POST", "api/tickets", token, ticket)
    assert status == 201, created
    path = f"/api/tickets/{created['number']}/attachments/{created['attachments'][0]['id']}"
    status, headers, _ = raw(
        local_stack, "GET", path, {"Host": f"127.0.0.1:{local_stack.port}", "Authorization": f"Bearer {token}"}
    )
    assert status == 302 and headers["location"].startswith(f"{local_stack.url}_s3/{BUCKET}/tickets/")
    assert requests.get(headers["location"], timeout=10).content == data


def test_an_upload_from_another_sites_page_is_refused(local_stack):
    token = local_stack.sign_in("alice@acme.example")
    answer = start(local_stack, token, b"x")
    sent = requests.post(
        answer["upload"]["url"],
        data=answer["upload"]["fields"],
        files={"file": ("x", b"x")},
        headers={"Origin": "https://evil.example"},
        timeout=10,
    )
    assert sent.status_code == 403 and "evil.example" in sent.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/_s3/{BUCKET}"),  # listing
        ("GET", f"/_s3/{BUCKET}/tickets/1/x"),  # a GET that is not presigned
        ("PUT", f"/_s3/{BUCKET}/uploads/x"),
        ("DELETE", f"/_s3/{BUCKET}/tickets/1/x?X-Amz-Signature=0"),
        ("POST", f"/_s3/{BUCKET}?delete"),
        ("GET", "/_s3/"),  # every bucket
        ("POST", "/_s3/portal-inbound-mail"),
    ],
)
def test_the_proxy_passes_nothing_but_presigned_uploads_and_downloads(local_stack, method, path):
    status, _, body = raw(local_stack, method, path, {"Host": f"127.0.0.1:{local_stack.port}"}, b"")
    assert status in (403, 404), (status, body)
    assert b"<ListBucketResult" not in body and b"<ListAllMyBuckets" not in body
    json.dumps(body.decode())  # plain text, no emulator XML
