"""The license widgets in the browser: my licenses, license detail (key, file) and the public lookup."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

ALICE = "alice@acme.example"
VERIFY = Path(__file__).resolve().parents[2] / "docs" / "snippets" / "verify_license.py"
STATES = ("active", "expiring", "expired", "suspended")


@pytest.fixture
def acme(api_as) -> dict[str, dict]:
    """Acme's demo licenses as the API shows them to alice, one detail per status."""
    status, page = api_as(ALICE)("GET", "/licenses")
    assert status == 200, page
    by_status = {}
    for summary in page["items"]:
        if summary["status"] not in by_status:
            by_status[summary["status"]] = api_as(ALICE)("GET", f"/licenses/{summary['id']}")[1]
    assert set(by_status) == set(STATES), "the demo data has an Acme license in every state"
    return {"items": page["items"], **by_status}


def _licenses_page(tabs, path: str = "licenses/", dark: bool = False):
    tab = tabs(dark=dark).open(path).sign_in(ALICE)
    return (
        tab,
        tab.page.locator("[data-portal-widget=my-licenses]"),
        tab.page.locator("[data-portal-widget=license-detail]"),
    )


def test_customer_sees_every_license_of_the_organisation_with_status_and_days_left(tabs, acme):
    tab, mine, _ = _licenses_page(tabs)
    rows = mine.locator("li")
    expect(rows).to_have_count(len(acme["items"]))
    for status in STATES:
        row = rows.filter(has=tab.page.locator(f".portal-badge--{status}")).first
        expect(row).to_contain_text(acme[status]["product"])
        expect(row).to_contain_text(acme[status]["edition"])
        expect(row.locator("code")).to_have_text(re.compile(rf"•+-.*-{acme[status]['key'][-5:]}$"))
    expect(rows.filter(has_text="Vendor Analytics")).to_contain_text([f"{acme['expiring']['days_left']} days left"])
    expect(rows.filter(has=tab.page.locator(".portal-badge--expired"))).to_contain_text(["ago"])
    tab.assert_clean()


