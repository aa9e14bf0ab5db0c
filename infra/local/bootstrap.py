"""Create the local stack's AWS resources in the emulator and return the backend's environment.

Order matters: Cognito first (its pool id is part of the backend's settings, which are read
once), then the environment is set, and only then the backend is imported to create the table.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import boto3

from infra.local import settings as local
from infra.local.settings import Ports
from infra.local.signing_key import ensure_signing_key


def _client(service: str, ports: Ports):
    return boto3.client(
        service,
        region_name=local.REGION,
        endpoint_url=ports.aws_endpoint,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def create_user_pool(ports: Ports) -> tuple[str, str]:
    """The pool as the CDK stack defines it: e-mail sign-in, custom:org, support/admin groups."""
    cognito = _client("cognito-idp", ports)
    pool = cognito.create_user_pool(
        PoolName=local.POOL_NAME,
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "org", "AttributeDataType": "String", "Mutable": True}],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 10,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": False,
            }
        },
    )["UserPool"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="portal-site",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=["email", "custom:org"],
        WriteAttributes=list(local.APP_CLIENT_WRITE_ATTRIBUTES),  # custom:org is set by admins only
    )["UserPoolClient"]
    # Two-step sign-in as in the CDK stack (infra/aws/stacks/identity.py): optional, TOTP only.
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool["Id"], MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    for group in ("support", "admin"):
        cognito.create_group(GroupName=group, UserPoolId=pool["Id"])
    return pool["Id"], client["ClientId"]


def create_cursor_secret(ports: Ports) -> str:
    """The cursors' HMAC key in the emulator's Secrets Manager, as the CDK stack has it: the
    backend reads it at run time, so neither the environment nor env.json holds it."""
    return _client("secretsmanager", ports).create_secret(
        Name=local.CURSOR_SECRET,
        SecretString=secrets.token_hex(32),
        Description="Customer Portal: HMAC key that makes list cursors tamper-proof",
    )["ARN"]


def backend_environment(
    ports: Ports, pool_id: str, client_id: str, queue_url: str, cursor_secret_id: str
) -> dict[str, str]:
    """The same variable names the CDK stack sets through stage_config."""
    issuer = f"https://cognito-idp.{local.REGION}.amazonaws.com/{pool_id}"
    return {
        "AWS_REGION": local.REGION,
        "AWS_DEFAULT_REGION": local.REGION,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_ENDPOINT_URL": ports.aws_endpoint,
        "TABLE_NAME": local.TABLE_NAME,
        "USER_POOL_ID": pool_id,
        "USER_POOL_CLIENT_ID": client_id,
        "COGNITO_ISSUER": issuer,
        # The local Cognito serves its keys here but names the AWS issuer above.
        "COGNITO_JWKS_URL": f"{ports.aws_endpoint}/{pool_id}/.well-known/jwks.json",
        "SITE_URL": ports.site_url,
        "SUPPORT_EMAIL": local.SUPPORT_EMAIL,
        "SENDER_EMAIL": local.SENDER_EMAIL,
        "CURSOR_SECRET_ID": cursor_secret_id,
        "DEAD_LETTER_QUEUE_URL": queue_url,
        "LICENSE_SIGNING_KEY_SECRET": local.SIGNING_KEY_SECRET,
        **inbound_environment(),
    }


def inbound_environment() -> dict[str, str]:
    """Mail to the portal: the reply domain, and no SES verdicts (the local SMTP server checks none)."""
    return {"REPLY_DOMAIN": local.REPLY_DOMAIN, "REQUIRE_MAIL_VERDICTS": "false"}


def create_attachments_bucket(ports: Ports) -> dict[str, str]:
    """The attachments bucket from the definition the CDK stack deploys (infra/attachments_bucket.py),
    and the settings that point the backend at it; browsers reach it through /_s3 on the site."""
    from infra import attachments_bucket

    attachments_bucket.create_bucket(_client("s3", ports), local.ATTACHMENTS_BUCKET, ports.site_url, local.REGION)
    return {
        "ATTACHMENTS_BUCKET": local.ATTACHMENTS_BUCKET,
        "ATTACHMENTS_PUBLIC_ENDPOINT": ports.site_url.rstrip("/") + local.ATTACHMENTS_PROXY.rstrip("/"),
    }


def create_table() -> None:
    """The table from the same definition the CDK stack deploys (infra/table_definition.py)."""
    from chalicelib.core.config import settings
    from infra import table_definition

    config = settings()
    client = boto3.client("dynamodb", region_name=config.region, endpoint_url=config.endpoint_url)
    table_definition.create_table(client, config.table_name)


def bootstrap(ports: Ports, state_dir: Path = local.STATE_DIR) -> dict[str, str]:
    """Create everything, export the environment into this process, and save it for the CLI."""
    pool_id, client_id = create_user_pool(ports)
    queue_url = _client("sqs", ports).create_queue(QueueName=local.DEAD_LETTER_QUEUE)["QueueUrl"]
    _client("ses", ports).verify_email_identity(EmailAddress=local.SENDER_EMAIL)
    environment = backend_environment(ports, pool_id, client_id, queue_url, create_cursor_secret(ports))
    environment.update(create_attachments_bucket(ports))
    os.environ.update(environment)
    create_table()
    state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    state_dir.chmod(0o700)  # also when an earlier run made it readable to others
    ensure_signing_key(local.SIGNING_KEY_SECRET, state_dir / "license-signing-key.pem")
    write_private(state_dir / local.ENV_FILE.name, json.dumps(environment, indent=2))
    return environment


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (env.json holds the cursor secret), from the first byte."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through O_CREAT
        file.write(text)


def portal_config(environment: dict[str, Any], site_origin: str) -> dict[str, Any]:
    """What the widgets read at run time: the API and Cognito (through the same-origin proxy)."""
    return {
        "apiUrl": "/api",
        "cognito": {
            "region": environment["AWS_REGION"],
            "userPoolId": environment["USER_POOL_ID"],
            "clientId": environment["USER_POOL_CLIENT_ID"],
            "endpoint": f"{site_origin.rstrip('/')}/_cognito/",
        },
    }
