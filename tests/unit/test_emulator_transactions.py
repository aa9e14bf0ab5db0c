"""The emulator's moto patches: transactions undone item by item, streams kept for 24 hours."""

from __future__ import annotations

import copy
from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra.local import moto_patches

TABLE = "emulator-test"


@pytest.fixture
def dynamodb():
    moto_patches.install()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "status")],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "byStatus",
                    "Projection": {"ProjectionType": "ALL"},
                    "KeySchema": [
                        {"AttributeName": "status", "KeyType": "HASH"},
                        {"AttributeName": "sk", "KeyType": "RANGE"},
                    ],
                }
            ],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        yield client


@pytest.fixture
def streams(dynamodb):
    return boto3.client(
        "dynamodbstreams", region_name="us-east-1", endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com"
    )


def key(pk: str, sk: str = "A") -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def put(client, pk: str, sk: str = "A", **attrs: str) -> None:
    item = {**key(pk, sk), **{name: {"S": value} for name, value in attrs.items()}}
    client.put_item(TableName=TABLE, Item=item)


def get(client, pk: str, sk: str = "A") -> dict | None:
    return client.get_item(TableName=TABLE, Key=key(pk, sk), ConsistentRead=True).get("Item")


def stored(client, pk: str, sk: str = "A") -> dict:
    item = get(client, pk, sk)
    assert item is not None, f"{pk}/{sk} is not stored"
    return item


def by_status(client, status: str) -> list[dict]:
    return client.query(
        TableName=TABLE,
        IndexName="byStatus",
        KeyConditionExpression="#s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": status}},
    )["Items"]


def update(pk: str, status: str, sk: str = "A") -> dict:
    return {
        "Update": {
            "TableName": TABLE,
            "Key": key(pk, sk),
            "UpdateExpression": "SET #s = :s",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":s": {"S": status}},
        }
    }


def put_op(pk: str, sk: str = "A", status: str = "open") -> dict:
    return {"Put": {"TableName": TABLE, "Item": {**key(pk, sk), "status": {"S": status}}}}


def delete(pk: str, sk: str = "A") -> dict:
    return {"Delete": {"TableName": TABLE, "Key": key(pk, sk)}}


def failing_check(pk: str, sk: str = "A", **extra) -> dict:
    return {
        "ConditionCheck": {
            "TableName": TABLE,
            "Key": key(pk, sk),
            "ConditionExpression": "attribute_not_exists(pk)",
            **extra,
        }
    }


def cancellation(client, items: list[dict]) -> list[dict]:
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(TransactItems=items)
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    return raised.value.response["CancellationReasons"]


def seed(client) -> None:
    put(client, "t1", status="open", title="first")
    put(client, "t2", status="open", title="second")
    put(client, "t3", status="closed", title="third")


def snapshot(client) -> dict:
    return {pk: get(client, pk) for pk in ("t1", "t2", "t3", "t4")} | {
        status: sorted(i["pk"]["S"] for i in by_status(client, status)) for status in ("open", "closed", "pending")
    }


def test_a_cancelled_transaction_leaves_every_touched_item_as_it_was(dynamodb):
    seed(dynamodb)
    before = snapshot(dynamodb)
    cancellation(dynamodb, [update("t1", "pending"), delete("t2"), put_op("t4"), failing_check("t3")])
    assert snapshot(dynamodb) == before
    assert get(dynamodb, "t4") is None
    assert (
        dynamodb.query(
            TableName=TABLE, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "t4"}}
        )["Items"]
        == []
    )


def test_an_update_of_a_missing_item_is_undone_to_absence(dynamodb):
    seed(dynamodb)
    cancellation(dynamodb, [update("t9", "pending"), failing_check("t1")])
    assert get(dynamodb, "t9") is None
    assert by_status(dynamodb, "pending") == []


