"""E-mail: the SES sending identity for the sender's domain and its default configuration
set, which suppresses addresses on the account's suppression list (bounces and complaints)
and publishes sending events to CloudWatch for the alarms."""

from __future__ import annotations

from aws_cdk import aws_ses as ses
from constructs import Construct

EVENTS = [
    ses.EmailSendingEvent.SEND,
    ses.EmailSendingEvent.DELIVERY,
    ses.EmailSendingEvent.BOUNCE,
    ses.EmailSendingEvent.COMPLAINT,
    ses.EmailSendingEvent.REJECT,
]


class Mail(Construct):
    def __init__(self, scope: Construct, id: str, *, stage: str, sender_domain: str) -> None:
        super().__init__(scope, id)
        self.configuration_set_name = f"portal-{stage}"

        self.configuration_set = ses.ConfigurationSet(
            self,
            "ConfigurationSet",
            configuration_set_name=self.configuration_set_name,
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
            reputation_metrics=True,
            sending_enabled=True,
            tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,
        )
        self.configuration_set.add_event_destination(
            "CloudWatch",
            destination=ses.EventDestination.cloud_watch_dimensions(
                [
                    ses.CloudWatchDimension(
                        name="ses:configuration-set",
                        source=ses.CloudWatchDimensionSource.MESSAGE_TAG,
                        default_value=self.configuration_set_name,
                    ),
                ]
            ),
            events=EVENTS,
        )

        # Mail from this domain uses the configuration set by default, so the code needs no
        # setting for it. The DKIM records to publish are in the SES console (see the guide).
        self.identity = ses.EmailIdentity(
            self,
            "SenderDomain",
            identity=ses.Identity.domain(sender_domain),
            configuration_set=self.configuration_set,
            dkim_signing=True,
        )
        self.sender_domain = sender_domain
