"""Browser fixtures: one headless Debian Chromium per test session (Playwright never downloads a
browser here), a fresh context per test, all against the one shared local stack."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Portal-Demo-1!"
# Generous deadlines: a busy 2-core machine (CI runs two workers) can take seconds to answer.
# They bound a wait for an outcome; nothing here measures how long it took.
TIMEOUT_MS = 20_000
_unique = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _generous_expectations():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A browser tab on the local stack that records what a user must never meet: page errors,
    dialogs (an executed XSS payload's alert), CSP violations and other console errors."""

    def __init__(self, context, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def open(self, path: str) -> Tab:
        self.page.goto(self.base_url + path.lstrip("/"))
        return self

    def sign_in(self, email: str, password: str = PASSWORD) -> Tab:
        """Through the sign-in widget of the current page, like a user."""
        widget = self.page.locator("[data-portal-widget=sign-in]")
        widget.get_by_label("E-mail address").fill(email)
        widget.get_by_label("Password").fill(password)
        widget.get_by_role("button", name="Sign in").click()
        widget.get_by_text(f"Signed in as {email}").wait_for()
        return self

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        csp = [e for e in self.console_errors if "Content Security Policy" in e]
        assert csp == [], csp


@pytest.fixture
def tabs(browser, local_stack):
    """tabs() opens a tab in a fresh browser context (its own sessionStorage: one user each)."""
    opened: list[Tab] = []

    def open_tab(dark: bool = False) -> Tab:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark" if dark else "light")
        context.set_default_timeout(TIMEOUT_MS)
        tab = Tab(context, local_stack.url)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.context.close()


@pytest.fixture
def tab(tabs) -> Tab:
    return tabs()


@pytest.fixture
def unique() -> str:
    """A marker that makes titles of this test run unique (the stack is shared)."""
    return f"{int(time.time() * 1000) % 10**8}-{next(_unique)}"


@pytest.fixture
def api_as(local_stack):
    """api_as(email)(method, path, body) -> (status, json): the API with that user's token."""
    tokens: dict[str, str] = {}

    def as_user(email: str):
        if email not in tokens:
            tokens[email] = local_stack.sign_in(email)

        def call(method: str, path: str, body=None, headers=None):
            return local_stack.request(method, "api" + path, tokens[email], body, headers)

        return call

    return as_user
