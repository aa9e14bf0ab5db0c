"""Schemathesis over the real local stack: requests generated from the OpenAPI document, valid
and invalid, as a customer, support, an admin and anonymously, never reach a 5xx.

Seeded (derandomised) and bounded (10 examples an operation and role, about a minute), so a
run is repeatable. Only the server-error check runs for now: the document's 2xx answers have
no schemas yet, and some rules (support-only fields, an organisation that must exist) answer
a 400 on schema-valid data, which Schemathesis' conformance checks would report.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from chalicelib.openapi import document

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]

schema = schemathesis.openapi.from_dict(document())
ROLES = {"customer": "alice@acme.example", "support": "agent@vendor.example", "admin": "admin@vendor.example"}


@pytest.fixture(scope="module")
def tokens(local_stack):
    return {role: local_stack.sign_in(email) for role, email in ROLES.items()}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@schema.parametrize()
# The stack fixture lives for the session, so Hypothesis' function-scoped-fixture check does not apply.
@settings(max_examples=10, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_requests_never_reach_a_server_error(case, role, local_stack, tokens):
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[role]}"}
    case.call_and_validate(base_url=local_stack.url + "api", headers=headers, checks=[not_a_server_error])
