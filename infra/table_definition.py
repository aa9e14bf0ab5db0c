"""The portal table's definition, derived from the PynamoDB model: the one source from which
the local stack (boto3 ``CreateTable``) and the CDK stack (``AWS::DynamoDB::Table``) build it,
so the two cannot drift apart."""

from __future__ import annotations

from typing import Any


def _model():
    from chalicelib.core.table import PortalItem

    return PortalItem


def ttl_attribute() -> str | None:
    """The attribute DynamoDB's time to live reads (a ``TTLAttribute`` of the model), if any."""
    from pynamodb.attributes import TTLAttribute

    for attribute in _model().get_attributes().values():
        if isinstance(attribute, TTLAttribute):
            return attribute.attr_name
    return None


def create_table_request(table_name: str, index_count: int | None = None) -> dict[str, Any]:
    """The ``CreateTable`` arguments (boto3 names) for the model, sorted so they compare equal.

    ``index_count`` keeps only the first so many GSIs (gsi1, gsi2, ...): DynamoDB adds one GSI per
    table update, so a deployed table gains new indexes one deployment at a time."""
    model = _model()
    schema = model._get_schema()
    request: dict[str, Any] = {
        "TableName": table_name,
        "KeySchema": schema["key_schema"],
        "AttributeDefinitions": sorted(schema["attribute_definitions"], key=lambda a: a["AttributeName"]),
        "BillingMode": model.Meta.billing_mode,
    }
    indexes = sorted(
        (
            {"IndexName": index["index_name"], "KeySchema": index["key_schema"], "Projection": index["projection"]}
            for index in schema["global_secondary_indexes"]
        ),
        key=lambda i: int(i["IndexName"].removeprefix("gsi")),
    )
    if index_count is not None:
        indexes = indexes[:index_count]
        used = {key["AttributeName"] for index in indexes for key in index["KeySchema"]}
        used |= {key["AttributeName"] for key in request["KeySchema"]}
        request["AttributeDefinitions"] = [a for a in request["AttributeDefinitions"] if a["AttributeName"] in used]
    if indexes:
        request["GlobalSecondaryIndexes"] = indexes
    if getattr(model.Meta, "stream_view_type", None):
        request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": model.Meta.stream_view_type}
    return request


def index_count() -> int:
    """How many GSIs the model has."""
    return len(_model()._get_schema()["global_secondary_indexes"])


def cloudformation_properties(index_count: int | None = None) -> dict[str, Any]:
    """The same definition as ``AWS::DynamoDB::Table`` properties (CloudFormation names the
    table itself and carries the TTL; the stream has no ``StreamEnabled`` flag there)."""
    request = create_table_request("unused", index_count)
    properties = {key: value for key, value in request.items() if key != "TableName"}
    if "StreamSpecification" in properties:
        properties["StreamSpecification"] = {"StreamViewType": properties["StreamSpecification"]["StreamViewType"]}
    ttl = ttl_attribute()
    if ttl:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl, "Enabled": True}
    return properties


def create_table(client: Any, table_name: str) -> None:
    """Create the table through a boto3 DynamoDB client (the local stack's emulator), wait for
    it, and switch on its time to live, exactly as CloudFormation would."""
    client.create_table(**create_table_request(table_name))
    client.get_waiter("table_exists").wait(TableName=table_name)
    ttl = ttl_attribute()
    if ttl:
        client.update_time_to_live(
            TableName=table_name, TimeToLiveSpecification={"AttributeName": ttl, "Enabled": True}
        )
