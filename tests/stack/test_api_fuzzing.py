"""Schemathesis over the real local stack, every check on: requests generated from the OpenAPI
document, valid and invalid, one at a time, as a customer, support, an admin and anonymously,
over HTTP through the local server. Each answer must have a documented status, the documented
schema and content type; schema-valid requests must be accepted, invalid ones refused; nothing
may reach a 5xx.

Seeded (derandomised) and bounded (a few examples an operation and role). Each request stands
alone, so the stack's state, which other tests of the stack share, changes no generated input.
The chains of calls along the document's links need the same state for every example and run
in process on a fresh account each time: tests/api/test_api_chains.py. The rules that may
refuse schema-valid input are in tests/support/fuzzing.py (BEYOND_THE_SCHEMA).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.support.fuzzing import ROLES, api_schema

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]

schema = api_schema()


@pytest.fixture(scope="module")
def tokens(local_stack):
    return {role: local_stack.sign_in(user.email) for role, user in ROLES.items()}


def _headers(role: str, tokens: dict[str, str]) -> dict[str, str]:
    return {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[role]}"}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@schema.parametrize()
# The stack fixture lives for the session, so Hypothesis' function-scoped-fixture check does not apply.
@settings(max_examples=10, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_requests_meet_the_document(case, role, local_stack, tokens):
    case.call_and_validate(base_url=local_stack.url + "api", headers=_headers(role, tokens))
