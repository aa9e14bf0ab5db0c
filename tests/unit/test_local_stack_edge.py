"""The local stack's edge, piece by piece: Host allow-list, redirects, the Cognito proxy's
rules, JSON labels, private files, the emulator's guard."""

from __future__ import annotations

import json
import stat

import pytest

from infra.local import cognito_proxy
from infra.local.bootstrap import write_private
from infra.local.emulator import local_callers_only
from infra.local.server import StaticSite, is_local_host, with_json_default
from infra.local.settings import APP_CLIENT_WRITE_ATTRIBUTES


@pytest.mark.parametrize(
    "host, port, allowed",
    [
        ("127.0.0.1:8000", 8000, True),
        ("localhost:8000", 8000, True),
        ("LocalHost:8000", 8000, True),
        ("127.0.0.1", 80, True),
        ("127.0.0.1", 8000, False),
        ("127.0.0.1:8001", 8000, False),
        ("evil.example:8000", 8000, False),
        ("localhost.:8000", 8000, False),
        ("127.0.0.1.nip.io:8000", 8000, False),
        ("[::1]:8000", 8000, False),
        ("", 8000, False),
        (None, 8000, False),
    ],
)
def test_only_the_loopback_names_with_our_port_are_local(host, port, allowed):
    assert is_local_host(host, port) is allowed


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "support" / "ticket").mkdir(parents=True)
    (root / "index.html").write_text("<p>home</p>")
    (root / "support" / "ticket" / "index.html").write_text("<p>ticket</p>")
    (tmp_path / "secret.txt").write_text("not for the web")
    (tmp_path / "site2").mkdir()
    (tmp_path / "site2" / "index.html").write_text("<p>next door</p>")
    return StaticSite(root)


@pytest.mark.parametrize(
    "path, location",
    [
        ("/%2Fevil.example%2F..%2Fassets", "/assets/"),
        ("//evil.example/../assets", None),  # a network-path reference: its path leaves the site, 404
        ("/%5C%5Cevil.example%2F..%2Fassets", "/assets/"),
        ("/support/ticket?n=1042", "/support/ticket/?n=1042"),
        ("/support/./ticket", "/support/ticket/"),
    ],
)
def test_directory_redirects_stay_on_the_site(site, path, location):
    status, headers, _ = site("GET", path, {}, b"")
    if location is None:
        assert status == 404
    else:
        assert (status, headers["Location"]) == (301, location)


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2E%2E/secret.txt", "/../site2/index.html"])
def test_files_outside_the_site_are_not_found(site, path):
    assert site("GET", path, {}, b"")[0] == 404


def test_api_answers_without_a_content_type_are_labelled_json():
    assert with_json_default({})["Content-Type"] == "application/json"
    assert with_json_default({"x-amzn-ErrorType": "X"}) == {"x-amzn-ErrorType": "X", "Content-Type": "application/json"}


def test_an_api_answer_that_names_its_content_type_keeps_it():
    assert with_json_default({"content-type": "text/plain"}) == {"content-type": "text/plain"}


def target(operation: str) -> dict[str, str]:
    return {"X-Amz-Target": f"{cognito_proxy.TARGET_PREFIX}{operation}", "Content-Type": "application/x-amz-json-1.1"}


def refusal(headers: dict[str, str], request) -> tuple[int, str] | None:
    answer = cognito_proxy.check(headers, json.dumps(request).encode(), frozenset(APP_CLIENT_WRITE_ATTRIBUTES))
    return None if answer is None else (answer[0], json.loads(answer[2])["__type"])


@pytest.mark.parametrize("operation", sorted(cognito_proxy.OPERATIONS))
def test_the_widgets_operations_pass(operation):
    assert refusal(target(operation), {}) is None


@pytest.mark.parametrize(
    "headers",
    [
        target("AdminAddUserToGroup"),
        target("AdminUpdateUserAttributes"),
        target("AdminInitiateAuth"),
        target("CreateUserPoolClient"),
        target("SignUp"),
        target("DeleteUser"),
        {"X-Amz-Target": "DynamoDB_20120810.Scan"},
        {"X-Amz-Target": "InitiateAuth"},
        {},
    ],
)
def test_everything_else_is_refused(headers):
    assert refusal(headers, {}) == (403, "AccessDeniedException")


def test_the_operations_the_sign_in_widget_calls_all_pass():
    import re
    from pathlib import Path

    widget = (Path(__file__).parents[2] / "docs/assets/portal/auth.js").read_text()
    called = set(re.findall(r'cognito\("(\w+)"', widget))
    assert called and called <= cognito_proxy.OPERATIONS


