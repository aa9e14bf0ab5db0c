"""After a point-in-time restore, the stack points every function at the restored table
(context tableName and tableStreamArn) and no longer manages its own."""

from __future__ import annotations

import json

from tests.infra.conftest import RESTORED_STREAM, RESTORED_TABLE
from tests.infra.render import render
from tests.infra.test_cfn_lint import _lint


def test_the_stack_creates_no_table(restored):
    assert restored.resources("AWS::DynamoDB::Table") == {}


def test_functions_use_the_restored_table_and_its_stream(restored):
    for name, function in restored.resources("AWS::Serverless::Function").items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["TABLE_NAME"] == RESTORED_TABLE, name
        assert variables["TABLE_STREAM_ARN"] == RESTORED_STREAM, name
    events = restored.json["Resources"]["HandleTicketEvents"]["Properties"]["Events"]
    (mapping,) = events.values()
    assert mapping["Properties"]["Stream"] == RESTORED_STREAM


def test_roles_are_granted_the_restored_table(restored):
    text = json.dumps(restored.json)
    assert f":table/{RESTORED_TABLE}" in text
    for role in restored.resources("AWS::IAM::Role").values():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                resources = (
                    statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                )
                for resource in resources:
                    rendered = render(resource)
                    if isinstance(rendered, str) and ":dynamodb:" in rendered and ":table/" in rendered:
                        assert f":table/{RESTORED_TABLE}" in rendered


def test_cfn_lint_passes_on_the_restored_template(restored):
    result = _lint(restored)
    assert result.returncode == 0, result.stdout + result.stderr
