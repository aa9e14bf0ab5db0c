"""The table: one definition for AWS and the local stack, protected against loss."""

from __future__ import annotations

import boto3
from moto import mock_aws

from infra import table_definition

TABLE = "AWS::DynamoDB::Table"


def _normalised(description: dict, ttl: dict) -> dict:
    """What defines a table, from DescribeTable / DescribeTimeToLive or from the template."""
    return {
        "KeySchema": sorted((k["AttributeName"], k["KeyType"]) for k in description["KeySchema"]),
        "AttributeDefinitions": sorted(
            (a["AttributeName"], a["AttributeType"]) for a in description["AttributeDefinitions"]
        ),
        "GlobalSecondaryIndexes": sorted(
            (
                i["IndexName"],
                tuple(sorted((k["AttributeName"], k["KeyType"]) for k in i["KeySchema"])),
                i["Projection"]["ProjectionType"],
            )
            for i in description.get("GlobalSecondaryIndexes", [])
        ),
        "LocalSecondaryIndexes": sorted(i["IndexName"] for i in description.get("LocalSecondaryIndexes", [])),
        "BillingMode": description.get("BillingMode") or description["BillingModeSummary"]["BillingMode"],
        "StreamViewType": description["StreamSpecification"]["StreamViewType"],
        "TimeToLive": ttl,
    }


def _template_table(dev) -> dict:
    properties = dev.one(TABLE)
    ttl = properties["TimeToLiveSpecification"]
    return _normalised(properties, {"AttributeName": ttl["AttributeName"], "Enabled": ttl["Enabled"]})


def _described(client, name: str) -> dict:
    description = client.describe_table(TableName=name)["Table"]
    ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    return _normalised(
        description, {"AttributeName": ttl.get("AttributeName"), "Enabled": ttl.get("TimeToLiveStatus") == "ENABLED"}
    )


def test_template_table_equals_the_table_the_local_stack_creates(dev):
    from chalicelib.core.config import settings
    from infra.local import bootstrap

    with mock_aws():
        bootstrap.create_table()
        created = _described(boto3.client("dynamodb", region_name="us-east-1"), settings().table_name)
    assert created == _template_table(dev)


def test_template_table_equals_the_table_the_pynamodb_model_creates(dev):
    # The API tests create their table from the model itself: it must be the same table too.
    from chalicelib.core.config import settings
    from chalicelib.core.table import PortalItem

    with mock_aws():
        PortalItem.create_table(wait=True)
        created = _described(boto3.client("dynamodb", region_name="us-east-1"), settings().table_name)
    assert created == _template_table(dev)


def test_template_table_properties_come_from_the_shared_definition(dev):
    properties = dev.one(TABLE)
    for key, value in table_definition.cloudformation_properties().items():
        assert properties[key] == value


def test_table_has_point_in_time_recovery_and_deletion_protection(dev):
    dev.template.has_resource_properties(
        TABLE,
        {
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "DeletionProtectionEnabled": True,
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        },
    )


def test_table_is_retained_when_the_stack_is_deleted(dev):
    dev.template.has_resource(TABLE, {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})


def test_table_has_the_indexes_the_models_query(dev):
    indexes = {i["IndexName"]: i for i in dev.one(TABLE)["GlobalSecondaryIndexes"]}
    assert set(indexes) == {f"gsi{n}" for n in range(1, 8)}  # 3-7: the workspace's keyed views
    for name, index in indexes.items():
        assert index["KeySchema"] == [
            {"AttributeName": f"{name}pk", "KeyType": "HASH"},
            {"AttributeName": f"{name}sk", "KeyType": "RANGE"},
        ]
