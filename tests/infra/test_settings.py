"""The stage's context values are checked before synthesis, with messages an operator can act on."""

from __future__ import annotations

import pytest

from infra.aws.stacks.settings import SettingsError, StageSettings

VALID = {"stage": "prod", "sender": "portal@vendor.example", "supportEmail": "support@vendor.example"}


def _settings(**context) -> StageSettings:
    values = {**VALID, **context}
    return StageSettings.from_context(values.get)


def test_valid_context_gives_the_stack_name_and_sender_domain():
    settings = _settings()
    assert settings.stack_name == "portal-prod"
    assert settings.sender_domain == "vendor.example"


@pytest.mark.parametrize("name", ["stage", "sender", "supportEmail"])
def test_missing_required_value_is_named(name):
    with pytest.raises(SettingsError, match=f"'{name}' is required"):
        _settings(**{name: None})


def test_unknown_stage_is_refused():
    with pytest.raises(SettingsError, match="one of dev, prod"):
        _settings(stage="staging")


def test_domain_needs_a_us_east_1_certificate():
    with pytest.raises(SettingsError, match="certificateArn' is required"):
        _settings(domain="portal.vendor.example")
    with pytest.raises(SettingsError, match="us-east-1"):
        _settings(
            domain="portal.vendor.example", certificateArn="arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"
        )


def test_every_problem_is_reported_at_once():
    with pytest.raises(SettingsError) as error:
        _settings(sender="not-an-address", apiRateLimit="fast")
    assert "'sender'" in str(error.value) and "'apiRateLimit'" in str(error.value)


def test_restored_table_needs_its_own_stream():
    with pytest.raises(SettingsError, match="go together"):
        _settings(tableName="portal-restored")
    with pytest.raises(SettingsError, match="stream ARN of table 'portal-restored'"):
        _settings(
            tableName="portal-restored",
            tableStreamArn="arn:aws:dynamodb:eu-west-1:123456789012:table/other/stream/2026-11-23T08:15:00.000",
        )
    settings = _settings(
        tableName="portal-restored",
        tableStreamArn="arn:aws:dynamodb:eu-west-1:123456789012:table/portal-restored/stream/x",
    )
    assert settings.table_name == "portal-restored"


def test_the_reply_domain_defaults_to_reply_dot_the_senders_domain_and_can_be_named():
    assert _settings().reply_domain == "reply.vendor.example"
    assert _settings(replyDomain="Answers.Vendor.Example").reply_domain == "answers.vendor.example"


def test_a_reply_domain_that_is_no_domain_is_refused():
    with pytest.raises(SettingsError, match="'replyDomain' must be a mail domain"):
        _settings(replyDomain="support@vendor.example")


def test_table_indexes_deploys_the_first_so_many_gsis_with_only_their_attributes():
    from infra import table_definition

    assert _settings(tableIndexes="3").table_indexes == 3
    properties = table_definition.cloudformation_properties(3)
    assert [i["IndexName"] for i in properties["GlobalSecondaryIndexes"]] == ["gsi1", "gsi2", "gsi3"]
    assert {a["AttributeName"] for a in properties["AttributeDefinitions"]} == {
        "pk",
        "sk",
        *(f"gsi{n}{part}" for n in (1, 2, 3) for part in ("pk", "sk")),
    }
    assert _settings().table_indexes == 0  # all of them


@pytest.mark.parametrize("raw", ["1", "8", "two", "-3"])
def test_table_indexes_out_of_range_is_refused(raw):
    with pytest.raises(SettingsError, match="tableIndexes"):
        _settings(tableIndexes=raw)
