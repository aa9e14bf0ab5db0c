"""Inviting users: a Cognito account with the organisation and roles, and its membership item."""

from __future__ import annotations

import functools
from typing import Any

from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, Invalid, NotFound
from chalicelib.identity.auth import Principal, require_admin
from chalicelib.identity.organisations import get_organisation, record_member


@functools.lru_cache(maxsize=1)
def _cognito():
    import boto3  # only admin paths talk to Cognito

    config = settings()
    return boto3.client("cognito-idp", region_name=config.region, endpoint_url=config.endpoint_url)


def invite_user(principal: Principal, data: dict[str, Any], temporary_password: str | None = None) -> dict[str, Any]:
    """Create the Cognito user (Cognito mails the invitation with a temporary password).

    ``data`` is valid against ``identity.schemas.USER_INVITE``."""
    require_admin(principal)
    email, org, roles = data["email"].lower(), data["org"], list(data.get("roles", []))
    if get_organisation(org) is None:
        raise NotFound(f"org: there is no organisation '{org}'; create it first.")
    client = _cognito()
    pool = settings().user_pool_id
    arguments: dict[str, Any] = {
        "UserPoolId": pool,
        "Username": email,
        "UserAttributes": [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:org", "Value": org},
        ],
        "DesiredDeliveryMediums": ["EMAIL"],
    }
    if temporary_password:
        arguments["TemporaryPassword"] = temporary_password
    try:
        client.admin_create_user(**arguments)
    except client.exceptions.UsernameExistsException:
        raise Conflict(f"A user {email} exists already.") from None
    except client.exceptions.InvalidParameterException:
        # Cognito's own e-mail check is stricter than the schema's (x@y.z, 0@0.0); nothing is stored.
        raise Invalid(f"email: Cognito does not accept {email} as an e-mail address; check it for typos.") from None
    for role in roles:
        client.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=role)
    record_member(org, email, roles)
    return {"email": email, "org": org, "roles": roles, "status": "invited"}


def set_password(email: str, password: str) -> None:
    """Give an invited user a permanent password (demo data and operators' own accounts)."""
    _cognito().admin_set_user_password(
        UserPoolId=settings().user_pool_id, Username=email.lower(), Password=password, Permanent=True
    )
