"""A fresh moto account as the API tests start from, and a Cognito pool as the stack makes it."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from unittest import mock

import boto3
from moto import mock_aws

from tests.support.users import CUSTOMERS


@contextlib.contextmanager
def demo_account() -> Iterator[None]:
    """A fresh moto account with the portal table, the demo organisations and their customers, and
    the attachments bucket."""
    with mock_aws():
        from chalicelib.core.table import PortalItem
        from chalicelib.identity.auth import operator
        from chalicelib.identity.organisations import create_organisation, record_member
        from chalicelib.tickets import last_seen

        last_seen.forget_all()  # a new account's tickets: this process has seen none of them

        PortalItem.create_table(wait=True)
        create_organisation(operator("tests"), {"org": "acme", "name": "Acme Corp"})
        create_organisation(operator("tests"), {"org": "globex", "name": "Globex"})
        for user in CUSTOMERS:  # what inviting them records: on-behalf tickets and followers need it
            record_member(user.org, user.email, [])
        create_attachments_bucket()
        yield


def create_attachments_bucket() -> None:
    """The attachments bucket, from the definition the stacks deploy."""
    from chalicelib.core.config import settings
    from infra.attachments_bucket import create_bucket

    create_bucket(boto3.client("s3", region_name="us-east-1"), settings().attachments_bucket, settings().site_url)


def create_user_pool() -> str:
    """A pool in the current moto account as infra/local/bootstrap.py makes it: e-mail
    usernames, custom:org, the support and admin groups. Returns its id."""
    from moto.cognitoidp import models

    cognito = _cognito()
    # moto signs every pool's tokens with the same bundled key and imports it afresh for each
    # pool, checking the RSA key (half a second); the key, imported once, is the same key.
    key = _moto_pool_key()
    with mock.patch.object(models.jwk.RSAKey, "import_key", lambda *_: key):
        pool = cognito.create_user_pool(
            PoolName="portal-test",
            UsernameAttributes=["email"],
            Schema=[{"Name": "org", "AttributeDataType": "String", "Mutable": True}],
        )["UserPool"]["Id"]
    for group in ("support", "admin"):
        cognito.create_group(GroupName=group, UserPoolId=pool)
    return pool


@functools.cache
def _cognito():
    # moto intercepts a client's calls whenever a mock is active, whenever the client was made.
    return boto3.client("cognito-idp", region_name="us-east-1")


@functools.cache
def _moto_pool_key():
    from moto.cognitoidp import models

    return models.jwk.RSAKey.import_key(models.load_resource("cognitoidp/resources/jwks-private.json"))
