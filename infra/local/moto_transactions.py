"""moto's TransactWriteItems with an undo log: a cancelled transaction puts back only the
items it touched and cuts the stream back, instead of deep-copying every table per call."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table


@dataclass
class _PreImage:
    table: Table
    hash_key: DynamoType
    range_key: DynamoType | None
    partition_existed: bool  # moto's ``items`` is a defaultdict: a miss can leave an empty partition
    item: Item | None  # None: the item did not exist


@dataclass
class _UndoLog:
    """What a transaction changed, recorded before each write, so it can be taken back."""

    items: list[_PreImage] = field(default_factory=list)
    # Per table, the sequence number the stream's next record would get before the transaction.
    # By number, not list length: retention may drop old records from the front meanwhile.
    stream_marks: dict[int, tuple[Table, int]] = field(default_factory=dict)

    def record(self, table: Table, hash_key: DynamoType, range_key: DynamoType | None, updating: bool) -> None:
        shard = table.stream_shard
        if id(table) not in self.stream_marks and shard is not None:
            self.stream_marks[id(table)] = (table, shard.starting_sequence_number + len(shard.items))
        partition_existed = hash_key in table.items
        current = table.get_item(hash_key, range_key) if partition_existed else None
        # An update changes the stored Item in place; a put replaces it and a delete pops it,
        # so only an update needs its own copy of the pre-image (one item, never the table).
        if current is not None and updating:
            current = copy.deepcopy(current)
        self.items.append(_PreImage(table, hash_key, range_key, partition_existed, current))

    def roll_back(self) -> None:
        for before in reversed(self.items):
            _restore(before)
        for table, next_sequence in self.stream_marks.values():
            shard = table.stream_shard
            if shard is not None:
                # Records numbered from the mark on were written by this transaction.
                del shard.items[max(0, next_sequence - shard.starting_sequence_number) :]


def _restore(before: _PreImage) -> None:
    items = before.table.items
    if before.table.range_key_attr is None:
        if before.item is None:
            items.pop(before.hash_key, None)
        else:
            # moto types ``items`` as partitions; a table without a sort key keeps items there directly.
            items[before.hash_key] = before.item  # type: ignore[assignment]
        return
    partition = items[before.hash_key]
    if before.item is None:
        partition.pop(before.range_key, None)
    else:
        partition[before.range_key] = before.item
    if not before.partition_existed and not partition:
        del items[before.hash_key]


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto 5.2.5's ``DynamoDBBackend.transact_write_items``, its table backup swapped for an undo log.

    Same checks, order and errors: per-item cancellation reasons in request order, validation
    errors (one op per item, one op per key, > 100 items) raised as they are.
    """
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    undo = _UndoLog()
    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException

        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")

            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            expression_attribute_names = op.get("ExpressionAttributeNames")
            expression_attribute_values = op.get("ExpressionAttributeValues")
            return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")

            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]

            check_unicity(table_name, key)

            # Raises what moto's get_item below would (missing table, incomplete key) first.
            table = self.get_table(table_name)
            hash_key, range_key = self.get_keys_value(table, key)
            if op_type != "ConditionCheck":
                undo.record(table, hash_key, range_key, updating=op_type == "Update")

            current = self.get_item(table_name, key)
            if condition_expression is not None:
                condition_op = get_filter_expression(
                    condition_expression, expression_attribute_names, expression_attribute_values
                )
                if not condition_op.expr(current):
                    if return_values_on_condition_check_failure == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            undo.roll_back()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))  # type: ignore[arg-type]
        except Exception as e:  # moto reports any other failure as that item's reason
            errors.append((type(e).__name__, str(e), original_item))  # type: ignore[arg-type]

    if any(code is not None for code, _, _ in errors):
        undo.roll_back()
        raise TransactionCanceledException(errors)


transact_write_items.uses_undo_log = True  # type: ignore[attr-defined]


def install() -> None:
    """Patch moto (idempotent): undo-log transactions."""
    if not getattr(DynamoDBBackend.transact_write_items, "uses_undo_log", False):
        DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
