"""Attachments in tests: the bucket (from the shared definition) and a browser-like upload."""

from __future__ import annotations

import requests

from tests.support.users import User


def start(
    api,
    user: User,
    name: str = "install.log",
    data: bytes = b"step 4: waiting for port 8443\n",
    content_type: str = "text/plain",
    size: int | None = None,
):
    return api.post(
        "/attachments",
        user,
        {"filename": name, "content_type": content_type, "size": len(data) if size is None else size},
    )


def post_file(upload: dict, data: bytes, name: str = "file") -> requests.Response:
    """What the widget does: the policy's fields first, then the file, as multipart/form-data."""
    return requests.post(upload["url"], data=upload["fields"], files={"file": (name, data)}, timeout=10)


def uploaded(
    api,
    user: User,
    name: str = "install.log",
    data: bytes = b"step 4: waiting for port 8443\n",
    content_type: str = "text/plain",
) -> str:
    answer = start(api, user, name, data, content_type)
    assert answer.status_code == 201, answer.body
    sent = post_file(answer.json["upload"], data)
    assert sent.status_code == 204, sent.text
    return answer.json["id"]
