"""docs/hooks/glossary_terms.py: glossary terms become Tab stops, except inside links and buttons."""

from tests.support import ROOT
from tests.support.modules import load_module

focusable_terms = load_module("glossary_terms", ROOT / "docs" / "hooks" / "glossary_terms.py").focusable_terms


def test_terms_in_text_are_focusable():
    html = '<p>A <abbr title="Service level">SLA</abbr> and <abbr title="x">KB</abbr>.</p>'
    assert focusable_terms(html).count('<abbr tabindex="0" title=') == 2


def test_terms_inside_links_and_buttons_are_left_alone():
    html = '<a href="/x">the <abbr title="t">SLA</abbr></a><button><abbr title="t">KB</abbr></button>'
    assert focusable_terms(html) == html


def test_a_term_that_has_a_tabindex_keeps_it():
    html = '<abbr tabindex="-1" title="t">SLA</abbr>'
    assert focusable_terms(html) == html
