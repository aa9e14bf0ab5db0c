"""The inbound mail bucket's shape, shared by the CDK stack and the local stack: where received
mail is stored and how long it is kept (the handler has read it within seconds; the rest is
for an operator looking into a refused mail)."""

from __future__ import annotations

PREFIX = "inbound/"
EXPIRY_DAYS = 30


def lifecycle_rules() -> list[dict]:
    """S3's lifecycle configuration (PutBucketLifecycleConfiguration / the CDK bucket's rules)."""
    return [
        {
            "ID": "expire-received-mail",
            "Status": "Enabled",
            "Filter": {"Prefix": PREFIX},
            "Expiration": {"Days": EXPIRY_DAYS},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        }
    ]
