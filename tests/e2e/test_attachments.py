"""Attachments in the browser: two files on a new ticket (one by drag-and-drop) uploaded with a
progress bar straight to the local S3, downloaded byte for byte from the ticket; an oversize
file refused before any upload; a file name that is markup shown as text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Tab

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

LOG = b"2026-12-01 09:00:00 installer: step 4 waiting for port 8443\n" * 500
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000003010100c9fe92ef0000000049454e44ae426082"
)
XSS_NAME = "<img src=x onerror=alert(1)>.png"


def drop(page, target, name: str, data: bytes, mime: str) -> None:
    """Drag a file from the desktop onto ``target``, as a person does."""
    transfer = page.evaluate_handle(
        """([name, bytes, mime]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mime }));
            return transfer;
        }""",
        [name, list(data), mime],
    )
    target.dispatch_event("drop", {"dataTransfer": transfer})


def raise_ticket(form, title: str) -> int:
    form.get_by_label("Bug").check()
    form.get_by_label("Title").fill(title)
    form.get_by_label("Description").fill("The installer stops at step 4; log and screenshot attached.")
    form.get_by_role("button", name="Raise ticket").click()
    raised = form.locator(".portal-note--success")
    expect(raised).to_contain_text("is raised")
    found = re.search(r"#(\d+)", raised.inner_text())
    assert found, raised.inner_text()
    return int(found.group(1))


def test_two_files_on_a_new_ticket_upload_with_progress_and_download_byte_for_byte(tabs, unique):
    alice = tabs().open("support/new/").sign_in("alice@acme.example")
    page = alice.page
    form = page.locator("[data-portal-widget=new-ticket]")

    with page.expect_file_chooser() as chooser:
        form.get_by_role("button", name="choose files").click()
    chooser.value.set_files([{"name": "install.log", "mimeType": "text/plain", "buffer": LOG}])
    drop(page, form.locator(".portal-files"), "screen.png", PNG, "image/png")

    rows = form.locator(".portal-file")
    expect(rows).to_have_count(2)
    for name in ("install.log", "screen.png"):
        row = rows.filter(has_text=name)
        expect(row.locator(".portal-file-state")).to_have_text("uploaded")
        expect(row.locator("progress")).to_have_js_property("value", 1)
    number = raise_ticket(form, f"Installer stops at step 4 {unique}")

    alice.open(f"support/ticket/?n={number}")
    files = page.locator("[data-portal-widget=ticket-detail] .portal-description + .portal-attachments")
    expect(files.locator(".portal-attachment")).to_have_count(2)
    expect(files).to_contain_text("install.log")
    expect(files).to_contain_text("29 KB, text/plain")
    expect(files.locator("img.portal-thumb")).to_have_js_property("complete", True)
    assert "/_s3/" in files.locator("img.portal-thumb").get_attribute("src")

    with page.expect_download() as download:
        files.get_by_role("button", name="Download install.log").click()
    assert download.value.suggested_filename == "install.log"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == LOG
    alice.assert_clean()


def test_a_file_over_the_limit_shows_an_error_and_nothing_is_uploaded(tabs):
    alice = tabs().open("support/new/").sign_in("alice@acme.example")
    page = alice.page
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    form = page.locator("[data-portal-widget=new-ticket]")
    form.locator(".portal-files").evaluate(
        """box => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(26 * 1024 * 1024)], "core.dump"));
            box.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }"""
    )
    row = form.locator(".portal-file")
    expect(row).to_contain_text("core.dump is 26.0 MB; the limit is 25 MB.")
    expect(row.get_by_role("button", name="Retry")).to_have_count(0)
    assert not [url for url in sent if "/attachments" in url or "/_s3/" in url]

    # The refused file blocks sending until it is removed.
    form.get_by_label("Question").check()
    form.get_by_label("Title").fill("Crash dump")
    form.get_by_label("Description").fill("See the dump.")
    form.get_by_role("button", name="Raise ticket").click()
    expect(form.locator(".portal-note--error")).to_contain_text("Remove the files that could not be uploaded")
    row.get_by_role("button", name="Remove core.dump").click()
    expect(row).to_have_count(0)
    alice.assert_clean()


def test_a_file_name_that_is_markup_renders_as_text(tabs, unique):
    alice = tabs().open("support/new/").sign_in("alice@acme.example")
    page = alice.page
    form = page.locator("[data-portal-widget=new-ticket]")
    drop(page, form.locator(".portal-files"), XSS_NAME, PNG, "image/png")
    expect(form.locator(".portal-file-name")).to_have_text(XSS_NAME)
    expect(form.locator(".portal-file-state")).to_have_text("uploaded")
    number = raise_ticket(form, f"Odd file name {unique}")

    alice.open(f"support/ticket/?n={number}")
    detail = page.locator("[data-portal-widget=ticket-detail]")
    expect(detail.get_by_role("button", name=f"Download {XSS_NAME}")).to_have_text(XSS_NAME)
    expect(detail.locator("img.portal-thumb")).to_have_js_property("complete", True)
    assert page.locator(".portal [onerror], .portal img:not(.portal-thumb)").count() == 0
    alice.assert_clean()


def test_a_failed_upload_to_a_response_can_be_retried(tabs, api_as, unique):
    status, ticket = api_as("alice@acme.example")(
        "POST", "/tickets", {"title": f"Retry {unique}", "description": "d", "tags": ["Bug"]}
    )
    assert status == 201, ticket
    alice = tabs().open("support/").sign_in("alice@acme.example")
    page = alice.page
    refused: list[str] = []

    def first_upload_fails(route):
        if not refused:
            refused.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/_s3/**", first_upload_fails)
    alice.open(f"support/ticket/?n={ticket['number']}")
    detail = page.locator("[data-portal-widget=ticket-detail]")
    respond = detail.locator("form[data-action=respond]")
    drop(page, respond.locator(".portal-files"), "retry.log", LOG, "text/plain")
    row = respond.locator(".portal-file")
    expect(row.locator(".portal-file-state")).to_have_text("The upload failed; check your connection.")
    row.get_by_role("button", name="Retry retry.log").click()
    expect(row.locator(".portal-file-state")).to_have_text("uploaded")
    assert len(refused) == 1

    respond.get_by_label("Your response").fill("The log is attached.")
    respond.get_by_role("button", name="Add Response").click()
    expect(detail.locator(".portal-note--success")).to_have_text("Response added.")
    message = detail.locator(".portal-msg").last
    expect(message.locator(".portal-attachment")).to_contain_text("retry.log")
    expect(respond.locator(".portal-file")).to_have_count(0)  # the next response starts without files


@pytest.mark.parametrize("path", ["support/new/", "support/ticket/?n=1"])
def test_the_file_pickers_add_no_sideways_scroll_on_a_phone(browser, local_stack, path):
    """The picker's hidden file input once sat past a phone's edge: 420 px of a 390 px page."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        tab = Tab(context, local_stack.url).open(path).sign_in("alice@acme.example")
        expect(tab.page.locator(".portal-files").first).to_be_attached()
        assert tab.page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
