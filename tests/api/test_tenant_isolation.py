"""Tenant isolation and authentication over every route the app has.

The matrix is generated from the app's own route table, so a new route is covered (or the
test names what it is missing) the day it is added.
"""

import re
import time

import pytest

from app import app
from chalicelib.openapi import operations
from tests.support import tokens
from tests.support.users import ALICE, CAROL

PUBLIC = {(op.method.upper(), op.path) for op in operations() if not op.auth}
ROUTES = sorted((method, path) for path, entry in app.routes.items() for method in entry)
PROTECTED = [route for route in ROUTES if route not in PUBLIC]
TICKET_ROUTES = [(m, p) for m, p in ROUTES if p.startswith("/tickets/{number}")]

# A valid body per route, so that what answers is the identity rule and not validation.
SAMPLE_BODIES = {
    ("POST", "/tickets"): {"title": "t", "description": "d", "tags": ["Bug"]},
    ("PATCH", "/tickets/{number}"): {"version": 1, "title": "Hijacked"},
    ("POST", "/tickets/{number}/messages"): {"body": "Hello from another organisation"},
    ("POST", "/tickets/{number}/followers"): {"email": "bob@acme.example"},
    ("POST", "/tickets/{number}/rating"): {"score": "good"},
}


def forged_tokens():
    claims = tokens.claims_for(ALICE.email, "acme")
    valid = tokens.sign(claims)
    return {
        "no token": None,
        "expired": tokens.sign({**claims, "exp": int(time.time()) - 60}),
        "tampered org claim": tokens.tampered(valid, **{"custom:org": "globex"}),
        "tampered groups claim": tokens.tampered(valid, **{"cognito:groups": ["support"]}),
        "alg none": tokens.unsigned(claims),
        "signed by another key": tokens.sign(claims, key=tokens.OTHER_KEY),
        "another pool's issuer": tokens.sign({**claims, "iss": "https://cognito-idp.us-east-1.amazonaws.com/other"}),
        "another client's audience": tokens.sign({**claims, "aud": "someone-else"}),
        "access token": tokens.sign({**claims, "token_use": "access"}),
        "garbage": "not-a-jwt",
    }


def concrete(path: str, number: int = 1) -> str:
    path = path.replace("{number}", str(number)).replace("{email}", "bob@acme.example")
    return re.sub(r"\{[a-z_]+\}", "unknown-id", path)


def sample_body(method: str, path: str):
    if method in ("GET", "DELETE"):
        return None
    return SAMPLE_BODIES.get((method, path), {})


def test_every_route_is_documented_and_every_documented_route_exists():
    documented = {(op.method.upper(), op.path) for op in operations()}
    assert set(ROUTES) == documented


@pytest.mark.parametrize("kind", list(forged_tokens()))
@pytest.mark.parametrize("method, path", PROTECTED, ids=[f"{m} {p}" for m, p in PROTECTED])
def test_protected_route_answers_401_without_a_valid_id_token(api, method, path, kind):
    api.new_ticket(ALICE)
    token = forged_tokens()[kind]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = api.call(method, concrete(path), None, sample_body(method, path), headers=headers)
    assert response.status_code == 401, (kind, response.body)
    assert response.json["Code"] == "UnauthorizedError"
    assert response.json["Message"]


@pytest.mark.parametrize("method, path", TICKET_ROUTES, ids=[f"{m} {p}" for m, p in TICKET_ROUTES])
def test_customer_of_another_organisation_gets_404_and_changes_nothing(api, method, path):
    number = api.new_ticket(ALICE)["number"]
    before = api.get(f"/tickets/{number}", ALICE).json
    response = api.call(method, concrete(path, number), CAROL, sample_body(method, path))
    assert response.status_code == 404, response.body
    assert response.json["Message"] == f"Ticket #{number} does not exist."
    assert api.get(f"/tickets/{number}", ALICE).json == before


@pytest.mark.parametrize("method, path", TICKET_ROUTES, ids=[f"{m} {p}" for m, p in TICKET_ROUTES])
def test_missing_and_foreign_tickets_answer_alike(api, method, path):
    """A 404 for a foreign ticket must be indistinguishable from one for no ticket at all."""
    number = api.new_ticket(ALICE)["number"]
    foreign = api.call(method, concrete(path, number), CAROL, sample_body(method, path))
    missing = api.call(method, concrete(path, 999), CAROL, sample_body(method, path))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json["Message"].replace(str(number), "N") == missing.json["Message"].replace("999", "N")


def test_another_organisations_tickets_never_appear_in_a_list(api):
    api.new_ticket(ALICE, title="Acme secret")
    assert api.get("/tickets", CAROL).json["items"] == []
    assert api.get("/tickets?q=secret", CAROL).json["items"] == []


def test_customer_cannot_raise_a_ticket_in_another_organisation(api):
    response = api.post("/tickets", CAROL, {"title": "t", "description": "d", "tags": ["Bug"], "org": "acme"})
    assert response.status_code == 403
    assert api.get("/tickets", ALICE).json["items"] == []


@pytest.mark.parametrize("method, path", [r for r in PROTECTED if r[1].startswith("/admin")], ids=lambda r: str(r))
def test_admin_routes_are_forbidden_to_customers_and_support(api, method, path):
    from tests.support.users import AGENT

    for user in (ALICE, AGENT):
        response = api.call(method, concrete(path), user, sample_body(method, path))
        assert response.status_code == 403, response.body
        assert response.json["Code"] == "ForbiddenError"
