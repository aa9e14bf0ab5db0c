"""Schemathesis along the OpenAPI document's links, every check on: chains of calls where an
answer's link leads to the next call (a new ticket to reading, changing, answering, closing and
re-opening it; an issued license to its detail and the admin actions), as a customer, support,
an admin and anonymously. Each answer must have a documented
status, the documented schema and content type; schema-valid requests must be accepted,
invalid ones refused; nothing may reach a 5xx. Only the refusals of BEYOND_THE_SCHEMA
(tests/support/fuzzing.py), each written in its operation's documented 400, are exempted.

Every example starts from the same fresh state: the state machine's ``setup`` opens a new moto
account (the table, acme and globex with alice, bob and carol, a Cognito pool with the support
and admin groups, the license signing key) and ``teardown`` drops it. Hypothesis replays and
shrinks examples by their choices, which must lead to the same calls every time; a shared,
growing state (earlier examples' tickets in a list, an organisation that exists the second
time) would change which links can be followed and make the run flaky. So the chains run in
process, through the local stack's API mount (tests/support/wsgi.py), not over HTTP; the real
stack's HTTP layer is fuzzed one request at a time in tests/stack/test_api_fuzzing.py.

Seeded (derandomised) and bounded (15 chains of up to 6 calls a role). In that budget the
tickets' links are followed from a customer's new tickets; generated organisation names seldom
exist, so an admin's generated license is mostly refused (404) and its links seldom reached.
"""

from __future__ import annotations

import contextlib
import dataclasses

import pytest
from hypothesis import HealthCheck, settings

from app import app
from tests.support.fuzzing import BEYOND_THE_SCHEMA, ROLES, api_schema
from tests.support.licenses import store_signing_key
from tests.support.portal import create_user_pool, demo_account
from tests.support.wsgi import ChaliceWsgi

# Bound to the app, so every request (the checks' own probes too) goes to it in process.
schema = api_schema(ChaliceWsgi(app))


def test_each_rule_beyond_the_schema_is_in_its_operations_documented_400():
    from chalicelib.openapi import document

    for label, rules in BEYOND_THE_SCHEMA.items():
        method, path = label.split(" ")
        described = document()["paths"][path][method.lower()]["responses"]["400"]["description"]
        for word, _ in rules:
            assert word in described, (label, word)


@pytest.fixture
def fresh_account(monkeypatch):
    """A context manager that gives the app a fresh account; each example enters one."""
    from chalicelib.core.config import settings as configured
    from chalicelib.identity import users

    @contextlib.contextmanager
    def fresh():
        with demo_account():
            # Admin invites create Cognito users in this account's pool.
            pool = dataclasses.replace(configured(), user_pool_id=create_user_pool())
            monkeypatch.setattr(users, "settings", lambda: pool)
            users._cognito.cache_clear()
            store_signing_key()
            yield

    yield fresh
    users._cognito.cache_clear()


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_chains_of_calls_along_the_documents_links_meet_it(role, fresh_account):
    # The ID tokens are trusted through tests/conftest.py's _trusted_test_keys, active for this test.
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {ROLES[role].token}"}

    class Chains(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self):
            self._state = contextlib.ExitStack()
            try:
                self._state.enter_context(fresh_account())
            except BaseException:
                self._state.close()
                raise

        def teardown(self):
            self._state.close()

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # The token is the caller's, not generated: said to the checks, as the HTTP transport's
            # record of the sent headers says it (the WSGI transport's does not), so ignored_auth
            # probes the operation without it and with a wrong one instead of failing on it.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=headers,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Chains.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
