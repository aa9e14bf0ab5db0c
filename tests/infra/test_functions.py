"""The Chalice app's functions: arm64 on the tested runtime, the stream mapping's failure
handling, the schedule, API throttling and the environment the backend reads."""

from __future__ import annotations

import re

from aws_cdk.assertions import Match

from infra.aws.stacks.backend import API, EVENTS, FUNCTIONS, REMINDERS, SLA_CHECK
from tests.support import ROOT

FUNCTION = "AWS::Serverless::Function"
# Read by chalicelib.core.config but never set in AWS: Lambda sets the region itself, the
# Cognito URLs are derived from it, and only the local stack points at an emulator.
# CURSOR_SECRET is the key itself, for tests and benchmarks: AWS names its secret (CURSOR_SECRET_ID).
NOT_SET_IN_AWS = {
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "COGNITO_ISSUER",
    "COGNITO_JWKS_URL",
    "CURSOR_SECRET",
    "ATTACHMENTS_PUBLIC_ENDPOINT",  # the local stack's /_s3 proxy; on AWS the bucket's own endpoint
}


def _functions(dev) -> dict[str, dict]:
    return {k: v["Properties"] for k, v in dev.resources(FUNCTION).items()}


def _config_names() -> set[str]:
    source = (ROOT / "backend" / "chalicelib" / "core" / "config.py").read_text()
    return set(re.findall(r"""(?:_int|os\.environ\.get)\(\s*["']([A-Z_]+)["']""", source))


def test_every_function_of_the_app_is_deployed(dev):
    assert set(_functions(dev)) == {fn.logical_id for fn in FUNCTIONS}


def test_functions_run_on_arm64_and_python_3_11(dev):
    for name, properties in _functions(dev).items():
        assert properties["Architectures"] == ["arm64"], name
        assert properties["Runtime"] == "python3.11", name


def test_each_function_has_its_own_role(dev):
    roles = [p["Role"]["Fn::GetAtt"][0] for p in _functions(dev).values()]
    assert len(set(roles)) == len(roles)
    for role in roles:
        assert dev.json["Resources"][role]["Type"] == "AWS::IAM::Role"


def test_stream_mapping_bisects_retries_boundedly_and_sends_failures_to_the_queue(dev):
    events = _functions(dev)[EVENTS.logical_id]["Events"]
    (mapping,) = events.values()
    assert mapping["Type"] == "DynamoDB"
    properties = mapping["Properties"]
    table = next(iter(dev.resources("AWS::DynamoDB::Table")))
    queue = next(iter(dev.resources("AWS::SQS::Queue")))
    assert properties["Stream"] == {"Fn::GetAtt": [table, "StreamArn"]}
    assert properties["BisectBatchOnFunctionError"] is True
    assert 0 < properties["MaximumRetryAttempts"] <= 10
    assert 60 <= properties["MaximumRecordAgeInSeconds"] <= 24 * 3600
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["DestinationConfig"] == {
        "OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": [queue, "Arn"]}}
    }
    assert properties["StartingPosition"] == "TRIM_HORIZON"


def test_expiry_reminders_run_daily(dev):
    events = _functions(dev)[REMINDERS.logical_id]["Events"]
    (schedule,) = events.values()
    assert schedule["Type"] == "Schedule"
    assert re.fullmatch(r"cron\(\d+ \d+ \* \* \? \*\)", schedule["Properties"]["Schedule"])


def test_the_sla_breach_check_runs_every_five_minutes(dev):
    events = _functions(dev)[SLA_CHECK.logical_id]["Events"]
    (schedule,) = events.values()
    assert schedule["Type"] == "Schedule"
    assert schedule["Properties"]["Schedule"] == "rate(5 minutes)"


def test_api_stage_is_throttled(dev, prod):
    for synthesised, rate, burst in ((dev, 50, 100), (prod, 20, 40)):
        synthesised.template.has_resource_properties(
            "AWS::Serverless::Api",
            {
                "StageName": "api",
                "EndpointConfiguration": "REGIONAL",
                "MethodSettings": [
                    Match.object_like(
                        {
                            "ResourcePath": "/*",
                            "HttpMethod": "*",
                            "ThrottlingRateLimit": rate,
                            "ThrottlingBurstLimit": burst,
                        }
                    )
                ],
            },
        )


def test_every_setting_the_backend_reads_is_set_on_every_function(dev):
    expected = _config_names() - NOT_SET_IN_AWS
    assert {
        "TABLE_NAME",
        "USER_POOL_ID",
        "CURSOR_SECRET_ID",
        "LICENSE_SIGNING_KEY_SECRET",
        "TRUST_VIEWER_ADDRESS",
    } <= expected
    for name, properties in _functions(dev).items():
        variables = properties["Environment"]["Variables"]
        missing = expected - set(variables)
        if name == API.logical_id:
            # Without a custom domain the API cannot name the CloudFront address (the
            # distribution depends on the API); it sends no mail, so it needs no links.
            missing -= {"SITE_URL"}
        assert not missing, f"{name} lacks {sorted(missing)}"


def test_config_values_are_wired_from_the_stack(dev):
    from tests.infra.render import render

    resources = dev.json["Resources"]
    by_type = {v["Type"]: k for k, v in resources.items()}
    variables = _functions(dev)[EVENTS.logical_id]["Environment"]["Variables"]
    assert variables["TABLE_NAME"] == {"Ref": by_type["AWS::DynamoDB::Table"]}
    assert variables["TABLE_STREAM_ARN"] == {"Fn::GetAtt": [by_type["AWS::DynamoDB::Table"], "StreamArn"]}
    assert variables["USER_POOL_ID"] == {"Ref": by_type["AWS::Cognito::UserPool"]}
    assert variables["USER_POOL_CLIENT_ID"] == {"Ref": by_type["AWS::Cognito::UserPoolClient"]}
    assert variables["DEAD_LETTER_QUEUE_URL"] == {"Ref": by_type["AWS::SQS::Queue"]}
    assert variables["SENDER_EMAIL"] == "portal@mail.vendor.example"
    assert variables["SUPPORT_EMAIL"] == "help@vendor.example"
    distribution = by_type["AWS::CloudFront::Distribution"]
    assert render(variables["SITE_URL"]) == f"https://<GetAtt:{distribution}.DomainName>/"
    assert int(variables["REOPEN_WINDOW_DAYS"]) == 30


def test_with_a_custom_domain_every_function_links_to_it(prod):
    for name, properties in _functions(prod).items():
        assert properties["Environment"]["Variables"]["SITE_URL"] == "https://portal.vendor.example/", name


def test_functions_are_named_by_stage_and_log_to_retained_groups(dev):
    names = {p["FunctionName"] for p in _functions(dev).values()}
    assert names == {
        "portal-dev-api",
        "portal-dev-notifications",
        "portal-dev-reminders",
        "portal-dev-sla",
        "portal-dev-inbound",
    }
    groups = {p["LogGroupName"]: p for p in (v["Properties"] for v in dev.resources("AWS::Logs::LogGroup").values())}
    for name in names:
        assert groups[f"/aws/lambda/{name}"]["RetentionInDays"] > 0
