"""axe-core finds no serious or critical violations on the widget pages, signed in and out."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

ALICE, AGENT = "alice@acme.example", "agent@vendor.example"
CASES = [
    ("support/", None, False),
    ("support/", ALICE, False),
    ("support/", ALICE, True),
    ("support/ticket/?n=1", ALICE, False),
    ("support/ticket/?n=1", ALICE, True),
    ("licenses/", None, False),
    ("licenses/", ALICE, False),
    ("agent/", None, False),
    ("agent/", ALICE, False),
    ("agent/?n=1", AGENT, False),
    ("agent/?n=1", AGENT, True),
    ("agent/reports/", ALICE, False),
    ("agent/reports/", AGENT, False),
    ("agent/reports/", AGENT, True),
]
_axe = Axe()


@pytest.mark.parametrize(
    "path,user,dark",
    CASES,
    ids=[f"{p}-{(u or 'signed-out').split('@')[0]}-{'dark' if d else 'light'}" for p, u, d in CASES],
)
def test_no_serious_or_critical_accessibility_violations(tabs, path, user, dark):
    tab = tabs(dark=dark).open(path)
    if user:
        tab.sign_in(user)
    page = tab.page
    page.wait_for_load_state("networkidle")
    expect(page.locator(".portal-busy, [aria-busy=true]")).to_have_count(0)
    violations = [v for v in _axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    report = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in violations]
    assert not report, "\n".join(map(str, report))
