"""Secrets Manager values, read once per process through one lazily created client."""

from __future__ import annotations

import functools

from chalicelib.core.config import settings


@functools.lru_cache(maxsize=1)
def _client():
    import boto3

    config = settings()
    return boto3.client("secretsmanager", region_name=config.region, endpoint_url=config.endpoint_url)


@functools.lru_cache(maxsize=8)
def secret_string(secret_id: str) -> str:
    """The secret's current value; only the first call of a process asks Secrets Manager."""
    return _client().get_secret_value(SecretId=secret_id)["SecretString"]
