"""Schemathesis over the real local stack, every check on: requests generated from the OpenAPI
document, valid and invalid, one at a time and chained along the document's links, as a
customer, support, an admin and anonymously. Each answer must have a documented status, the
documented schema and content type; schema-valid requests must be accepted, invalid ones
refused; nothing may reach a 5xx.

Seeded (derandomised) and bounded (a few examples an operation and role, short chains), so a
run is repeatable and takes about a minute or two.

A few rules of the API are more than a JSON schema can say; each is written in the 400 answer's
description of its operation, and only a refusal that names it (by its message) is accepted for
schema-valid input. Nothing else is exempted.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.openapi.checks import RejectedPositiveData

from chalicelib.openapi import document

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]

schema = schemathesis.openapi.from_dict(document())
ROLES = {"customer": "alice@acme.example", "support": "agent@vendor.example", "admin": "admin@vendor.example"}

_ONE_PAGE = "an organisation's licenses come in one page"
_FOREIGN_CURSOR = "cursor is not valid for this list"
# operation -> (a word of its documented 400, the message of the refusal): see the module's docstring.
BEYOND_THE_SCHEMA: dict[str, list[tuple[str, str]]] = {
    "GET /tickets": [("cursor", _FOREIGN_CURSOR), ("sort=due", "sort=due lists the tickets awaiting")],
    # Who is a support user is data: the vendor's users with a support role (PRODUCT.md §3.4).
    "PATCH /tickets/{number}": [("not a support user", "is not a support user")],
    "POST /macros": [("placeholder", "unknown placeholder")],
    "PATCH /macros/{macro}": [("placeholder", "unknown placeholder")],
    "GET /licenses": [("cursor", _FOREIGN_CURSOR), ("one page", _ONE_PAGE)],
    "GET /admin/licenses": [("cursor", _FOREIGN_CURSOR), ("one page", _ONE_PAGE)],
    "GET /licenses/{id}/deployments": [("cursor", _FOREIGN_CURSOR)],
    "POST /admin/users": [("Cognito", "email: Cognito does not accept")],
    "POST /admin/licenses": [("Capability names must differ", "capabilities lists '")],
    # Membership is data, not shape: PRODUCT.md §3 and §3.1 ask for a 400 naming the field.
    "POST /tickets": [("not a user of that organisation", "is not a user of organisation")],
    "POST /tickets/{number}/followers": [("not a user of the ticket's organisation", "is not a user of organisation")],
    "DELETE /tickets/{number}/followers/{email}": [("the requester's", "always follows")],
}


@schema.hook
def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure but a schema-valid request refused by one of the rules above."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 400:
        return True
    message = str((response.json() or {}).get("Message", ""))
    rules = BEYOND_THE_SCHEMA.get(case.operation.label, [])
    return not any(re.search(re.escape(text), message) for _, text in rules)


def test_each_rule_beyond_the_schema_is_in_its_operations_documented_400():
    for label, rules in BEYOND_THE_SCHEMA.items():
        method, path = label.split(" ")
        described = document()["paths"][path][method.lower()]["responses"]["400"]["description"]
        for word, _ in rules:
            assert word in described, (label, word)


@pytest.fixture(scope="module")
def tokens(local_stack):
    return {role: local_stack.sign_in(email) for role, email in ROLES.items()}


def _headers(role: str, tokens: dict[str, str]) -> dict[str, str]:
    return {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[role]}"}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@schema.parametrize()
# The stack fixture lives for the session, so Hypothesis' function-scoped-fixture check does not apply.
@settings(max_examples=10, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_requests_meet_the_document(case, role, local_stack, tokens):
    case.call_and_validate(base_url=local_stack.url + "api", headers=_headers(role, tokens))


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_chains_of_calls_along_the_documents_links_meet_it(role, local_stack, tokens):
    base_url, headers = local_stack.url + "api", _headers(role, tokens)

    class Chains(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case):
            return {"base_url": base_url, "headers": headers}

    Chains.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
