"""Two-step sign-in (TOTP) in the sign-in widget, against the local Cognito (which checks codes):
a user adds the portal to an authenticator app, and from then on signs in with a code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

import boto3
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

PASSWORD = "Two-Step-Pass-1!"


def totp(secret: str, at: float) -> str:
    """RFC 6238 as authenticator apps compute it: HMAC-SHA1 over the 30-second step, 6 digits."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset : offset + 4], 'big') & 0x7FFFFFFF) % 10**6:06d}"


def serious_accessibility_problems(page) -> list:
    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]


def current_code(secret: str) -> str:
    """The code of this step, as an app shows it; a person near the end of a step waits for the
    next one, and so does this (a code typed as its step ends would reach Cognito stale)."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    return totp(secret, time.time())


@pytest.fixture
def user(local_stack, unique):
    """A new acme customer with a password of their own and no two-step sign-in yet."""
    email = f"two-step-{unique}@acme.example"
    cognito = boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{local_stack.aws_port}"
    )
    pool = local_stack.environment["USER_POOL_ID"]
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=email,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:org", "Value": "acme"},
        ],
    )
    cognito.admin_set_user_password(UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True)
    return email


def test_user_turns_on_two_step_sign_in_and_then_signs_in_with_a_code(tab, user):
    page = tab.open("support/").sign_in(user, PASSWORD).page
    widget = page.locator("[data-portal-widget=sign-in]")
    widget.get_by_role("button", name="Set up two-step sign-in").click()

    expect(widget.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    secret = widget.locator("[data-secret]").get_attribute("data-secret")
    assert secret
    shown = widget.locator("[data-secret]").inner_text()
    assert shown.replace(" ", "") == secret  # the key as the user types it, in groups of four
    link = widget.get_by_role("link", name="Open in your authenticator app").get_attribute("href")
    assert link.startswith("otpauth://totp/Customer%20Portal:") and f"secret={secret}" in link

    assert serious_accessibility_problems(page) == []
    code = widget.get_by_label("Code from your authenticator app")
    assert (code.get_attribute("autocomplete"), code.get_attribute("inputmode")) == ("one-time-code", "numeric")
    code.fill("12 34")
    widget.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(widget.get_by_text("Type the 6 digits, like 123456.")).to_be_visible()
    code.fill(totp(secret, time.time() - 600))  # ten minutes old: a code that is not this step's
    widget.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(widget.get_by_role("alert")).to_contain_text("That code is not right")

    widget.get_by_label("Code from your authenticator app").fill(current_code(secret))
    widget.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(widget.locator(".portal-note--success")).to_contain_text("Two-step sign-in is on")

    widget.get_by_role("button", name="Sign out").click()
    widget.get_by_label("E-mail address").fill(user)
    widget.get_by_label("Password").fill(PASSWORD)
    widget.get_by_role("button", name="Sign in").click()
    expect(widget.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('portal.session')") is None  # no tokens before the code
    assert serious_accessibility_problems(page) == []

    widget.get_by_label("Code from your authenticator app").fill(totp(secret, time.time() - 600))
    widget.get_by_role("button", name="Sign in").click()
    expect(widget.get_by_role("alert")).to_contain_text("That code is not right")
    widget.get_by_label("Code from your authenticator app").fill(current_code(secret))
    widget.get_by_role("button", name="Sign in").click()
    expect(widget).to_contain_text(f"Signed in as {user} (organisation acme)")
    expect(page.locator("[data-portal-widget=my-tickets] .portal-filters")).to_be_visible()
    tab.assert_clean()


def test_users_without_two_step_sign_in_are_not_asked_for_a_code(tab):
    widget = tab.open("support/").sign_in("bob@acme.example").page.locator("[data-portal-widget=sign-in]")
    expect(widget.get_by_role("heading", name="Enter your sign-in code")).to_have_count(0)
    expect(widget).to_contain_text("Signed in as bob@acme.example")
