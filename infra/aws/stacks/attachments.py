"""The attachments bucket (PRODUCT.md §3.3, §9): private, encrypted, versioned, TLS only, its
access logged; CORS for the site's origin only; uploads nobody referenced expire. Built from
the shared definition (infra/attachments_bucket.py) that the local stack's emulator uses too.

The bucket's name is fixed by stage, account and region, so the API's role, the API's settings
and the site's CSP can name it before the bucket (whose CORS names the distribution) exists:
bucket -> distribution -> API -> role would otherwise be a cycle.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra import attachments_bucket as definition


def bucket_name(stage: str, stack: cdk.Stack) -> str:
    return f"portal-{stage}-attachments-{stack.account}-{stack.region}"


def browser_origin(stage: str, stack: cdk.Stack) -> str:
    """Where the widgets POST uploads and load thumbnails from (the backend signs for it)."""
    return f"https://{bucket_name(stage, stack)}.s3.{stack.region}.{stack.url_suffix}"


def object_arns(stage: str, stack: cdk.Stack) -> list[str]:
    """The two prefixes the API works in: uploads/ (expiring) and tickets/ (kept)."""
    from chalicelib.attachments.models import KEPT_PREFIX, UPLOAD_PREFIX

    arn = f"arn:{stack.partition}:s3:::{bucket_name(stage, stack)}"
    return [f"{arn}/{UPLOAD_PREFIX}*", f"{arn}/{KEPT_PREFIX}*"]


def api_statements(stage: str, stack: cdk.Stack) -> list[iam.PolicyStatement]:
    """What the API may do, and so what its presigned URLs may: write and read uploads (the
    browser's POST; HeadObject and the copy's source), write and read kept files (the copy's
    target; the download's GET). Never delete, never list, never another prefix."""
    return [iam.PolicyStatement(actions=["s3:PutObject", "s3:GetObject"], resources=object_arns(stage, stack))]


def _lifecycle(rule: dict) -> s3.LifecycleRule:
    days = lambda value: cdk.Duration.days(value) if value is not None else None  # noqa: E731
    return s3.LifecycleRule(
        id=rule["ID"],
        enabled=rule["Status"] == "Enabled",
        prefix=rule["Filter"].get("Prefix") or None,
        expiration=days(rule.get("Expiration", {}).get("Days")),
        expired_object_delete_marker=rule.get("Expiration", {}).get("ExpiredObjectDeleteMarker"),
        noncurrent_version_expiration=days(rule.get("NoncurrentVersionExpiration", {}).get("NoncurrentDays")),
        abort_incomplete_multipart_upload_after=days(
            rule.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation")
        ),
    )


def _cors(rule: dict) -> s3.CorsRule:
    return s3.CorsRule(
        allowed_origins=rule["AllowedOrigins"],
        allowed_methods=[s3.HttpMethods(method) for method in rule["AllowedMethods"]],
        allowed_headers=rule["AllowedHeaders"],
        exposed_headers=rule["ExposeHeaders"],
        max_age=rule["MaxAgeSeconds"],
    )


class Attachments(Construct):
    def __init__(self, scope: Construct, id: str, *, stage: str, site_origin: str, logs: s3.IBucket) -> None:
        super().__init__(scope, id)
        stack = cdk.Stack.of(self)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            bucket_name=bucket_name(stage, stack),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            bucket_key_enabled=True,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            cors=[_cors(rule) for rule in definition.cors_rules(site_origin)],
            lifecycle_rules=[_lifecycle(rule) for rule in definition.lifecycle_rules()],
            server_access_logs_bucket=logs,
            server_access_logs_prefix="s3/attachments/",
            # Customers' files survive `cdk destroy`, like the table that lists them.
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
