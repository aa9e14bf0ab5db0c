"""The local stack is safe on a developer's machine: only its own names, no open redirect, a
Cognito proxy that lets no user change their groups or organisation, JSON answers labelled
as API Gateway's are, and its secrets readable by their owner only."""

from __future__ import annotations

import http.client
import json
import stat

import boto3
import pytest

from tests.support.stack import DEMO_PASSWORD

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]


def raw(stack, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None, port=None):
    """One request exactly as given (Host included, no redirects followed): status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port or stack.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for name, value in {**(headers or {}), "Content-Length": str(len(body or b""))}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def cognito(stack, operation: str, request: dict) -> tuple[int, dict]:
    status, _, body = raw(
        stack,
        "POST",
        "/_cognito/",
        {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        },
        json.dumps(request).encode(),
    )
    return status, json.loads(body)


def sign_in(stack, email: str) -> dict:
    status, answer = cognito(
        stack,
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": stack.config()["cognito"]["clientId"],
            "AuthParameters": {"USERNAME": email, "PASSWORD": DEMO_PASSWORD},
        },
    )
    assert status == 200, answer
    return answer["AuthenticationResult"]


def emulator(stack):
    """The emulator's Cognito as the vendor's own tooling reaches it (boto3, no browser)."""
    env = stack.environment
    return boto3.client(
        "cognito-idp",
        region_name=env["AWS_REGION"],
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def carol_as_the_api_sees_her(stack) -> dict:
    status, me = stack.request("GET", "api/me", stack.sign_in("carol@globex.example"))
    assert status == 200
    return me


def test_anonymous_admin_add_user_to_group_through_the_proxy_is_refused(local_stack):
    pool_id = local_stack.environment["USER_POOL_ID"]
    status, answer = cognito(
        local_stack,
        "AdminAddUserToGroup",
        {"UserPoolId": pool_id, "Username": "carol@globex.example", "GroupName": "admin"},
    )
    assert status == 403
    assert answer["__type"] == "AccessDeniedException"
    assert "AdminAddUserToGroup is not one of them" in answer["message"]
    groups = emulator(local_stack).admin_list_groups_for_user(UserPoolId=pool_id, Username="carol@globex.example")
    assert groups["Groups"] == []
    assert carol_as_the_api_sees_her(local_stack)["roles"] == []


@pytest.mark.parametrize("operation", ["AdminUpdateUserAttributes", "AdminCreateUser", "ListUsers", "SignUp", ""])
def test_operations_the_widgets_do_not_use_are_refused(local_stack, operation):
    status, answer = cognito(local_stack, operation, {"UserPoolId": local_stack.environment["USER_POOL_ID"]})
    assert (status, answer["__type"]) == (403, "AccessDeniedException")


def test_a_user_cannot_write_their_own_organisation(local_stack):
    pool_id = local_stack.environment["USER_POOL_ID"]
    access = sign_in(local_stack, "carol@globex.example")["AccessToken"]
    status, answer = cognito(
        local_stack,
        "UpdateUserAttributes",
        {"AccessToken": access, "UserAttributes": [{"Name": "custom:org", "Value": "acme"}]},
    )
    assert status == 400
    assert answer["__type"] == "NotAuthorizedException"
    assert "unauthorized attribute: custom:org" in answer["message"]
    user = emulator(local_stack).admin_get_user(UserPoolId=pool_id, Username="carol@globex.example")
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["custom:org"] == "globex"
    assert carol_as_the_api_sees_her(local_stack)["org"] == "globex"


def test_the_new_password_challenge_cannot_set_the_organisation_either(local_stack):
    status, answer = cognito(
        local_stack,
        "RespondToAuthChallenge",
        {
            "ClientId": local_stack.config()["cognito"]["clientId"],
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": "x",
            "ChallengeResponses": {"USERNAME": "carol@globex.example", "userAttributes.custom:org": "acme"},
        },
    )
    assert (status, answer["__type"]) == (400, "NotAuthorizedException")


def test_a_user_still_reads_their_own_account_through_the_proxy(local_stack):
    access = sign_in(local_stack, "carol@globex.example")["AccessToken"]
    status, answer = cognito(local_stack, "GetUser", {"AccessToken": access})
    assert status == 200
    assert {a["Name"]: a["Value"] for a in answer["UserAttributes"]}["email"] == "carol@globex.example"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost:1"])
def test_a_foreign_host_is_refused(local_stack, host):
    status, headers, body = raw(local_stack, "GET", "/api/health", {"Host": host.format(port=local_stack.port)})
    assert status == 421
    assert "DNS rebinding" in body.decode()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_local_names_are_answered(local_stack, host):
    status, _, _ = raw(local_stack, "GET", "/api/health", {"Host": host.format(port=local_stack.port)})
    assert status == 200


def test_the_emulator_refuses_browsers_and_foreign_hosts(local_stack):
    aws_port = local_stack.aws_port
    target = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools",
    }
    body = b'{"MaxResults": 10}'
    from_a_page = {**target, "Host": f"127.0.0.1:{aws_port}", "Origin": "https://evil.example"}
    assert raw(local_stack, "POST", "/", from_a_page, body, port=aws_port)[0] == 403
    assert raw(local_stack, "OPTIONS", "/", from_a_page, port=aws_port)[0] == 403
    rebound = {**target, "Host": f"evil.example:{aws_port}"}
    assert raw(local_stack, "POST", "/", rebound, body, port=aws_port)[0] == 403
    assert raw(local_stack, "POST", "/", {**target, "Host": f"127.0.0.1:{aws_port}"}, body, port=aws_port)[0] == 200


def test_no_open_redirect_from_an_encoded_path(local_stack):
    status, headers, _ = raw(local_stack, "GET", "/%2Fevil.example%2F..%2Fassets")
    assert status == 301
    assert headers["location"] == "/assets/"


def test_a_directory_without_its_slash_redirects_to_itself(local_stack):
    status, headers, _ = raw(local_stack, "GET", "/support?x=1")
    assert (status, headers["location"]) == (301, "/support/?x=1")


def api_answers(stack):
    """A request of every kind the API answers: success, each error, Chalice's own refusals."""
    token = stack.sign_in("alice@acme.example")
    bearer = {"Authorization": f"Bearer {token}"}
    as_json = {"Content-Type": "application/json"}
    return [
        ("GET", "/api/health", {}, None),
        ("GET", "/api/openapi.json", {}, None),
        ("GET", "/api/me", bearer, None),
        ("GET", "/api/tickets", bearer, None),
        ("GET", "/api/me", {}, None),  # 401
        ("GET", "/api/me", {"Authorization": "Bearer junk"}, None),  # 401
        ("GET", "/api/admin/organisations", bearer, None),  # 403
        ("GET", "/api/tickets/999999", bearer, None),  # 404
        ("POST", "/api/tickets", {**bearer, **as_json}, b"{not json"),  # 400
        ("POST", "/api/tickets", {**bearer, "Content-Type": "text/plain"}, b"hello"),  # 415
        ("DELETE", "/api/tickets", bearer, None),  # 405
        ("GET", "/api/no-such-route", {}, None),  # API Gateway's 403
        ("GET", "/portal-config.json", {}, None),
    ]


def test_every_json_answer_says_it_is_json(local_stack):
    statuses = set()
    for method, path, headers, body in api_answers(local_stack):
        status, answer_headers, payload = raw(local_stack, method, path, headers, body)
        statuses.add(status)
        assert answer_headers.get("content-type", "").startswith("application/json"), (method, path, status)
        json.loads(payload)
    assert {200, 400, 401, 403, 404, 405, 415} <= statuses


def test_env_json_and_its_folder_are_private(local_stack):
    env_file = local_stack.state_dir / "env.json"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(local_stack.state_dir.stat().st_mode) == 0o700
