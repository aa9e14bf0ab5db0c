"""The site build's plan for the widgets' bundles: every portal script is in one family, every
widget outside the core is loaded with the families it needs first, and a page's script tags
follow from the widgets it uses."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.support import ROOT
from tests.support.modules import load_module

DOCS = ROOT / "docs"


def _hook() -> ModuleType:
    return load_module("widget_bundle", DOCS / "hooks" / "widget_bundle.py")


def _listed(hook: ModuleType) -> list[str]:
    """The portal scripts as mkdocs.yml lists them: contract.js first, then every source."""
    names = sorted(path.name for path in (DOCS / "assets" / "portal").glob("*.js"))
    return [hook.CONTRACT] + [hook.PREFIX + name for name in names if hook.PREFIX + name != hook.CONTRACT]


def test_every_portal_script_is_in_exactly_one_family():
    hook = _hook()
    grouped = [name for names in hook.FAMILIES.values() for name in names]
    assert len(grouped) == len(set(grouped))
    families, _ = hook.plan(DOCS, _listed(hook))
    assert sorted(s for sources in families.values() for s in sources) == sorted(_listed(hook))
    assert families[hook.CORE][0] == hook.CONTRACT


def test_every_widget_outside_the_core_loads_one_bundle_holding_what_it_needs():
    hook = _hook()
    families, loads = hook.plan(DOCS, _listed(hook))
    bundle = hook.family_bundle
    assert loads == {
        "my-tickets": [bundle("support-list")],
        "new-ticket": [bundle("support-new")],
        "ticket-detail": [bundle("support-ticket")],
        "my-licenses": [bundle("licenses")],
        "license-detail": [bundle("licenses")],
        "license-lookup": [bundle("licenses")],
        "agent-console": [bundle("agent")],
        "feedback": [bundle("feedback")],
        "reports": [bundle("reports")],  # the agent reports page needs only the core
    }
    assert "sign-in" in hook.registers(DOCS, hook.PREFIX + "auth.js")
    names = lambda family: [s.removeprefix(hook.PREFIX) for s in hook.bundle_sources(families, family)]  # noqa: E731
    assert names("support-ticket") == [
        "attachments.js",
        "tickets.js",
        "ticket-detail.js",
        "drafts.js",
        "support-ticket.js",
    ]
    assert names("support-new") == ["attachments.js", "tickets.js", "drafts.js", "support-new.js"]
    assert names("agent") == ["attachments.js", "tickets.js", "ticket-detail.js", "agent.js"]


def test_a_file_in_two_bundles_runs_once():
    """An instant navigation from one ticket page to another loads a second bundle holding the
    same shared files: each checks what the first defined, so nothing is set up twice (the
    attachments' document-wide click listener would download a file twice)."""
    for name, guard in {"attachments.js": "P.attach", "tickets.js": "P.tickets", "drafts.js": "P.drafts"}.items():
        assert f"if ({guard}) return;" in (DOCS / "assets" / "portal" / name).read_text()


def test_a_script_of_no_family_fails_the_build():
    from mkdocs.exceptions import PluginError

    hook = _hook()
    with pytest.raises(PluginError, match="no family"):
        hook.plan(DOCS, [*_listed(hook), hook.PREFIX + "new-widget.js"])


def test_a_page_loads_the_bundles_of_the_widgets_in_its_tags_only():
    hook = _hook()
    _, loads = hook.plan(DOCS, _listed(hook))
    hook._loads.update(loads)
    page = '<div data-portal-widget="agent-console"></div><div data-portal-widget="my-tickets"></div>'
    assert hook.page_bundles(page) == [hook.family_bundle("agent"), hook.family_bundle("support-list")]
    # An example in a code block is escaped, not a widget of the page.
    assert hook.page_bundles('<code>&lt;div data-portal-widget="my-licenses"&gt;</code>') == []
