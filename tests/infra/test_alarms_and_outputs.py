"""Alarms that need a person, all to one SNS topic; the outputs the guide refers to."""

from __future__ import annotations

ALARM = "AWS::CloudWatch::Alarm"


def _alarms(synthesised) -> list[dict]:
    return [a["Properties"] for a in synthesised.resources(ALARM).values()]


def _topic(synthesised) -> dict:
    return {"Ref": next(iter(synthesised.resources("AWS::SNS::Topic")))}


def test_every_alarm_notifies_the_topic(dev):
    for alarm in _alarms(dev):
        assert alarm["AlarmActions"] == [_topic(dev)]


def test_api_5xx_alarm(dev):
    (alarm,) = [a for a in _alarms(dev) if a.get("MetricName") == "5XXError"]
    assert alarm["Namespace"] == "AWS/ApiGateway"
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {"ApiName": "portal-dev", "Stage": "api"}
    rest_api = dev.json["Resources"]["RestAPI"]["Properties"]
    assert rest_api["Name"] == "portal-dev"


def test_each_function_has_an_error_alarm(dev):
    watched = {d["Value"] for a in _alarms(dev) if a.get("MetricName") == "Errors" for d in a["Dimensions"]}
    functions = {f["Properties"]["FunctionName"] for f in dev.resources("AWS::Serverless::Function").values()}
    assert watched == functions


def test_dead_letter_queue_depth_alarm(dev):
    (alarm,) = [a for a in _alarms(dev) if a.get("MetricName") == "ApproximateNumberOfMessagesVisible"]
    queue = next(iter(dev.resources("AWS::SQS::Queue")))
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}]
    assert alarm["Threshold"] == 1


def test_ses_bounce_and_complaint_rate_alarms(dev):
    rates = {a["MetricName"]: a["Threshold"] for a in _alarms(dev) if a.get("Namespace") == "AWS/SES"}
    assert set(rates) == {"Reputation.BounceRate", "Reputation.ComplaintRate"}
    assert rates["Reputation.BounceRate"] < 0.05 and rates["Reputation.ComplaintRate"] < 0.001


def test_alarm_email_subscribes_to_the_topic(prod):
    prod.template.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "oncall@vendor.example"}
    )


def test_outputs_the_guide_refers_to(dev):
    outputs = dev.json["Outputs"]
    for name in (
        "SiteUrl",
        "DistributionDomainName",
        "DistributionId",
        "TableName",
        "UserPoolId",
        "UserPoolClientId",
        "DeadLetterQueueUrl",
        "AlarmTopicArn",
        "LicenseSigningKeySecretArn",
        "AdminEnvironment",
        "SesDkimRecord1",
        "SesDkimRecord2",
        "SesDkimRecord3",
    ):
        assert name in outputs, name


def test_alarm_when_notifications_fall_behind_the_stream(dev):
    (alarm,) = [a for a in _alarms(dev) if a.get("MetricName") == "IteratorAge"]
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": "portal-dev-notifications"}]
    assert alarm["Statistic"] == "Maximum"
    assert alarm["Threshold"] == 10 * 60 * 1000
