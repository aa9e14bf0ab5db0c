"""Who sent a mail: the Cognito user whose e-mail (the pool's user name) is the From address.

Cognito is the source the API's tokens come from, so a mail's sender is the same Principal
(user id, organisation, roles) the API would see for them: AdminGetUser for ``sub`` and
``custom:org``, AdminListGroupsForUser for the roles. A disabled account sends nothing.
"""

from __future__ import annotations

import functools

from chalicelib.core.config import settings
from chalicelib.identity.auth import ROLES, Principal


@functools.lru_cache(maxsize=1)
def _cognito():
    import boto3

    config = settings()
    return boto3.client("cognito-idp", region_name=config.region, endpoint_url=config.endpoint_url)


def principal_for(address: str) -> Principal | None:
    """The portal user with this e-mail address, or None."""
    client = _cognito()
    pool = settings().user_pool_id
    try:
        user = client.admin_get_user(UserPoolId=pool, Username=address)
    except (client.exceptions.UserNotFoundException, client.exceptions.InvalidParameterException):
        return None
    if not user.get("Enabled", True):
        return None
    attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
    if attributes.get("email", "").lower() != address.lower():
        return None
    groups = client.admin_list_groups_for_user(UserPoolId=pool, Username=user["Username"]).get("Groups", [])
    roles = frozenset(g["GroupName"] for g in groups if g["GroupName"] in ROLES)
    org = attributes.get("custom:org", "")
    if not org and not roles:
        return None
    return Principal(user_id=attributes.get("sub", user["Username"]), email=address.lower(), org=org, roles=roles)
