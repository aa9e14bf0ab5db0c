"""Least privilege: no wildcard actions, "*" resources only where AWS accepts nothing else,
and each function gets exactly the services it uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Actions without resource-level permissions: AWS only accepts "*" for these.
STAR_RESOURCE_ONLY = {"dynamodb:ListStreams"}


def _statements(synthesised) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, resource in synthesised.json["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Role":
            documents = [p["PolicyDocument"] for p in properties.get("Policies", [])]
        elif resource["Type"] == "AWS::IAM::Policy":
            documents = [properties["PolicyDocument"]]
        else:
            continue
        for document in documents:
            for statement in document["Statement"]:
                yield name, statement


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _actions(synthesised, role: str) -> set[str]:
    return {a for name, s in _statements(synthesised) if name == role for a in _list(s["Action"])}


def _role_of(synthesised, function: str) -> str:
    return synthesised.json["Resources"][function]["Properties"]["Role"]["Fn::GetAtt"][0]


def test_no_statement_allows_every_action_of_a_service(dev):
    for name, statement in _statements(dev):
        for action in _list(statement["Action"]):
            assert action != "*" and not action.endswith(":*"), (name, action)


def test_star_resources_only_for_actions_that_require_it(dev):
    for name, statement in _statements(dev):
        if "*" in _list(statement["Resource"]):
            assert set(_list(statement["Action"])) <= STAR_RESOURCE_ONLY, (name, statement)


def test_api_function_uses_the_table_the_signing_key_user_invitations_and_attachments_only(dev):
    actions = _actions(dev, _role_of(dev, "APIHandler"))
    assert {a.split(":")[0] for a in actions} == {"logs", "dynamodb", "secretsmanager", "cognito-idp", "s3"}
    assert "dynamodb:Scan" not in actions
    assert {"secretsmanager:GetSecretValue", "cognito-idp:AdminCreateUser"} <= actions


def test_notification_function_reads_the_stream_sends_mail_and_dead_letters(dev):
    actions = _actions(dev, _role_of(dev, "HandleTicketEvents"))
    # secretsmanager: the key that signs each mail's reply address.
    assert {a.split(":")[0] for a in actions} == {"logs", "dynamodb", "ses", "sqs", "secretsmanager"}
    assert {
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:DescribeStream",
        "ses:SendEmail",
        "ses:SendRawEmail",
        "sqs:SendMessage",
    } <= actions
    assert "dynamodb:Scan" not in actions


def test_reminder_function_only_queries_and_writes_the_table(dev):
    actions = _actions(dev, _role_of(dev, "SendExpiryReminders"))
    assert actions == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:DescribeTable",
        "dynamodb:Query",
        "dynamodb:PutItem",
    }


def test_functions_write_only_to_their_own_log_group(dev):
    for function in ("APIHandler", "HandleTicketEvents", "SendExpiryReminders", "HandleInboundMail"):
        role = _role_of(dev, function)
        (logging,) = [s for name, s in _statements(dev) if name == role and "logs:PutLogEvents" in _list(s["Action"])]
        (group,) = _list(logging["Resource"])
        group_id = group["Fn::GetAtt"][0]
        name = dev.json["Resources"][function]["Properties"]["FunctionName"]
        assert dev.json["Resources"][group_id]["Properties"]["LogGroupName"] == f"/aws/lambda/{name}"
