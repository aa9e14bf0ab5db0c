"""The attachments bucket's definition: the one source from which the local stack (boto3 calls
against the emulator) and the CDK stack (infra/aws/stacks/attachments.py, an ``s3.Bucket`` so
cdk-nag checks it) build it, like the table's.

Private and encrypted; versioned, so an object overwritten or deleted by an operator can be
recovered (old versions go after 30 days); CORS for the site's one origin, and only for what
the widgets do (POST the upload, GET a thumbnail); uploads nobody referenced expire from
``uploads/`` after ATTACHMENT_UPLOAD_DAYS, as do their old versions.
"""

from __future__ import annotations

from typing import Any

NONCURRENT_DAYS = 30


def _upload_prefix() -> str:
    from chalicelib.attachments.models import UPLOAD_PREFIX

    return UPLOAD_PREFIX


def _upload_days() -> int:
    from chalicelib.core.config import ATTACHMENT_UPLOAD_DAYS

    return ATTACHMENT_UPLOAD_DAYS


def cors_rules(site_origin: str) -> list[dict[str, Any]]:
    """boto3's CORSRules: the site's origin only (no trailing slash, as browsers send it)."""
    return [
        {
            "AllowedOrigins": [site_origin.rstrip("/")],
            "AllowedMethods": ["POST", "GET"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3600,
        }
    ]


def lifecycle_rules() -> list[dict[str, Any]]:
    """boto3's lifecycle Rules."""
    return [
        {
            "ID": "ExpireUnreferencedUploads",
            "Status": "Enabled",
            "Filter": {"Prefix": _upload_prefix()},
            "Expiration": {"Days": _upload_days()},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        },
        {
            "ID": "ForgetOldVersions",
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "NoncurrentVersionExpiration": {"NoncurrentDays": NONCURRENT_DAYS},
            "Expiration": {"ExpiredObjectDeleteMarker": True},
        },
    ]


ENCRYPTION = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}]}
PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def create_bucket(client: Any, name: str, site_origin: str, region: str = "us-east-1") -> None:
    """Create the bucket through a boto3 S3 client (the local stack's emulator, the tests)."""
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    client.create_bucket(Bucket=name, **location)
    client.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=PUBLIC_ACCESS_BLOCK)
    client.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=ENCRYPTION)
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    client.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": cors_rules(site_origin)})
    client.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": lifecycle_rules()})
