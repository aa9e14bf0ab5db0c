"""SES receiving in the template: the reply domain's rule scans and stores mail in a private,
encrypted, expiring bucket that only SES (for this rule and account) writes, whose new objects
invoke the inbound handler, whose role reads only that prefix."""

from __future__ import annotations

import json

from tests.infra.test_iam import _actions, _list, _role_of, _statements


def _inbound_bucket(synthesised) -> tuple[str, dict]:
    [(name, bucket)] = [
        (n, r)
        for n, r in synthesised.resources("AWS::S3::Bucket").items()
        if "portal-dev-inbound" in json.dumps(r["Properties"].get("BucketName", ""))
    ]
    return name, bucket


def test_the_receipt_rule_scans_mail_for_the_reply_domain_and_stores_it_under_the_prefix(dev):
    rule = dev.one("AWS::SES::ReceiptRule")["Rule"]
    assert rule["Recipients"] == ["reply.mail.vendor.example"]  # reply.<sender domain> by default
    assert rule["ScanEnabled"] is True and rule["Enabled"] is True
    [action] = rule["Actions"]
    assert action["S3Action"]["ObjectKeyPrefix"] == "inbound/"
    assert dev.one("AWS::SES::ReceiptRuleSet")["RuleSetName"] == "portal-dev-inbound"


def test_the_inbound_bucket_is_private_encrypted_and_expires_received_mail(dev):
    _, bucket = _inbound_bucket(dev)
    properties = bucket["Properties"]
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    encryption = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    [rule] = properties["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == 30 and rule["Prefix"] == "inbound/" and rule["Status"] == "Enabled"
    assert properties["LoggingConfiguration"]["LogFilePrefix"] == "s3/inbound/"


def test_only_ses_for_this_rule_and_account_may_store_mail_in_the_bucket(dev):
    name, _ = _inbound_bucket(dev)
    [policy] = [
        p for p in dev.resources("AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == {"Ref": name}
    ]
    [ses] = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s.get("Sid") == "SesStoresReceivedMail"]
    assert ses["Principal"] == {"Service": "ses.amazonaws.com"} and ses["Action"] == "s3:PutObject"
    assert ses["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    source = json.dumps(ses["Condition"]["ArnLike"]["aws:SourceArn"])
    assert "receipt-rule-set/portal-dev-inbound:receipt-rule/reply-domain" in source


def test_new_objects_invoke_the_inbound_handler_and_only_s3_of_this_bucket_may(dev):
    _, bucket = _inbound_bucket(dev)
    [notification] = bucket["Properties"]["NotificationConfiguration"]["LambdaConfigurations"]
    assert notification["Event"] == "s3:ObjectCreated:*"
    assert notification["Function"] == {"Fn::GetAtt": ["HandleInboundMail", "Arn"]}
    assert notification["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "inbound/"}]
    [permission] = [
        p["Properties"]
        for p in dev.resources("AWS::Lambda::Permission").values()
        if p["Properties"].get("Principal") == "s3.amazonaws.com"
    ]
    assert permission["FunctionName"] == {"Fn::GetAtt": ["HandleInboundMail", "Arn"]}
    assert "portal-dev-inbound" in json.dumps(permission["SourceArn"])
    assert permission["SourceAccount"] == {"Ref": "AWS::AccountId"}


def test_the_inbound_handler_reads_mail_stores_its_files_writes_the_table_and_looks_up_senders_only(dev):
    role = _role_of(dev, "HandleInboundMail")
    actions = _actions(dev, role)
    assert {a.split(":")[0] for a in actions} == {"logs", "dynamodb", "s3", "secretsmanager", "cognito-idp"}
    assert {"s3:GetObject", "cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser"} <= actions
    assert "dynamodb:Scan" not in actions and "s3:DeleteObject" not in actions
    s3 = [s for name, s in _statements(dev) if name == role and "s3:GetObject" in _list(s["Action"])]
    resources = [json.dumps(s["Resource"]) for s in s3]
    [mail] = [s for s, r in zip(s3, resources, strict=True) if r.endswith('"/inbound/*"]]}')]
    assert _list(mail["Action"]) == ["s3:GetObject"], "received mail is read, never written"
    # A mail's files are stored like a browser's uploads: put and get in the attachments bucket only.
    [files] = [s for s, r in zip(s3, resources, strict=True) if "attachments" in r]
    assert sorted(_list(files["Action"])) == ["s3:GetObject", "s3:PutObject"]
    assert "uploads/*" in json.dumps(files["Resource"]) and "tickets/*" in json.dumps(files["Resource"])


def test_every_function_knows_the_reply_domain(dev):
    for function in ("APIHandler", "HandleTicketEvents", "HandleInboundMail"):
        variables = dev.json["Resources"][function]["Properties"]["Environment"]["Variables"]
        assert variables["REPLY_DOMAIN"] == "reply.mail.vendor.example"
