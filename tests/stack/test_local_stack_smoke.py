"""The real local stack, as `make dev` runs it, answers a ticket round trip over HTTP."""

import pytest

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]


def test_ticket_round_trip_over_http_with_local_cognito(local_stack):
    token = local_stack.sign_in("alice@acme.example")
    status, me = local_stack.request("GET", "api/me", token)
    assert (status, me["org"], me["email"]) == (200, "acme", "alice@acme.example")

    status, ticket = local_stack.request(
        "POST",
        "api/tickets",
        token,
        {"title": "Smoke test ticket", "description": "Raised over HTTP.", "tags": ["Question"]},
    )
    assert status == 201
    number = ticket["number"]

    agent = local_stack.sign_in("agent@vendor.example")
    status, _ = local_stack.request("POST", f"api/tickets/{number}/messages", agent, {"body": "On it."})
    assert status == 201

    status, detail = local_stack.request("GET", f"api/tickets/{number}", token)
    assert status == 200
    assert detail["status"] == "pending"
    assert [m["body"] for m in detail["messages"]] == ["On it."]

    carol = local_stack.sign_in("carol@globex.example")
    assert local_stack.request("GET", f"api/tickets/{number}", carol)[0] == 404


def test_portal_config_points_at_the_local_cognito(local_stack):
    config = local_stack.config()
    assert config["apiUrl"] == "/api"
    assert config["cognito"]["userPoolId"] == local_stack.environment["USER_POOL_ID"]
    assert config["cognito"]["endpoint"].startswith(local_stack.url)


def test_license_files_of_the_local_stack_verify_with_its_published_key(local_stack):
    import base64
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    token = local_stack.sign_in("alice@acme.example")
    status, licenses = local_stack.request("GET", "api/licenses", token)
    assert status == 200 and licenses["items"]
    status, key = local_stack.request("GET", "api/licenses/public-key")
    assert status == 200 and key["alg"] == "ed25519"

    import urllib.request

    # Expired and suspended licenses get no file (409); the others, in either algorithm.
    by_status = {item["status"]: item["id"] for item in licenses["items"]}
    assert local_stack.request("GET", f"api/licenses/{by_status['expired']}/file", token)[0] == 409
    for algorithm in ("base64%2Bed25519", "aes-256-gcm%2Bed25519"):
        request = urllib.request.Request(
            local_stack.url + f"api/licenses/{by_status['active']}/file?algorithm={algorithm}",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request) as answer:
            text = answer.read().decode()
        inner = text.split("-----BEGIN LICENSE FILE-----")[1].split("-----END LICENSE FILE-----")[0]
        envelope = json.loads(base64.b64decode("".join(inner.split())))
        assert envelope["alg"] == algorithm.replace("%2B", "+")
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(key["public_key"])).verify(
            base64.b64decode(envelope["sig"]), f"license/{envelope['enc']}".encode()
        )


def test_api_reference_page_is_served_beside_the_api(local_stack):
    """The site's pages must never sit under /api/, which the API owns on the same origin."""
    import urllib.request

    with urllib.request.urlopen(local_stack.url + "api-reference/") as answer:
        page = answer.read().decode()
    assert "POST /tickets" in page


def test_local_api_server_is_correct_under_concurrent_requests(local_stack):
    from concurrent.futures import ThreadPoolExecutor

    alice = local_stack.sign_in("alice@acme.example")
    agent = local_stack.sign_in("agent@vendor.example")
    _, ticket = local_stack.request(
        "POST", "api/tickets", alice, {"title": "Parallel", "description": "Many hands.", "tags": ["Question"]}
    )
    number = ticket["number"]

    def respond(i):
        token = agent if i % 2 else alice
        return local_stack.request("POST", f"api/tickets/{number}/messages", token, {"body": f"response {i}"})[0]

    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(respond, range(20)))
    assert statuses == [201] * 20
    _, detail = local_stack.request("GET", f"api/tickets/{number}", agent)
    assert sorted(m["body"] for m in detail["messages"]) == sorted(f"response {i}" for i in range(20))

    def update(title):
        return local_stack.request(
            "PATCH", f"api/tickets/{number}", alice, {"version": detail["version"], "title": title}
        )[0]

    with ThreadPoolExecutor(2) as pool:
        assert sorted(pool.map(update, ["First", "Second"])) == [200, 409]
