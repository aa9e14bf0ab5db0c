"""A deployment that DynamoDB's TTL removed frees its slot, once, through the stream handler."""

from __future__ import annotations

from tests.support.licenses import issue
from tests.support.users import ALICE


def ttl_removal(license_id: str, instance_id: str, event_id: str = "ev-1") -> dict:
    org = license_id.rpartition("_")[0]
    return {
        "eventID": event_id,
        "eventName": "REMOVE",
        "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
        "dynamodb": {
            "SequenceNumber": f"seq-{event_id}",
            "OldImage": {
                "pk": {"S": f"ORG#{org}"},
                "sk": {"S": f"LICENSE#{license_id}#DEPLOY#{instance_id}"},
                "type": {"S": "deployment"},
                "license_id": {"S": license_id},
                "instance_id": {"S": instance_id},
            },
        },
    }


def checkin(api, key, instance_id):
    body = {"key": key, "instance_id": instance_id, "version": "1", "hostname": "h"}
    return api.post("/licenses/checkin", body=body).status_code


def expire(license_id: str, instance_id: str) -> None:
    """What TTL does to the item (the emulator never runs TTL)."""
    from chalicelib.licenses.models import DeploymentItem, deployment_sk

    DeploymentItem(f"ORG#{license_id.rpartition('_')[0]}", deployment_sk(license_id, instance_id)).delete()


def test_a_ttl_removed_deployment_frees_its_slot_once(api, signing):
    from chalicelib import streams

    license_ = issue(api, "acme", max_deployments=1)
    assert checkin(api, license_["key"], "old") == 200
    assert checkin(api, license_["key"], "new") == 403
    expire(license_["id"], "old")
    record = ttl_removal(license_["id"], "old")
    for _ in range(2):  # a retried batch counts it once
        assert streams.handle({"Records": [record]}) == {"batchItemFailures": []}
    assert api.get(f"/licenses/{license_['id']}", ALICE).json["deployments_total"] == 0
    assert checkin(api, license_["key"], "new") == 200


def test_a_release_through_the_api_is_not_counted_again(api, signing):
    from chalicelib import streams

    license_ = issue(api, "acme", max_deployments=2)
    checkin(api, license_["key"], "a")
    checkin(api, license_["key"], "b")
    assert api.delete(f"/licenses/{license_['id']}/deployments/a", ALICE).status_code == 204
    user_delete = {**ttl_removal(license_["id"], "a"), "userIdentity": None}
    assert streams.handle({"Records": [user_delete]}) == {"batchItemFailures": []}
    assert api.get(f"/licenses/{license_['id']}", ALICE).json["deployments_total"] == 1


def test_the_count_never_goes_below_zero(api, signing):
    from chalicelib import streams

    license_ = issue(api, "acme", max_deployments=1)
    record = ttl_removal(license_["id"], "ghost", "ev-ghost")
    assert streams.handle({"Records": [record]}) == {"batchItemFailures": []}
    assert api.get(f"/licenses/{license_['id']}", ALICE).json["deployments_total"] == 0
