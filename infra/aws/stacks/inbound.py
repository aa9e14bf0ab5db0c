"""SES receiving for the reply domain: a receipt rule set whose rule scans each mail (spam and
virus verdicts) and stores it raw in a private, encrypted, expiring bucket, whose
ObjectCreated notifications invoke the inbound handler (``handle_inbound_mail``).

Chalice cannot package ``on_s3_event`` for CloudFormation, so the handler is a plain Lambda
function of the same Chalice package and the notification is set here. The bucket's name is
fixed (stage, account, region), so the function's permission, its role and the notification
name the bucket without referring to it, and nothing depends on itself:
permission -> bucket (with its notification) -> bucket policy -> receipt rule.
SES activates one rule set per region and CloudFormation cannot: see the deployment guide."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ses as ses
from constructs import Construct

from infra import inbound_definition

RULE_NAME = "reply-domain"


def bucket_name(stack: cdk.Stack, stage: str) -> str:
    return f"portal-{stage}-inbound-{stack.account}-{stack.region}"


def objects_arn(stack: cdk.Stack, stage: str) -> str:
    """Where SES stores received mail, and all the inbound handler may read."""
    return f"arn:{stack.partition}:s3:::{bucket_name(stack, stage)}/{inbound_definition.PREFIX}*"


class Inbound(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        stage: str,
        reply_domain: str,
        function_arn: str,
        logs_bucket: s3.IBucket,
    ) -> None:
        super().__init__(scope, id)
        stack = cdk.Stack.of(self)
        name = bucket_name(stack, stage)
        self.rule_set_name = f"portal-{stage}-inbound"
        rule_arn = stack.format_arn(
            service="ses",
            resource="receipt-rule-set",
            resource_name=f"{self.rule_set_name}:receipt-rule/{RULE_NAME}",
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )

        # S3 may invoke the handler for this bucket of this account only.
        permission = lambda_.CfnPermission(
            self,
            "S3InvokesHandler",
            action="lambda:InvokeFunction",
            function_name=function_arn,
            principal="s3.amazonaws.com",
            source_account=stack.account,
            source_arn=f"arn:{stack.partition}:s3:::{name}",
        )
        expiry = cdk.Duration.days(inbound_definition.EXPIRY_DAYS)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            bucket_name=name,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,  # SES writes without a KMS grant
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=logs_bucket,
            server_access_logs_prefix="s3/inbound/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-received-mail",
                    prefix=inbound_definition.PREFIX,
                    expiration=expiry,
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
                )
            ],
            # Received mail is handled within seconds and expires anyway.
            removal_policy=cdk.RemovalPolicy.DESTROY,
            auto_delete_objects=True,
        )
        cfn_bucket = self.bucket.node.default_child
        assert isinstance(cfn_bucket, s3.CfnBucket)
        cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            lambda_configurations=[
                s3.CfnBucket.LambdaConfigurationProperty(
                    event="s3:ObjectCreated:*",
                    function=function_arn,
                    filter=s3.CfnBucket.NotificationFilterProperty(
                        s3_key=s3.CfnBucket.S3KeyFilterProperty(
                            rules=[s3.CfnBucket.FilterRuleProperty(name="prefix", value=inbound_definition.PREFIX)]
                        )
                    ),
                )
            ]
        )
        cfn_bucket.add_resource_dependency(permission)  # S3 checks it may invoke the function

        # SES, for this rule of this account only (the confused-deputy guard), stores mail here.
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="SesStoresReceivedMail",
                principals=[iam.ServicePrincipal("ses.amazonaws.com")],
                actions=["s3:PutObject"],
                resources=[self.bucket.arn_for_objects(f"{inbound_definition.PREFIX}*")],
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {"aws:SourceArn": rule_arn},
                },
            )
        )

        self.rule_set = ses.CfnReceiptRuleSet(self, "RuleSet", rule_set_name=self.rule_set_name)
        self.rule = ses.CfnReceiptRule(
            self,
            "ReplyDomain",
            rule_set_name=self.rule_set_name,
            rule=ses.CfnReceiptRule.RuleProperty(
                name=RULE_NAME,
                enabled=True,
                recipients=[reply_domain],
                scan_enabled=True,  # the spam and virus verdicts the handler checks
                tls_policy="Optional",
                actions=[
                    ses.CfnReceiptRule.ActionProperty(
                        s3_action=ses.CfnReceiptRule.S3ActionProperty(
                            bucket_name=name, object_key_prefix=inbound_definition.PREFIX
                        )
                    )
                ],
            ),
        )
        self.rule.add_resource_dependency(self.rule_set)
        # SES checks that it may write to the bucket when the rule is created.
        assert self.bucket.policy is not None
        self.rule.node.add_dependency(self.bucket.policy)
        self.rule.node.add_dependency(self.bucket)
