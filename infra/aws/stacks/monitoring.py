"""Alarms on what needs a person, sent to one SNS topic: API errors, function errors, mail
falling behind the stream, letters in the dead-letter queue, and SES bounce and complaint
rates before SES acts on them."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

# SES reviews an account at a 5 % bounce rate and 0.1 % complaint rate; warn well before.
BOUNCE_RATE = 0.02
COMPLAINT_RATE = 0.0005
API_5XX_PER_5_MINUTES = 5
# Mail should leave within seconds of a change; ten minutes behind means the handler is stuck.
STREAM_AGE_MS = 10 * 60 * 1000


class Monitoring(Construct):
    def __init__(self, scope: Construct, id: str, *, stage: str, alarm_email: str = "") -> None:
        super().__init__(scope, id)
        self.topic = sns.Topic(self, "AlarmTopic", display_name=f"Customer Portal ({stage}) alarms", enforce_ssl=True)
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        self.alarms: list[cloudwatch.Alarm] = []

    def _alarm(self, id: str, metric: cloudwatch.Metric, threshold: float, description: str) -> cloudwatch.Alarm:
        alarm = metric.create_alarm(
            self,
            id,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
        return alarm

    def api_errors(self, api_name: str, stage_name: str) -> None:
        self._alarm(
            "Api5xx",
            cloudwatch.Metric(
                namespace="AWS/ApiGateway",
                metric_name="5XXError",
                dimensions_map={"ApiName": api_name, "Stage": stage_name},
                statistic="Sum",
                period=cdk.Duration.minutes(5),
            ),
            API_5XX_PER_5_MINUTES,
            "The API answered 5xx errors: see the API function's logs.",
        )

    def function_errors(self, id: str, function_name: str) -> None:
        self._alarm(
            f"{id}Errors",
            cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name="Errors",
                dimensions_map={"FunctionName": function_name},
                statistic="Sum",
                period=cdk.Duration.minutes(5),
            ),
            1,
            f"{function_name} failed: see its log group /aws/lambda/{function_name}.",
        )

    def stream_lag(self, function_name: str) -> None:
        self._alarm(
            "NotificationsBehind",
            cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name="IteratorAge",
                dimensions_map={"FunctionName": function_name},
                statistic="Maximum",
                period=cdk.Duration.minutes(5),
            ),
            STREAM_AGE_MS,
            f"Notification mail is more than 10 minutes behind the table's stream: "
            f"see /aws/lambda/{function_name} (SES errors, throttling).",
        )

    def dead_letters(self, queue: sqs.IQueue) -> None:
        self._alarm(
            "DeadLetters",
            queue.metric_approximate_number_of_messages_visible(
                statistic="Maximum",
                period=cdk.Duration.minutes(5),
            ),
            1,
            "Notifications could not be delivered and wait in the dead-letter queue: "
            "fix the cause, then replay them (operations guide).",
        )

    def mail_reputation(self) -> None:
        for id, metric_name, threshold, what in (
            ("SesBounceRate", "Reputation.BounceRate", BOUNCE_RATE, "bounce"),
            ("SesComplaintRate", "Reputation.ComplaintRate", COMPLAINT_RATE, "complaint"),
        ):
            self._alarm(
                id,
                cloudwatch.Metric(
                    namespace="AWS/SES",
                    metric_name=metric_name,
                    statistic="Maximum",
                    period=cdk.Duration.hours(1),
                ),
                threshold,
                f"The account's SES {what} rate is high; SES may pause sending. "
                "Check the suppression list and the recipients (SES guide).",
            )
