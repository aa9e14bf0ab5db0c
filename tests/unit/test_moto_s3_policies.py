"""The emulator's S3 refuses what S3 refuses: a POST outside its policy, an expired presigned URL."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from infra.local import moto_s3_policies
from infra.local.moto_s3_policies import Answer, presign_expired

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def form(conditions, expiration=NOW + timedelta(minutes=30), **fields):
    policy = {"expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ"), "conditions": conditions}
    return {"policy": base64.b64encode(json.dumps(policy).encode()).decode(), "x-amz-signature": "s", **fields}


def post_refusal(bucket: str, fields: dict[str, str], size: int, now: datetime) -> Answer:
    refusal = moto_s3_policies.post_refusal(bucket, fields, size, now)
    assert refusal is not None, "allowed"
    return refusal


def test_a_post_within_its_policy_is_allowed():
    fields = form([{"bucket": "b"}, {"key": "uploads/1"}, ["content-length-range", 5, 5]], key="uploads/1")
    assert moto_s3_policies.post_refusal("b", fields, 5, NOW) is None


def test_the_size_must_be_in_the_range():
    fields = form([{"bucket": "b"}, {"key": "k"}, ["content-length-range", 5, 5]], key="k")
    assert post_refusal("b", fields, 6, NOW)[2].count(b"EntityTooLarge") == 1
    assert b"EntityTooSmall" in post_refusal("b", fields, 4, NOW)[2]


def test_an_expired_policy_a_changed_field_and_an_extra_field_are_refused():
    conditions = [{"bucket": "b"}, ["starts-with", "$key", "uploads/"]]
    assert post_refusal("b", form(conditions, NOW - timedelta(seconds=1), key="uploads/x"), 1, NOW)[0] == 403
    assert post_refusal("b", form(conditions, key="tickets/x"), 1, NOW)[0] == 403
    assert b"Extra input fields" in post_refusal("b", form(conditions, key="uploads/x", acl="public-read"), 1, NOW)[2]
    assert post_refusal("other", form(conditions, key="uploads/x"), 1, NOW)[0] == 403
    assert post_refusal("b", {"key": "uploads/x"}, 1, NOW)[0] == 403  # no policy: anonymous


def test_a_presigned_url_expires_after_its_lifetime():
    query = {"X-Amz-Date": ["20261201T085500Z"], "X-Amz-Expires": ["300"]}
    assert not presign_expired(query, NOW)
    assert presign_expired(query, NOW + timedelta(seconds=1))
    assert not presign_expired({}, NOW)