def test_customer_opens_a_detail_reveals_copies_and_downloads_a_file_that_verifies(tabs, acme, api_as, tmp_path):
    lic = acme["active"]
    tab, mine, detail = _licenses_page(tabs)
    page = tab.page
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.base_url.rstrip("/"))

    link = mine.get_by_role("link", name=f"{lic['product']} {lic['edition']}")
    with tab.context.expect_page() as new_tab:  # Ctrl+click still opens the license in a new tab
        link.click(modifiers=["Control"])
    expect(new_tab.value).to_have_url(re.compile(rf"licenses/\?id={lic['id']}$"))
    new_tab.value.close()
    link.click()
    heading = detail.get_by_role("heading", level=2)
    expect(heading).to_have_text(f"{lic['product']} {lic['edition']}")
    expect(heading).to_be_focused()
    expect(page).to_have_url(re.compile(rf"licenses/\?id={lic['id']}(#.*)?$"))

    # Capabilities with their limits, the disabled one shown as such; deployments with versions.
    capabilities = detail.locator("table").first
    for capability in lic["capabilities"]:
        row = capabilities.locator("tr", has_text=capability["name"])
        expect(row).to_contain_text("enabled" if capability["enabled"] else "disabled")
        if "limit" in capability:
            expect(row).to_contain_text(capability["limit"])
    deployments = detail.locator("table").nth(1)
    for deployment in lic["deployments"]:
        row = deployments.locator("tr", has_text=deployment["hostname"])
        expect(row).to_contain_text(deployment["version"])
        expect(row).to_contain_text(re.compile(r"ago|just now"))

    # The key: masked, revealed on request, copied without being shown.
    key = detail.locator(".portal-key code")
    expect(key).not_to_contain_text(lic["key"][:5])
    detail.get_by_role("button", name="Reveal").click()
    expect(key).to_have_text(lic["key"])
    detail.get_by_role("button", name="Hide").click()
    expect(key).not_to_contain_text(lic["key"][:5])
    detail.get_by_role("button", name="Copy").click()
    expect(detail.locator(".portal-key [role=status]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == lic["key"]

    # The signed file, named after the license, verifies with the published key.
    with page.expect_download() as download_info:
        detail.get_by_role("button", name="Download license file").click()
    download = download_info.value
    assert download.suggested_filename == f"{lic['id']}.lic"
    expect(detail.get_by_role("status").filter(has_text="Downloaded")).to_have_text(f"Downloaded {lic['id']}.lic")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    public_key = api_as(ALICE)("GET", "/licenses/public-key")[1]["public_key"]
    verified = subprocess.run([sys.executable, str(VERIFY), str(saved), public_key], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(f"VALID: {lic['product']} {lic['edition']}, license ACTIVE")
    tab.assert_clean()


def test_my_licenses_shows_its_error_with_a_retry_and_its_empty_state(tabs, acme):
    tab = tabs().open("licenses/")
    page, mine = tab.page, tab.page.locator("[data-portal-widget=my-licenses]")
    page.route(
        "**/api/licenses",
        lambda route: route.fulfill(
            status=503, content_type="application/json", body=json.dumps({"Message": "The portal is busy."})
        ),
    )
    tab.sign_in(ALICE)
    expect(mine.locator(".portal-note--error")).to_have_text("The portal is busy right now. Try again in a moment.")
    page.unroute("**/api/licenses")
    mine.get_by_role("button", name="Try again").click()
    expect(mine.locator("li")).to_have_count(len(acme["items"]))

    page.route(
        "**/api/licenses",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps({"items": [], "next_cursor": None})
        ),
    )
    page.reload()
    expect(mine).to_contain_text("Your organisation has no licenses yet.")


def test_a_failed_download_is_shown_next_to_the_button(tabs, acme):
    lic = acme["active"]
    tab, _, detail = _licenses_page(tabs, f"licenses/?id={lic['id']}")
    tab.page.route(
        "**/api/licenses/*/file",
        lambda route: route.fulfill(
            status=503,
            headers={"Content-Type": "application/json"},
            body=json.dumps({"Code": "ServiceUnavailable", "Message": "The portal is busy; try again in a minute."}),
        ),
    )
    button = detail.get_by_role("button", name="Download license file")
    button.click()
    expect(detail.get_by_role("status").filter(has_text="Downloading failed")).to_have_text(
        "Downloading failed: The portal is busy right now. Try again in a moment."
    )
    expect(button).to_be_enabled()


@pytest.mark.parametrize(
    "status,warning",
    [
        ("expiring", r"Expires in \d+ days?, on .*renewal"),
        ("expired", r"Expired on .*Renew"),
        ("suspended", r"Suspended by the Vendor.*Contact support"),
    ],
)
def test_deep_link_from_a_reminder_opens_the_detail_with_a_clear_warning(tabs, acme, status, warning):
    lic = acme[status]
    tab = tabs().open(f"licenses/?id={lic['id']}")
    detail = tab.page.locator("[data-portal-widget=license-detail]")
    expect(detail).to_contain_text(f"Sign in above to see license {lic['id']}.")
    tab.sign_in(ALICE)
    expect(detail.get_by_role("heading", level=2)).to_have_text(f"{lic['product']} {lic['edition']}")
    expect(detail.locator(".portal-note")).to_have_text(re.compile(warning))
    expect(detail.locator(".portal-badge")).to_have_text(status)
    tab.assert_clean()


def test_signed_out_visitor_is_asked_to_sign_in_and_a_bad_address_says_so(tabs):
    tab = tabs().open("licenses/")
    expect(tab.page.locator("[data-portal-widget=my-licenses]")).to_contain_text("Sign in above")
    tab.open("licenses/?id=../tickets/1")
    tab.sign_in(ALICE)
    expect(tab.page.locator("[data-portal-widget=license-detail] .portal-note--error")).to_contain_text(
        "The license id is not right: check it and try again."
    )
    tab.open("licenses/?id=globex_aaaaaaaaaa")
    expect(tab.page.locator("[data-portal-widget=license-detail] .portal-note--error")).to_contain_text(
        "does not exist, or belongs to another organisation"
    )
    tab.assert_clean()


def test_anonymous_visitor_looks_up_a_real_key_and_an_unknown_one(tabs, acme):
    lic = acme["active"]
    tab = tabs().open("licenses/")
    lookup = tab.page.locator("[data-portal-widget=license-lookup]")
    field = lookup.get_by_label("License key", exact=True)
    button = lookup.get_by_role("button", name="Look up")

    # The format is checked inline, before anything is sent.
    field.fill("ABCDE-12345")
    button.click()
    expect(lookup.locator(".portal-error")).to_contain_text("five groups of five")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()

    field.fill(f"  {lic['key'].lower()} ")
    expect(lookup.locator(".portal-error")).to_be_hidden()
    button.click()
    found = lookup.locator("section")
    expect(found.get_by_role("heading")).to_have_text(f"{lic['product']} {lic['edition']}")
    expect(found.locator(".portal-badge")).to_have_text("active")
    expect(found).to_contain_text(re.compile(r"Expires .*days left"))
    for capability in lic["capabilities"]:
        expect(found.locator("tr", has_text=capability["name"])).to_contain_text(
            "enabled" if capability["enabled"] else "disabled"
        )
    assert "acme" not in found.inner_text().lower()

    field.fill("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ")
    button.click()
    expect(lookup.locator(".portal-note--error")).to_contain_text("No license has this key")
    expect(lookup.locator("section")).to_have_count(0)
    tab.assert_clean()


def test_rate_limited_lookup_says_how_long_to_wait(tabs):
    # The real limiter is shared by the whole test session; its 429 is imitated here instead.
    tab = tabs().open("licenses/")
    tab.page.route(
        "**/api/licenses/lookup",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "17", "Content-Type": "application/json"},
            body=json.dumps({"Code": "TooManyRequestsError", "Message": "Too many lookups."}),
        ),
    )
    lookup = tab.page.locator("[data-portal-widget=license-lookup]")
    lookup.get_by_label("License key", exact=True).fill("ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2")
    lookup.get_by_role("button", name="Look up").click()
    expect(lookup.locator(".portal-note--error")).to_have_text(
        "Too many lookups for now. Wait 17 seconds and try again."
    )
    expect(lookup.get_by_role("button", name="Look up")).to_be_disabled()


