"""List cursors are opaque, bound to their list, and refuse any alteration."""

import pytest

from chalicelib.core import cursors
from chalicelib.core.errors import Invalid

POSITION = {"pk": {"S": "TICKET#7"}, "sk": {"S": "#TICKET"}}


def test_cursor_round_trips_for_the_same_list():
    assert cursors.decode(cursors.encode(POSITION, "scope-a"), "scope-a") == POSITION


def test_cursor_does_not_show_the_key_in_plain_text():
    assert "TICKET#7" not in cursors.encode(POSITION, "scope-a")


def test_cursor_is_refused_for_another_list():
    with pytest.raises(Invalid, match="cursor is not valid"):
        cursors.decode(cursors.encode(POSITION, "scope-a"), "scope-b")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c + "x",
        lambda c: "x" + c,
        lambda c: c.replace(".", ""),
        lambda c: c.split(".")[0] + ".",
        lambda c: "",
        lambda c: "!!!.???",
    ],
)
def test_altered_cursor_is_refused(mangle):
    with pytest.raises(Invalid):
        cursors.decode(mangle(cursors.encode(POSITION, "s")), "s")


def test_cursor_key_is_read_from_secrets_manager_once(monkeypatch):
    import dataclasses

    import boto3
    from moto import mock_aws

    from chalicelib.core import config, secrets

    with mock_aws():
        arn = boto3.client("secretsmanager").create_secret(Name="portal/cursors", SecretString="k1")["ARN"]
        configured = dataclasses.replace(config.settings(), cursor_secret_id=arn, cursor_secret="")
        monkeypatch.setattr(cursors, "settings", lambda: configured)
        secrets._client.cache_clear()
        secrets.secret_string.cache_clear()
        try:
            cursor = cursors.encode(POSITION, "s")
            # A later change of the secret is not seen by this process (one read per cold start).
            boto3.client("secretsmanager").put_secret_value(SecretId=arn, SecretString="k2")
            assert cursors.decode(cursor, "s") == POSITION
            # Signed with the secret's value, not with the test environment's CURSOR_SECRET.
            monkeypatch.setattr(cursors, "settings", config.settings)
            with pytest.raises(Invalid):
                cursors.decode(cursor, "s")
        finally:
            secrets._client.cache_clear()
            secrets.secret_string.cache_clear()