def test_a_cancelled_transaction_restores_items_of_a_table_without_a_sort_key(dynamodb):
    dynamodb.create_table(
        TableName="plain",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    for name in ("kept", "gone", "checked"):
        dynamodb.put_item(TableName="plain", Item={"id": {"S": name}, "n": {"N": "1"}})
    reasons = cancellation(
        dynamodb,
        [
            {
                "Update": {
                    "TableName": "plain",
                    "Key": {"id": {"S": "kept"}},
                    "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
            {"Delete": {"TableName": "plain", "Key": {"id": {"S": "gone"}}}},
            {"Put": {"TableName": "plain", "Item": {"id": {"S": "new"}}}},
            {
                "ConditionCheck": {
                    "TableName": "plain",
                    "Key": {"id": {"S": "checked"}},
                    "ConditionExpression": "n = :two",
                    "ExpressionAttributeValues": {":two": {"N": "2"}},
                }
            },
        ],
    )
    assert [r["Code"] for r in reasons] == ["None", "None", "None", "ConditionalCheckFailed"]
    items = {
        name: dynamodb.get_item(TableName="plain", Key={"id": {"S": name}}).get("Item")
        for name in ("kept", "gone", "new")
    }
    assert items == {
        "kept": {"id": {"S": "kept"}, "n": {"N": "1"}},
        "gone": {"id": {"S": "gone"}, "n": {"N": "1"}},
        "new": None,
    }


def test_an_applied_transaction_stores_every_item(dynamodb):
    seed(dynamodb)
    dynamodb.transact_write_items(
        TransactItems=[
            update("t1", "pending"),
            delete("t2"),
            put_op("t4", status="closed"),
            {"ConditionCheck": {"TableName": TABLE, "Key": key("t3"), "ConditionExpression": "attribute_exists(pk)"}},
        ]
    )
    assert stored(dynamodb, "t1")["status"] == {"S": "pending"}
    assert stored(dynamodb, "t1")["title"] == {"S": "first"}
    assert get(dynamodb, "t2") is None
    assert get(dynamodb, "t4") == {**key("t4"), "status": {"S": "closed"}}
    assert sorted(i["pk"]["S"] for i in by_status(dynamodb, "closed")) == ["t3", "t4"]


def test_cancellation_reasons_name_each_item_in_request_order(dynamodb):
    seed(dynamodb)
    conditional_put = {
        "Put": {
            "TableName": TABLE,
            "Item": {**key("t2"), "status": {"S": "x"}},
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }
    reasons = cancellation(
        dynamodb,
        [
            update("t1", "pending"),
            conditional_put,
            put_op("t4"),
            failing_check("t3", ReturnValuesOnConditionCheckFailure="ALL_OLD"),
        ],
    )
    assert [r["Code"] for r in reasons] == ["None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed"]
    assert "Item" not in reasons[1]
    assert reasons[3]["Item"] == {**key("t3"), "status": {"S": "closed"}, "title": {"S": "third"}}


def test_a_validation_error_midway_undoes_the_items_already_written(dynamodb):
    seed(dynamodb)
    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(TransactItems=[put_op("t5"), update("t1", "pending"), delete("t1")])
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert get(dynamodb, "t5") is None
    assert stored(dynamodb, "t1")["status"] == {"S": "open"}


def test_a_transaction_never_copies_a_table(dynamodb, monkeypatch):
    from moto.dynamodb.models.table import Table

    deepcopy = copy.deepcopy

    def refuse_tables(value, *args, **kwargs):
        if isinstance(value, Table) or (isinstance(value, dict) and any(isinstance(v, Table) for v in value.values())):
            raise AssertionError("a transaction copied a table")
        return deepcopy(value, *args, **kwargs)

    seed(dynamodb)
    monkeypatch.setattr(copy, "deepcopy", refuse_tables)
    dynamodb.transact_write_items(TransactItems=[update("t1", "pending"), put_op("t4")])
    cancellation(dynamodb, [update("t2", "pending"), delete("t3"), failing_check("t1")])
    assert stored(dynamodb, "t1")["status"] == {"S": "pending"}
    assert stored(dynamodb, "t2")["status"] == {"S": "open"}


def open_iterator(dynamodb, streams, position: str = "LATEST") -> str:
    arn = dynamodb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    return streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=position)["ShardIterator"]


def read(streams, iterator: str) -> tuple[list[tuple[str, str]], str]:
    answer = streams.get_records(ShardIterator=iterator)
    return [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in answer["Records"]], answer["NextShardIterator"]


def test_a_cancelled_transaction_leaves_no_stream_records_and_an_open_iterator_reads_on(dynamodb, streams):
    seed(dynamodb)
    records, iterator = read(streams, open_iterator(dynamodb, streams, "TRIM_HORIZON"))
    assert records == [("INSERT", "t1"), ("INSERT", "t2"), ("INSERT", "t3")]

    cancellation(dynamodb, [update("t1", "pending"), delete("t2"), put_op("t4"), failing_check("t3")])
    records, iterator = read(streams, iterator)
    assert records == []

    dynamodb.transact_write_items(TransactItems=[update("t2", "closed"), put_op("t6")])
    put(dynamodb, "t7")
    records, iterator = read(streams, iterator)
    assert records == [("MODIFY", "t2"), ("INSERT", "t6"), ("INSERT", "t7")]
    everything, _ = read(streams, open_iterator(dynamodb, streams, "TRIM_HORIZON"))
    assert everything == [
        ("INSERT", "t1"),
        ("INSERT", "t2"),
        ("INSERT", "t3"),
        ("MODIFY", "t2"),
        ("INSERT", "t6"),
        ("INSERT", "t7"),
    ]


@pytest.fixture
def clock(monkeypatch):
    """Moves the emulator's clock: ``clock(hours)`` makes it that many hours from now."""
    from moto.core.utils import utcnow
    from moto.dynamodb.models import table as moto_table

    from infra.local import moto_stream_retention

    def move(hours: float) -> None:
        moment = utcnow() + timedelta(hours=hours)
        monkeypatch.setattr(moto_table, "utcnow", lambda: moment)  # stamps new records
        monkeypatch.setattr(moto_stream_retention, "utcnow", lambda: moment)  # retention's now

    return move


def test_stream_records_older_than_24_hours_are_dropped_and_newer_ones_kept(dynamodb, streams, clock):
    put(dynamodb, "old1")
    put(dynamodb, "old2")
    clock(2)
    put(dynamodb, "recent")
    clock(25)
    put(dynamodb, "new")
    records, _ = read(streams, open_iterator(dynamodb, streams, "TRIM_HORIZON"))
    assert records == [("INSERT", "recent"), ("INSERT", "new")]


def test_iterators_opened_before_a_trim_read_on_with_the_same_sequence_numbers(dynamodb, streams, clock):
    put(dynamodb, "old1")
    put(dynamodb, "old2")
    behind = open_iterator(dynamodb, streams, "TRIM_HORIZON")
    first = streams.get_records(ShardIterator=behind, Limit=1)
    old2 = streams.get_records(ShardIterator=first["NextShardIterator"], Limit=1)["Records"][0]
    latest = open_iterator(dynamodb, streams, "LATEST")

    clock(25)
    put(dynamodb, "new")
    put(dynamodb, "newer")

    for iterator in (behind, first["NextShardIterator"], latest):
        records, _ = read(streams, iterator)
        assert records == [("INSERT", "new"), ("INSERT", "newer")]
    answer = streams.get_records(ShardIterator=open_iterator(dynamodb, streams, "TRIM_HORIZON"))
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in answer["Records"]]
    assert numbers == [int(old2["dynamodb"]["SequenceNumber"]) + 1, int(old2["dynamodb"]["SequenceNumber"]) + 2]
    records, _ = read(streams, answer["NextShardIterator"])
    assert records == []


def test_get_records_answers_what_motos_own_serializer_answers(dynamodb, streams):
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    from infra.local import moto_stream_reads

    put(dynamodb, "t9", status="open", title="ninth")
    dynamodb.update_item(
        TableName=TABLE,
        Key=key("t9"),
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "closed"}},
    )
    iterator = open_iterator(dynamodb, streams, "TRIM_HORIZON")
    ours = streams.get_records(ShardIterator=iterator, Limit=100)["Records"]
    original = moto_stream_reads.ORIGINAL_GET_RECORDS
    try:
        DynamoDBStreamsHandler.get_records = original  # type: ignore[method-assign]
        motos = streams.get_records(ShardIterator=iterator, Limit=100)["Records"]
    finally:
        moto_stream_reads.install()
    assert len(ours) == len(motos) >= 2
    for mine, theirs in zip(ours, motos, strict=True):
        mine_at = mine["dynamodb"].pop("ApproximateCreationDateTime")
        their_at = theirs["dynamodb"].pop("ApproximateCreationDateTime")
        assert abs((mine_at - their_at).total_seconds()) < 1
        assert mine == theirs
