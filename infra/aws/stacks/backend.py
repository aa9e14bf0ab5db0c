"""The Chalice app as CDK resources: ``chalice.cdk.Chalice`` packages ``backend/`` into a SAM
template, and this module sets what its decorators cannot: arm64 and the runtime, one
least-privilege role per function, the stream mapping's failure handling, the API stage's
throttling and access log, and the environment every function reads (``chalicelib.core.config``)."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from chalice.cdk import Chalice
from chalice.utils import to_cfn_resource_name

from chalicelib.core import config as backend_config  # the contract's defaults: one source

from . import inbound
from .data import Data
from .identity import Identity
from .mail import Mail
from .settings import StageSettings

RUNTIME = "python3.11"  # the Python the code is tested on
ARCHITECTURE = "arm64"
API_STAGE = "api"  # CloudFront sends /api/* to the stage of the same name: no path rewriting

# The stream mapping's failure handling (the handler parks what fails NOTIFICATION_MAX_ATTEMPTS
# times in the dead-letter queue itself; these bounds are the safety net behind it).
NOTIFICATION_MAX_ATTEMPTS = backend_config.NOTIFICATION_MAX_ATTEMPTS
STREAM_MAX_RETRIES = 10
STREAM_MAX_RECORD_AGE = cdk.Duration.hours(6)

# DynamoDB actions of the functions: PynamoDB describes the table once; transactions need the
# per-item actions they contain; nothing ever scans.
TABLE_READ = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]
TABLE_WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"]


# One JSON object a request in the API's access log ($context variables of API Gateway).
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "time": "$context.requestTime",
    "method": "$context.httpMethod",
    "path": "$context.path",
    "resource": "$context.resourcePath",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "latencyMs": "$context.responseLatency",
    "integrationLatencyMs": "$context.integrationLatency",
    "sourceIp": "$context.identity.sourceIp",
    "userAgent": "$context.identity.userAgent",
    "waf": "$context.wafResponseCode",
    "error": "$context.error.message",
}


@dataclass(frozen=True)
class Function:
    """One Lambda function of the Chalice app."""

    handler: str  # the Python name (the decorated function, or api_handler for the REST API)
    suffix: str  # of the function name, portal-<stage>-<suffix>
    memory: int
    timeout: int

    @property
    def logical_id(self) -> str:
        # Chalice names the REST API's function APIHandler, the others after their handler.
        return "APIHandler" if self.handler == "api_handler" else to_cfn_resource_name(self.handler)


API = Function("api_handler", "api", memory=1024, timeout=29)
# SES sends retry up to five times each: leave a slow batch time to finish or report failures.
EVENTS = Function("handle_ticket_events", "notifications", memory=512, timeout=300)
REMINDERS = Function("send_expiry_reminders", "reminders", memory=512, timeout=300)
# Every five minutes: marks the tickets whose SLA target passed (tickets.breaches).
SLA_CHECK = Function("check_sla_breaches", "sla", memory=512, timeout=120)
# One received mail per S3 record; S3 invokes it asynchronously (Lambda retries twice).
INBOUND = Function("handle_inbound_mail", "inbound", memory=512, timeout=60)
FUNCTIONS = (API, EVENTS, REMINDERS, SLA_CHECK, INBOUND)


@contextlib.contextmanager
def _environment_restored() -> Iterator[None]:
    """Chalice copies the stage's environment variables into os.environ while packaging
    (they are CDK tokens here); this process must not keep them."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class Backend:
    """Builds the app into ``stack`` (the Chalice construct takes its stage name from its
    scope, so it sits directly in the stack and keeps Chalice's logical IDs)."""

    def __init__(
        self,
        stack: cdk.Stack,
        *,
        backend_dir: Path,
        settings: StageSettings,
        data: Data,
        identity: Identity,
        mail: Mail,
        site_url: str | None,
        attachments_bucket: str = "",
        attachments_statements: list[iam.PolicyStatement] | None = None,
    ) -> None:
        self.stack = stack
        self.settings = settings
        self.data = data
        self.log_groups = {fn: self._log_group(fn) for fn in FUNCTIONS}
        self.roles = {
            API: self._role("ApiRole", API, self._api_statements(data, identity) + (attachments_statements or [])),
            EVENTS: self._role("NotificationsRole", EVENTS, self._events_statements(data, mail)),
            REMINDERS: self._role("RemindersRole", REMINDERS, self._reminders_statements(data)),
            SLA_CHECK: self._role("SlaCheckRole", SLA_CHECK, self._sla_statements(data)),
            INBOUND: self._role(
                "InboundRole",
                INBOUND,
                # A mail's files are stored and kept like a browser's uploads (attachments.store_inbound).
                self._inbound_statements(data, identity) + (attachments_statements or []),
            ),
        }

        environment: dict[str, Any] = {
            "TABLE_NAME": data.table_name,
            "TABLE_STREAM_ARN": data.table_stream_arn,
            "USER_POOL_ID": identity.user_pool.user_pool_id,
            "USER_POOL_CLIENT_ID": identity.client.user_pool_client_id,
            "SUPPORT_EMAIL": settings.support_email,
            "SENDER_EMAIL": settings.sender,
            # Reply addresses (support+<token>@) are on this domain; SES receives it (inbound.py).
            "REPLY_DOMAIN": settings.reply_domain,
            "REQUIRE_MAIL_VERDICTS": "true",  # SES scans (inbound.py); the handler refuses what failed
            "REOPEN_WINDOW_DAYS": str(settings.reopen_window_days),
            # The secret's ARN: the API reads the value at run time (core.cursors), so neither the
            # template nor the functions' configuration holds it.
            "CURSOR_SECRET_ID": data.cursor_secret.secret_arn,
            "DEAD_LETTER_QUEUE_URL": data.dead_letter_queue.queue_url,
            "NOTIFICATION_MAX_ATTEMPTS": str(NOTIFICATION_MAX_ATTEMPTS),
            "LICENSE_SIGNING_KEY_SECRET": data.signing_key.secret_arn,
            "LOOKUP_LIMIT_PER_CLIENT": str(settings.lookup_limit_per_client),
            "LOOKUP_LIMIT_PER_KEY": str(settings.lookup_limit_per_key),
            # The API's WAF lets only CloudFront's requests in (edge.py), and CloudFront writes
            # the viewer's address: the rate limits may believe it.
            "TRUST_VIEWER_ADDRESS": "true",
            "CHECKIN_LIMIT_PER_CLIENT": str(settings.checkin_limit_per_client),
            "CHECKIN_LIMIT_PER_KEY": str(settings.checkin_limit_per_key),
            # PRODUCT.md §3.4's targets; change them here (or in the functions' environment).
            "SLA_FIRST_RESPONSE_HOURS": backend_config.hours_text(backend_config.SLA_FIRST_RESPONSE_HOURS),
            "SLA_NEXT_RESPONSE_HOURS": backend_config.hours_text(backend_config.SLA_NEXT_RESPONSE_HOURS),
            "ATTACHMENTS_BUCKET": attachments_bucket,
            "ATTACHMENT_MAX_MB": str(backend_config.ATTACHMENT_MAX_MB),
        }
        if site_url:
            environment["SITE_URL"] = site_url
        self.environment = environment

        # Chalice imports the backend's `app` while packaging, with this environment (CDK tokens)
        # applied, and the backend reads its settings once: import it first, with the process's
        # own environment, so no token of one CDK app is cached into the next one synthesised.
        importlib.import_module("app")
        with _environment_restored():
            self.chalice = Chalice(
                stack,
                "Api",
                source_dir=str(backend_dir),
                stage_config={
                    "api_gateway_stage": API_STAGE,
                    "api_gateway_endpoint_type": "REGIONAL",  # CloudFront is the edge
                    "lambda_architecture": ARCHITECTURE,
                    "manage_iam_role": False,
                    "iam_role_arn": self.roles[API].role_arn,
                    "autogen_policy": False,
                    "xray": False,
                    "environment_variables": environment,
                },
            )
        self.functions = {fn: self._configure(fn) for fn in FUNCTIONS if self.has(fn)}
        self._throttle_api()
        self._log_api_access()
        self._wire_stream()

    # -- what the decorators cannot say -------------------------------------------------

    def has(self, fn: Function) -> bool:
        """Whether the app defines this function (a handler may land after the stack)."""
        try:
            self.chalice.get_resource(fn.logical_id)
        except Exception:  # CfnInclude raises a jsii error for an unknown logical ID
            return False
        return True

    def resource(self, fn: Function) -> cdk.CfnResource:
        return self.chalice.get_resource(fn.logical_id)

    def function_name(self, fn: Function) -> str:
        return f"portal-{self.settings.stage}-{fn.suffix}"

    def _configure(self, fn: Function) -> cdk.CfnResource:
        resource = self.resource(fn)
        resource.add_property_override("FunctionName", self.function_name(fn))
        resource.add_property_override("Runtime", RUNTIME)
        resource.add_property_override("Architectures", [ARCHITECTURE])
        resource.add_property_override("Role", self.roles[fn].role_arn)
        resource.add_property_override("MemorySize", fn.memory)
        resource.add_property_override("Timeout", fn.timeout)
        resource.node.add_dependency(self.log_groups[fn])
        return resource

    def add_environment(self, fn: Function, name: str, value: str) -> None:
        if self.has(fn):
            self.resource(fn).add_property_override(f"Environment.Variables.{name}", value)

    def _throttle_api(self) -> None:
        api = self.chalice.get_resource("RestAPI")
        api.add_property_override("Name", f"portal-{self.settings.stage}")
        api.add_property_override(
            "MethodSettings",
            [
                {
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "ThrottlingRateLimit": self.settings.api_rate_limit,
                    "ThrottlingBurstLimit": self.settings.api_burst_limit,
                    "MetricsEnabled": True,
                }
            ],
        )

    def _log_api_access(self) -> None:
        """API Gateway's access log, one JSON line a request. Its address is CloudFront's edge;
        the WAF's verdict says whether the origin check or a rate rule stopped the request."""
        self.access_logs = logs.LogGroup(
            self.stack,
            "ApiAccessLogs",
            log_group_name=f"/aws/apigateway/portal-{self.settings.stage}/access",
            retention=logs.RetentionDays.THREE_MONTHS,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        api = self.chalice.get_resource("RestAPI")
        api.add_property_override(
            "AccessLogSetting",
            {"DestinationArn": self.access_logs.log_group_arn, "Format": json.dumps(ACCESS_LOG_FORMAT)},
        )
        # API Gateway writes logs through one role per account and region (AWS::ApiGateway::Account).
        role = iam.Role(
            self.stack,
            "ApiGatewayLogsRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description="API Gateway (this account and region) writes its logs to CloudWatch",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonAPIGatewayPushToCloudWatchLogs")
            ],
        )
        self.api_gateway_account = apigateway.CfnAccount(
            self.stack, "ApiGatewayAccount", cloud_watch_role_arn=role.role_arn
        )
        api.add_dependency(self.api_gateway_account)

    def _wire_stream(self) -> None:
        if not self.has(EVENTS):
            return
        event = to_cfn_resource_name(f"{EVENTS.handler}-dynamodb-event-source")
        prefix = f"Events.{event}"
        resource = self.resource(EVENTS)
        # The app reads the stream ARN from its environment at import; the template always
        # names this stack's table, whatever the packaging process had in its environment.
        resource.add_property_override(f"{prefix}.Type", "DynamoDB")
        resource.add_property_override(f"{prefix}.Properties.Stream", self.data.table_stream_arn)
        for name, value in {
            # After a mapping is replaced, start from the oldest record still in the stream:
            # the handler's markers make a record seen twice harmless, a skipped one is lost.
            "StartingPosition": "TRIM_HORIZON",
            "BisectBatchOnFunctionError": True,
            "MaximumRetryAttempts": STREAM_MAX_RETRIES,
            "MaximumRecordAgeInSeconds": int(STREAM_MAX_RECORD_AGE.to_seconds()),
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": self.data.dead_letter_queue.queue_arn}},
        }.items():
            resource.add_property_override(f"{prefix}.Properties.{name}", value)

    # -- roles ----------------------------------------------------------------------------

    def _log_group(self, fn: Function) -> logs.LogGroup:
        return logs.LogGroup(
            self.stack,
            f"{fn.logical_id}Logs",
            log_group_name=f"/aws/lambda/{self.function_name(fn)}",
            retention=logs.RetentionDays.THREE_MONTHS,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )

    def _role(self, id: str, fn: Function, statements: list[iam.PolicyStatement]) -> iam.Role:
        logging = iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[self.log_groups[fn].log_group_arn],
        )
        # Inline, so the policy exists before the function and its stream mapping are created.
        return iam.Role(
            self.stack,
            id,
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{self.function_name(fn)}: only what this function uses",
            inline_policies={"portal": iam.PolicyDocument(statements=[logging, *statements])},
        )

    def _table(self, data: Data, actions: list[str]) -> iam.PolicyStatement:
        return iam.PolicyStatement(actions=actions, resources=[data.table_arn, data.index_arns])

    def _api_statements(self, data: Data, identity: Identity) -> list[iam.PolicyStatement]:
        return [
            self._table(data, TABLE_READ + TABLE_WRITE),
            iam.PolicyStatement(
                actions=["secretsmanager:GetSecretValue"],
                resources=[data.signing_key.secret_arn, data.cursor_secret.secret_arn],
            ),
            # Admins invite users (users.invite_user).
            iam.PolicyStatement(
                actions=["cognito-idp:AdminCreateUser", "cognito-idp:AdminAddUserToGroup"],
                resources=[identity.user_pool.user_pool_arn],
            ),
        ]

    def _events_statements(self, data: Data, mail: Mail) -> list[iam.PolicyStatement]:
        stack = cdk.Stack.of(self.stack)
        identity_arn = stack.format_arn(service="ses", resource="identity", resource_name=mail.sender_domain)
        configuration_set_arn = stack.format_arn(
            service="ses", resource="configuration-set", resource_name=mail.configuration_set_name
        )
        return [
            self._table(data, TABLE_READ + TABLE_WRITE),
            # The event source mapping reads the stream with the function's role.
            iam.PolicyStatement(
                actions=["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                resources=[data.table_stream_arn],
            ),
            # ListStreams has no resource type: AWS only accepts "*" for it.
            iam.PolicyStatement(actions=["dynamodb:ListStreams"], resources=["*"]),
            # SES v2 SendEmail with raw content is authorised as both actions.
            iam.PolicyStatement(
                actions=["ses:SendEmail", "ses:SendRawEmail"], resources=[identity_arn, configuration_set_arn]
            ),
            # Every mail's Reply-To is a reply address, signed with the cursors' key (mail.reply_address).
            iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[data.cursor_secret.secret_arn]),
            # The handler parks letters, and the mapping sends what it gives up on, here.
            iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[data.dead_letter_queue.queue_arn]),
        ]

    def _reminders_statements(self, data: Data) -> list[iam.PolicyStatement]:
        # Writes reminder items only; the stream handler mails them.
        return [self._table(data, ["dynamodb:DescribeTable", "dynamodb:Query", "dynamodb:PutItem"])]

    def _sla_statements(self, data: Data) -> list[iam.PolicyStatement]:
        # Reads the due index and marks breaches (a transaction of updates and a put); the stream
        # handler mails them.
        return [
            self._table(data, ["dynamodb:DescribeTable", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:PutItem"])
        ]

    def _inbound_statements(self, data: Data, identity: Identity) -> list[iam.PolicyStatement]:
        return [
            self._table(data, TABLE_READ + TABLE_WRITE),
            # The mail SES stored (by the bucket's fixed name: the bucket depends on this function).
            iam.PolicyStatement(
                actions=["s3:GetObject"], resources=[inbound.objects_arn(cdk.Stack.of(self.stack), self.settings.stage)]
            ),
            # Reply tokens are signed with the cursors' key (mail.reply_address).
            iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[data.cursor_secret.secret_arn]),
            # Who sent the mail (inbound.senders): the same user, organisation and roles as a token.
            iam.PolicyStatement(
                actions=["cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser"],
                resources=[identity.user_pool.user_pool_arn],
            ),
        ]

    # -- outputs for the rest of the stack ------------------------------------------------

    @property
    def rest_api_id(self) -> str:
        return self.chalice.get_resource("RestAPI").ref

    @property
    def stage_arn(self) -> str:
        """The API stage's ARN (what a WAF web ACL is associated with)."""
        # SAM's "<api>.Stage" reference names the stage it generates, and makes whatever uses
        # it wait for the stage.
        stack = cdk.Stack.of(self.stack)
        stage = cdk.Fn.ref("RestAPI.Stage")
        return f"arn:{stack.partition}:apigateway:{stack.region}::/restapis/{self.rest_api_id}/stages/{stage}"

    def function_ref(self, fn: Function) -> str | None:
        return self.resource(fn).ref if self.has(fn) else None
