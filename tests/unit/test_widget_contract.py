"""The widgets' copy of the API's rules: contract.js as the site build writes it carries the
backend schemas' values, and no widget source keeps a copy of its own."""

from __future__ import annotations

import json
import re
from types import ModuleType

from chalicelib.feedback.schemas import COMMENT_MAX
from chalicelib.identity import schemas as identity_schemas
from chalicelib.licenses import schemas as license_schemas
from chalicelib.tickets import schemas
from tests.support import ROOT
from tests.support.modules import load_module

WIDGETS = sorted((ROOT / "docs" / "assets" / "portal").glob("*.js"))
PREFIX, SUFFIX = "window.Portal = ", ";\n"


def _hook() -> ModuleType:
    return load_module("widget_bundle", ROOT / "docs" / "hooks" / "widget_bundle.py")


def _emitted() -> dict:
    text = _hook().contract_js()
    assignment = text[text.index(PREFIX) + len(PREFIX) :]
    assert assignment.endswith(SUFFIX)
    return json.loads(assignment[: -len(SUFFIX)])["contract"]


def _string_literals(source: str) -> set[str]:
    return {match.group(2) for match in re.finditer(r"""(["'])((?:\\.|(?!\1).)*)\1""", source)}


def test_contract_js_carries_the_ticket_schemas_values():
    contract = _emitted()
    assert contract["tags"] == schemas.TAGS
    assert contract["statuses"] == schemas.STATUSES
    assert contract["priorities"] == schemas.PRIORITIES
    assert contract["limits"] == {
        "title": schemas.TITLE["maxLength"],
        "description": schemas.DESCRIPTION["maxLength"],
        "body": schemas.MESSAGE_CREATE["properties"]["body"]["maxLength"],
        "comment": COMMENT_MAX,
    }


def test_contract_js_carries_the_patterns_the_api_matches():
    assert _emitted()["patterns"] == {
        "org": identity_schemas.ORG_PATTERN,
        "email": identity_schemas.EMAIL["pattern"],
        "key": license_schemas.KEY["pattern"],
    }


def test_no_widget_source_names_a_tag():
    for path in WIDGETS:
        assert not _string_literals(path.read_text()) & set(schemas.TAGS), path.name


def test_no_widget_source_lists_statuses_or_priorities():
    # One value may be named where a widget acts on it (a closed ticket); a list of them is a copy.
    for path in WIDGETS:
        literals = _string_literals(path.read_text())
        assert len(literals & set(schemas.STATUSES)) <= 1, path.name
        assert len(literals & set(schemas.PRIORITIES)) <= 1, path.name


def test_no_widget_source_repeats_a_limit_or_pattern():
    limits = {
        schemas.TITLE["maxLength"],
        schemas.DESCRIPTION["maxLength"],
        schemas.MESSAGE_CREATE["properties"]["body"]["maxLength"],
    }
    for path in WIDGETS:
        source = path.read_text()
        numbers = {int(n) for n in re.findall(r"(?<![\w.])\d+(?![\w.])", source)}
        assert not numbers & limits, path.name
        # The distinctive pieces of the org, e-mail and key patterns.
        assert not re.search(r"\{0,39\}|\{5\}|\[\^@\\s\]", source), path.name
