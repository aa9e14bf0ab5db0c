"""The license-signing key of the local stack: generated once, kept across restarts."""

from __future__ import annotations

import os
from pathlib import Path

import boto3


def ensure_signing_key(secret_name: str, key_path: Path) -> None:
    """Generate the Ed25519 key once into ``key_path`` and (re)store it in the emulator's secret,
    so license files downloaded before a restart still verify after it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if key_path.is_file():
        pem = key_path.read_text()
    else:
        pem = (
            Ed25519PrivateKey.generate()
            .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            .decode()
        )
        key_path.parent.mkdir(parents=True, exist_ok=True)
        key_path.touch(mode=0o600)
        key_path.write_text(pem)
    client = boto3.client(
        "secretsmanager",
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
    )
    try:
        client.put_secret_value(SecretId=secret_name, SecretString=pem)
    except client.exceptions.ResourceNotFoundException:
        client.create_secret(
            Name=secret_name, SecretString=pem, Description="Customer Portal: Ed25519 key that signs license files"
        )
