"""The API when the user pool's signing keys cannot be fetched: 503 with a message, never 500."""

import dataclasses

import pytest

from tests.support.stack import free_port
from tests.support.users import ALICE


@pytest.fixture
def unreachable_keys(monkeypatch):
    from chalicelib.identity import auth

    nowhere = f"http://127.0.0.1:{free_port()}/.well-known/jwks.json"  # nothing listens there
    config = dataclasses.replace(auth.settings(), cognito_jwks_url=nowhere)
    monkeypatch.setattr(auth, "settings", lambda: config)
    monkeypatch.setattr(auth, "jwks", auth._JwksCache())  # the real fetch, nothing cached


@pytest.mark.parametrize("path", ["/me", "/tickets", "/licenses"])
def test_unreachable_key_endpoint_answers_503_with_retry_after(api, unreachable_keys, path):
    response = api.get(path, ALICE)
    assert response.status_code == 503
    assert response.json["Code"] == "ServiceUnavailableError"
    assert "signing keys could not be fetched" in response.json["Message"]
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Content-Type"] == "application/json"


def test_unreachable_key_endpoint_leaves_public_routes_alone(api, unreachable_keys):
    assert api.get("/health").status_code == 200


def test_every_operation_that_reads_a_token_documents_503(api):
    document = api.get("/openapi.json").json
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            reads_token = operation.get("security") != []
            assert ("503" in operation["responses"]) == reads_token, f"{method} {path}"