PAYLOADS = [
    '<img src=x onerror=alert("xss-img")>',
    '<svg onload=alert("xss-svg")>',
    '<script>alert("xss-script")</script>',
]
INJECTED = ".portal img, .portal svg, .portal script, .portal [onerror], .portal [onload]"


def test_admin_entered_names_render_as_text_in_list_detail_and_lookup(tabs, api_as):
    status, issued = api_as("admin@vendor.example")(
        "POST",
        "/admin/licenses",
        {
            "org": "globex",
            "product": PAYLOADS[0],
            "edition": PAYLOADS[1],
            "days": 100,
            "capabilities": [{"name": PAYLOADS[2], "limit": PAYLOADS[0]}],
        },
    )
    assert status == 201, issued
    name = f"{PAYLOADS[0]} {PAYLOADS[1]}"

    carol = tabs().open("licenses/").sign_in("carol@globex.example")
    page = carol.page
    page.locator("[data-portal-widget=my-licenses]").get_by_role("link", name=name).click()
    detail = page.locator("[data-portal-widget=license-detail]")
    expect(detail.get_by_role("heading", level=2)).to_have_text(name)
    expect(detail.locator("td", has_text=PAYLOADS[2])).to_be_visible()
    assert page.locator(INJECTED).count() == 0

    lookup = page.locator("[data-portal-widget=license-lookup]")
    lookup.get_by_label("License key", exact=True).fill(issued["key"])
    lookup.get_by_role("button", name="Look up").click()
    expect(lookup.get_by_role("heading")).to_have_text(name)
    assert page.locator(INJECTED).count() == 0
    carol.assert_clean()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_detail_and_lookup_result_have_no_serious_accessibility_violations(tabs, acme, dark):
    lic = acme["expiring"]
    tab, _, detail = _licenses_page(tabs, f"licenses/?id={lic['id']}", dark=dark)
    detail.get_by_role("button", name="Reveal").click()
    lookup = tab.page.locator("[data-portal-widget=license-lookup]")
    lookup.get_by_label("License key", exact=True).fill(lic["key"])
    lookup.get_by_role("button", name="Look up").click()
    expect(lookup.locator("section")).to_be_visible()
    tab.page.mouse.move(0, 0)  # Material's hover colour of primary buttons is not what is judged here
    violations = [v for v in Axe().run(tab.page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in violations]


def test_customer_releases_a_deployment_and_it_frees_its_slot(tabs, acme, local_stack, unique):
    lic = acme["expiring"]
    instance = f"e2e-{unique}"[:60]
    body = {"key": lic["key"], "instance_id": instance, "version": "2.9.1", "hostname": "old.acme.example"}
    assert local_stack.request("POST", "api/licenses/checkin", body=body)[0] == 200
    tab, _, detail = _licenses_page(tabs, f"licenses/?id={lic['id']}")
    row = detail.locator("tr", has_text=instance)
    expect(row).to_contain_text("old.acme.example")
    row.get_by_role("button", name=f"Release {instance}").click()
    expect(detail.get_by_role("status").filter(has_text="Confirm")).to_contain_text(f"release {instance}")
    row.get_by_role("button", name=f"Release {instance}").click()  # now it says Confirm
    expect(detail.get_by_role("status").filter(has_text="Released")).to_contain_text(f"Released {instance}.")
    expect(detail.locator("tr", has_text=instance)).to_have_count(0)
    tab.page.reload()
    expect(detail.get_by_role("heading", level=2)).to_be_visible()
    expect(detail.locator("tr", has_text=instance)).to_have_count(0)
    tab.assert_clean()


def test_customer_requests_a_renewal_and_the_ticket_is_in_the_organisations_list(tabs, acme):
    lic = acme["expiring"]
    tab, _, detail = _licenses_page(tabs, f"licenses/?id={lic['id']}")
    detail.get_by_role("button", name="Request renewal").click()
    link = detail.get_by_role("link", name=re.compile(r"ticket #\d+"))
    expect(link).to_be_visible()
    found = re.search(r"#(\d+)", link.inner_text())
    assert found
    number = found.group(1)
    expect(detail.get_by_role("button", name="Request renewal")).to_be_disabled()
    # Bob, of the same organisation, finds it in the ticket list.
    other = tabs().open("support/").sign_in("bob@acme.example")
    tickets = other.page.locator("[data-portal-widget=my-tickets]")
    expect(tickets.locator("li", has_text=f"#{number}")).to_contain_text(f"Renewal request: {lic['product']}")
    link.click()
    expect(tab.page).to_have_url(re.compile(rf"support/ticket/\?n={number}$"))
    tab.assert_clean()


def test_renewal_is_offered_on_expiring_and_expired_licenses_only(tabs, acme):
    tab, _, detail = _licenses_page(tabs, f"licenses/?id={acme['expired']['id']}")
    expect(detail.get_by_role("button", name="Request renewal")).to_be_visible()
    expect(detail.get_by_role("button", name="Download license file")).to_have_count(0)  # 409: no file
    for status in ("active", "suspended"):
        tab.open(f"licenses/?id={acme[status]['id']}")
        expect(detail.get_by_role("heading", level=2)).to_be_visible()
        expect(detail.get_by_role("button", name="Request renewal")).to_have_count(0)


def test_support_sees_each_licenses_organisation_and_filters_by_it(tabs):
    tab = tabs().open("licenses/").sign_in("agent@vendor.example")
    mine = tab.page.locator("[data-portal-widget=my-licenses]")
    rows = mine.locator("li")
    expect(rows.filter(has=tab.page.locator(".portal-org", has_text="globex")).first).to_be_visible()
    expect(rows.filter(has=tab.page.locator(".portal-org", has_text="acme")).first).to_be_visible()
    mine.get_by_label("Organisation").select_option("globex")
    expect(rows.filter(has=tab.page.locator(".portal-org", has_text="acme"))).to_have_count(0)
    expect(rows.first.locator(".portal-org")).to_have_text("globex")
    tab.assert_clean()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_license_page_fits_a_phone_with_the_keys_last_group_in_view(browser, local_stack, acme, dark):
    from tests.e2e.conftest import Tab

    lic = acme["active"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark" if dark else "light")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        tab = Tab(context, local_stack.url).open(f"licenses/?id={lic['id']}").sign_in(ALICE)
        page = tab.page
        detail = page.locator("[data-portal-widget=license-detail]")
        expect(detail.get_by_role("heading", level=2)).to_be_visible()
        expect(page.locator("[data-portal-widget=my-licenses] li")).to_have_count(len(acme["items"]))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for key in (detail.locator(".portal-key code"), page.locator("[data-portal-widget=my-licenses] code").first):
            expect(key).to_contain_text(re.compile(r"-[A-Z0-9]{5}$"))
            box = key.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        release = detail.get_by_role("button", name=re.compile("^Release ")).first
        box = release.bounding_box()
        assert box and box["x"] + box["width"] <= 390
        tab.assert_clean()
    finally:
        context.close()