@pytest.mark.parametrize(
    "operation, request_body, refused",
    [
        ("UpdateUserAttributes", {"UserAttributes": [{"Name": "custom:org", "Value": "acme"}]}, True),
        ("UpdateUserAttributes", {"UserAttributes": [{"Name": "email", "Value": "c@globex.example"}]}, False),
        (
            "UpdateUserAttributes",
            {"UserAttributes": [{"Name": "email", "Value": "c@x.example"}, {"Name": "custom:org", "Value": "a"}]},
            True,
        ),
        ("UpdateUserAttributes", {"UserAttributes": [{"Name": "email_verified", "Value": "true"}]}, True),
        ("UpdateUserAttributes", {"UserAttributes": ["custom:org"]}, True),
        ("RespondToAuthChallenge", {"ChallengeResponses": {"userAttributes.custom:org": "acme"}}, True),
        ("RespondToAuthChallenge", {"ChallengeResponses": {"NEW_PASSWORD": "x", "USERNAME": "c"}}, False),
        ("RespondToAuthChallenge", {"ChallengeResponses": {"userAttributes.email": "c@x.example"}}, False),
    ],
)
def test_only_the_app_clients_write_attributes_may_be_written(operation, request_body, refused):
    expected = (400, "NotAuthorizedException") if refused else None
    assert refusal(target(operation), request_body) == expected


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_refused(body):
    answer = cognito_proxy.check(target("InitiateAuth"), body, frozenset(APP_CLIENT_WRITE_ATTRIBUTES))
    assert answer is not None and answer[0] == 400


def test_a_refused_call_never_reaches_the_emulator():
    from tests.support.stack import free_port

    proxy = cognito_proxy.CognitoProxy(f"http://127.0.0.1:{free_port()}")  # nothing listens: forwarding would fail
    status, _, body = proxy("POST", "/", target("AdminAddUserToGroup"), b"{}")
    assert status == 403 and "not one of them" in json.loads(body)["message"]


def test_env_json_is_written_for_its_owner_only_even_over_a_readable_file(tmp_path):
    path = tmp_path / "env.json"
    path.write_text("{}")
    path.chmod(0o644)
    write_private(path, '{"CURSOR_SECRET": "s"}')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"CURSOR_SECRET": "s"}


def call_guarded(environ: dict) -> str:
    statuses = []

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"moto"]

    guarded = local_callers_only(app, 4566)
    b"".join(guarded(environ, lambda status, headers: statuses.append(status)))
    return statuses[0]


@pytest.mark.parametrize(
    "environ, status",
    [
        ({"HTTP_HOST": "127.0.0.1:4566"}, "200 OK"),
        ({"HTTP_HOST": "localhost:4566"}, "200 OK"),
        ({"HTTP_HOST": "evil.example:4566"}, "403 Forbidden"),
        ({}, "403 Forbidden"),
        ({"HTTP_HOST": "127.0.0.1:4566", "HTTP_ORIGIN": "https://evil.example"}, "403 Forbidden"),
        ({"HTTP_HOST": "127.0.0.1:4566", "HTTP_ORIGIN": "null"}, "403 Forbidden"),
    ],
)
def test_the_emulator_answers_only_local_programs(environ, status):
    assert call_guarded(environ) == status


# --- compression, as CloudFront's "compress objects automatically" ---------------------------
@pytest.fixture
def text_site(tmp_path):
    root = tmp_path / "text"
    root.mkdir()
    (root / "index.html").write_text("<p>home</p>" * 400)
    (root / "app.js").write_text("console.log('portal');\n" * 200)
    (root / "tiny.css").write_text("a{}")
    (root / "logo.png").write_bytes(b"\x89PNG" + bytes(4000))
    (root / "404.html").write_text("<h1>Not found</h1>" * 200)
    return StaticSite(root)


@pytest.mark.parametrize(
    "accept",
    ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5", "*", "identity, *;q=0.1", "GZIP"],
)
def test_text_is_gzipped_for_a_client_that_accepts_it(text_site, accept):
    import gzip

    for path in ("/", "/app.js"):
        status, headers, body = text_site("GET", path, {"Accept-Encoding": accept}, b"")
        assert (status, headers["Content-Encoding"], headers["Vary"]) == (200, "gzip", "Accept-Encoding")
        plain = text_site("GET", path, {}, b"")[2]
        assert gzip.decompress(body) == plain and len(body) < len(plain)


@pytest.mark.parametrize("accept", [None, "", "identity", "br", "gzip;q=0", "*;q=0", "gzip;q=x"])
def test_nothing_is_compressed_for_a_client_that_does_not_accept_gzip(text_site, accept):
    headers = {} if accept is None else {"Accept-Encoding": accept}
    status, answer, body = text_site("GET", "/app.js", headers, b"")
    assert status == 200 and "Content-Encoding" not in answer and answer["Vary"] == "Accept-Encoding"
    assert body.startswith(b"console.log")


def test_small_files_and_images_are_sent_as_they_are(text_site):
    status, headers, body = text_site("GET", "/tiny.css", {"Accept-Encoding": "gzip"}, b"")
    assert (status, body) == (200, b"a{}") and "Content-Encoding" not in headers
    status, headers, body = text_site("GET", "/logo.png", {"Accept-Encoding": "gzip"}, b"")
    assert status == 200 and body.startswith(b"\x89PNG") and "Content-Encoding" not in headers
    assert "Vary" not in headers


def test_the_not_found_page_is_compressed_too(text_site):
    import gzip

    status, headers, body = text_site("GET", "/no/such/page/", {"Accept-Encoding": "gzip"}, b"")
    assert (status, headers["Content-Encoding"]) == (404, "gzip")
    assert gzip.decompress(body).startswith(b"<h1>Not found</h1>")
