"""The stage's settings, read from CDK context (cdk.json or ``-c name=value``) and checked
before anything is synthesised, so a typo fails with a message instead of a broken stack."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.core import config as backend  # the contract's defaults: one source

STAGES = ("dev", "prod")
THREAT_PROTECTION = ("enforced", "audit", "off")
_EMAIL = re.compile(r"^[^@\s]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
_DOMAIN = re.compile(r"^([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
_STREAM = re.compile(r"^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/(?P<table>[A-Za-z0-9_.-]+)/stream/\S+$")
_CERTIFICATE = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[0-9a-f-]+$")


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class StageSettings:
    stage: str
    sender: str
    support_email: str
    domain: str = ""
    certificate_arn: str = ""
    alarm_email: str = ""
    invite_from_ses: bool = False
    table_name: str = ""
    table_stream_arn: str = ""
    reopen_window_days: int = backend.REOPEN_WINDOW_DAYS
    lookup_limit_per_client: int = backend.LOOKUP_LIMIT_PER_CLIENT
    lookup_limit_per_key: int = backend.LOOKUP_LIMIT_PER_KEY
    checkin_limit_per_client: int = backend.CHECKIN_LIMIT_PER_CLIENT
    checkin_limit_per_key: int = backend.CHECKIN_LIMIT_PER_KEY
    api_rate_limit: int = 50
    api_burst_limit: int = 100
    threat_protection: str = "off"  # Cognito's: enforced, audit or off (default: enforced in prod)
    reply_domain: str = ""  # SES receives it; default reply.<sender's domain>
    # How many of the table's GSIs to deploy (0: all). DynamoDB adds one per table update, so an
    # older table gains the workspace's indexes one deployment at a time (see the deployment guide).
    table_indexes: int = 0

    @property
    def stack_name(self) -> str:
        return f"portal-{self.stage}"

    @property
    def sender_domain(self) -> str:
        return self.sender.rsplit("@", 1)[1].lower()

    @property
    def is_production(self) -> bool:
        return self.stage == "prod"

    @classmethod
    def from_context(cls, get: Callable[[str], Any]) -> StageSettings:
        """Build from ``node.try_get_context``; every problem is reported at once."""
        problems: list[str] = []

        def text(name: str, required: bool = False) -> str:
            value = get(name)
            value = "" if value is None else str(value).strip()
            if required and not value:
                problems.append(f"context '{name}' is required (cdk.json or -c {name}=...)")
            return value

        def number(name: str, default: int) -> int:
            raw = get(name)
            if raw is None or str(raw).strip() == "":
                return default
            try:
                value = int(raw)
            except (TypeError, ValueError):
                problems.append(f"context '{name}' must be a whole number, not {raw!r}")
                return default
            if value < 1:
                problems.append(f"context '{name}' must be at least 1, not {value}")
            return value

        stage = text("stage", required=True)
        if stage and stage not in STAGES:
            problems.append(f"context 'stage' must be one of {', '.join(STAGES)}, not {stage!r}")
        sender = text("sender", required=True)
        if sender and not _EMAIL.match(sender):
            problems.append(f"context 'sender' must be an e-mail address, not {sender!r}")
        support_email = text("supportEmail", required=True)
        if support_email and not _EMAIL.match(support_email):
            problems.append(f"context 'supportEmail' must be an e-mail address, not {support_email!r}")
        domain = text("domain").lower()
        if domain and not _DOMAIN.match(domain):
            problems.append(f"context 'domain' must be a host name like portal.vendor.example, not {domain!r}")
        certificate_arn = text("certificateArn")
        if domain and not certificate_arn:
            problems.append(
                "context 'certificateArn' is required with 'domain': the ARN of an ACM "
                "certificate for the domain in us-east-1 (CloudFront only uses those)"
            )
        if certificate_arn and not _CERTIFICATE.match(certificate_arn):
            problems.append(
                f"context 'certificateArn' must be an ACM certificate ARN in us-east-1, not {certificate_arn!r}"
            )
        if certificate_arn and not domain:
            problems.append("context 'certificateArn' needs 'domain' as well")
        alarm_email = text("alarmEmail")
        if alarm_email and not _EMAIL.match(alarm_email):
            problems.append(f"context 'alarmEmail' must be an e-mail address, not {alarm_email!r}")
        invite_from_ses = text("inviteFromSes").lower()
        if invite_from_ses not in ("", "true", "false"):
            problems.append(f"context 'inviteFromSes' must be true or false, not {invite_from_ses!r}")
        table_name = text("tableName")
        table_stream_arn = text("tableStreamArn")
        if bool(table_name) != bool(table_stream_arn):
            problems.append(
                "context 'tableName' and 'tableStreamArn' go together (a restored table "
                "and its stream; see the restore drill)"
            )
        elif table_stream_arn:
            stream = _STREAM.match(table_stream_arn)
            if not stream or stream.group("table") != table_name:
                problems.append(
                    f"context 'tableStreamArn' must be the stream ARN of table {table_name!r} "
                    "(aws dynamodb describe-table --query Table.LatestStreamArn)"
                )
        threat_protection = text("threatProtection").lower() or ("enforced" if stage == "prod" else "off")
        if threat_protection not in THREAT_PROTECTION:
            problems.append(
                f"context 'threatProtection' must be one of {', '.join(THREAT_PROTECTION)}, not {threat_protection!r}"
            )
        reply_domain = text("replyDomain").lower() or (
            f"reply.{sender.rsplit('@', 1)[1].lower()}" if "@" in sender else ""
        )
        if reply_domain and not _DOMAIN.match(reply_domain):
            problems.append(
                f"context 'replyDomain' must be a mail domain like reply.vendor.example, not {reply_domain!r}"
            )
        settings = cls(
            stage=stage,
            sender=sender,
            support_email=support_email,
            domain=domain,
            certificate_arn=certificate_arn,
            alarm_email=alarm_email,
            invite_from_ses=invite_from_ses == "true",
            table_name=table_name,
            table_stream_arn=table_stream_arn,
            reopen_window_days=number("reopenWindowDays", backend.REOPEN_WINDOW_DAYS),
            lookup_limit_per_client=number("lookupLimitPerClient", backend.LOOKUP_LIMIT_PER_CLIENT),
            lookup_limit_per_key=number("lookupLimitPerKey", backend.LOOKUP_LIMIT_PER_KEY),
            checkin_limit_per_client=number("checkinLimitPerClient", backend.CHECKIN_LIMIT_PER_CLIENT),
            checkin_limit_per_key=number("checkinLimitPerKey", backend.CHECKIN_LIMIT_PER_KEY),
            api_rate_limit=number("apiRateLimit", 50),
            api_burst_limit=number("apiBurstLimit", 100),
            threat_protection=threat_protection,
            reply_domain=reply_domain,
            table_indexes=_table_indexes(text("tableIndexes"), problems),
        )
        if problems:
            raise SettingsError("The stack's context is incomplete:\n  - " + "\n  - ".join(problems))
        return settings


def _table_indexes(raw: str, problems: list[str]) -> int:
    from infra import table_definition

    if not raw:
        return 0
    most = table_definition.index_count()
    if not raw.isdigit() or not 2 <= int(raw) <= most:
        problems.append(f"context 'tableIndexes' must be a whole number from 2 to {most}, not {raw!r}")
        return 0
    return int(raw)
