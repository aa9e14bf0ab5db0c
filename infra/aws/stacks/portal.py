"""One stage of the portal: state, sign-in, mail, the Chalice app, the site and its alarms."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from constructs import Construct

from . import attachments
from .accepted_risks import accepted_risks, acknowledge, nag_name
from .backend import API, API_STAGE, EVENTS, FUNCTIONS, INBOUND, Backend
from .data import Data
from .edge import ApiFirewall, OriginSecret
from .identity import Identity
from .inbound import Inbound
from .mail import Mail
from .monitoring import Monitoring
from .settings import StageSettings
from .site import Site


class PortalStack(cdk.Stack):
    def __init__(
        self,
        scope: Construct,
        settings: StageSettings,
        *,
        backend_dir: Path,
        site_dir: Path,
        env: cdk.Environment | None = None,
    ) -> None:
        super().__init__(scope, settings.stack_name, env=env, description=f"Customer Portal, stage {settings.stage}")
        self.settings = settings
        cdk.Tags.of(self).add("project", "customer-portal")
        cdk.Tags.of(self).add("stage", settings.stage)

        # Only a custom domain is known before the distribution exists; without one, the
        # CloudFront address is given to the functions that mail links (the API function
        # is part of the distribution's origin, so it cannot depend on it).
        known_site_url = f"https://{settings.domain}/" if settings.domain else ""

        self.data = Data(
            self,
            "Data",
            existing_table_name=settings.table_name,
            existing_stream_arn=settings.table_stream_arn,
            table_indexes=settings.table_indexes or None,
        )
        self.mail = Mail(self, "Mail", stage=settings.stage, sender_domain=settings.sender_domain)
        self.identity = Identity(
            self,
            "Identity",
            stage=settings.stage,
            site_url=known_site_url,
            ses_sender=settings.sender if settings.invite_from_ses else "",
            configuration_set_name=self.mail.configuration_set_name,
            threat_protection=settings.threat_protection,
        )
        self.backend = Backend(
            self,
            backend_dir=backend_dir,
            settings=settings,
            data=self.data,
            identity=self.identity,
            mail=self.mail,
            site_url=known_site_url,
            attachments_bucket=attachments.bucket_name(settings.stage, self),
            attachments_statements=attachments.api_statements(settings.stage, self),
        )

        self.origin_secret = OriginSecret(self, "OriginSecret")
        self.firewall = ApiFirewall(
            self,
            "ApiFirewall",
            stage=settings.stage,
            stage_arn=self.backend.stage_arn,
            origin_secret=self.origin_secret.value,
        )
        # The stage ARN names SAM's "RestAPI.Stage", which exists only after the transform.
        cdk.Validations.of(self.firewall.association).acknowledge(
            cdk.Acknowledgment(
                id="CloudFormation-Validate::F1020",
                reason="RestAPI.Stage is the stage SAM generates for the API; cfn-lint checks it after the transform",
            )
        )
        self.site = Site(
            self,
            "Site",
            settings=settings,
            site_dir=site_dir,
            attachments_origin=attachments.browser_origin(settings.stage, self),
        )
        api_domain = f"{self.backend.rest_api_id}.execute-api.{self.region}.{self.url_suffix}"
        self.site.distribute(api_domain, self.origin_secret.value)
        self.attachments = attachments.Attachments(
            self, "Attachments", stage=settings.stage, site_origin=self.site.url, logs=self.site.logs
        )
        if not settings.domain:
            for fn in FUNCTIONS:
                if fn is not API:
                    self.backend.add_environment(fn, "SITE_URL", self.site.url)
        self.portal_config = {
            "apiUrl": "/api",
            "cognito": {
                "region": self.region,
                "userPoolId": self.identity.user_pool.user_pool_id,
                "clientId": self.identity.client.user_pool_client_id,
            },
        }
        self.site.deploy(self.portal_config)
        self.inbound = Inbound(
            self,
            "Inbound",
            stage=settings.stage,
            reply_domain=settings.reply_domain,
            function_arn=self.backend.resource(INBOUND).get_att("Arn").to_string(),
            logs_bucket=self.site.logs,
        )

        self.monitoring = Monitoring(self, "Monitoring", stage=settings.stage, alarm_email=settings.alarm_email)
        self.monitoring.api_errors(f"portal-{settings.stage}", API_STAGE)
        for fn in FUNCTIONS:
            self.monitoring.function_errors(fn.logical_id, self.backend.function_name(fn))
        self.monitoring.stream_lag(self.backend.function_name(EVENTS))
        self.monitoring.dead_letters(self.data.dead_letter_queue)
        self.monitoring.mail_reputation()

        self._outputs()
        acknowledge(
            self,
            accepted_risks(
                settings.stage,
                nag_name(self.resolve(self.data.index_arns)),
                custom_domain=bool(settings.domain),
                attachment_objects=tuple(
                    nag_name(self.resolve(arn)) for arn in attachments.object_arns(settings.stage, self)
                ),
            ),
        )

    def _outputs(self) -> None:
        outputs = {
            "SiteUrl": (self.site.url, "The portal's address"),
            "DistributionDomainName": (
                self.site.distribution.distribution_domain_name,
                "Point the custom domain's CNAME here",
            ),
            "DistributionId": (self.site.distribution.distribution_id, "CloudFront distribution"),
            "SiteBucketName": (self.site.bucket.bucket_name, "Bucket with the built site"),
            "TableName": (self.data.table_name, "The DynamoDB table"),
            "AttachmentsBucketName": (self.attachments.bucket.bucket_name, "Bucket with the tickets' files"),
            "UserPoolId": (self.identity.user_pool.user_pool_id, "Cognito user pool"),
            "UserPoolClientId": (self.identity.client.user_pool_client_id, "App client of the widgets"),
            "DeadLetterQueueUrl": (self.data.dead_letter_queue.queue_url, "Notifications that failed"),
            "LicenseSigningKeySecretArn": (self.data.signing_key.secret_arn, "Secret with the signing key"),
            "AlarmTopicArn": (self.monitoring.topic.topic_arn, "Subscribe the on-call address here"),
            "SesConfigurationSet": (self.mail.configuration_set_name, "SES configuration set"),
            "InboundRuleSet": (
                self.inbound.rule_set_name,
                "Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this>",
            ),
            "InboundBucketName": (self.inbound.bucket.bucket_name, "Received mail (expires)"),
            "ReplyDomainMx": (
                f"{self.settings.reply_domain} MX 10 inbound-smtp.{self.region}.amazonaws.com",
                "The reply domain's MX record",
            ),
            **{
                f"SesDkimRecord{n}": (
                    cdk.Fn.join(
                        " ",
                        [
                            getattr(self.mail.identity, f"dkim_dns_token_name{n}"),
                            "CNAME",
                            getattr(self.mail.identity, f"dkim_dns_token_value{n}"),
                        ],
                    ),
                    f"DKIM record {n} of 3 to add to the sender domain's DNS",
                )
                for n in (1, 2, 3)
            },
            "AdminEnvironment": (self._admin_environment(), "Paste into a shell before bin/portal --stack aws ..."),
        }
        for name, (value, description) in outputs.items():
            cdk.CfnOutput(self, name, value=value, description=description)

    def _admin_environment(self) -> str:
        """``export ...`` of the functions' settings (secrets only by their ARNs), so the admin
        command line acts exactly as the deployed functions do, replays included. The command
        line is not behind the edge: it never believes a viewer address."""
        environment = {"AWS_REGION": self.region, **self.backend.environment, "SITE_URL": self.site.url}
        environment.pop("TRUST_VIEWER_ADDRESS")
        parts: list[str] = ["export"]
        for name, value in environment.items():
            parts += [f" {name}='", value, "'"]
        return cdk.Fn.join("", parts)
