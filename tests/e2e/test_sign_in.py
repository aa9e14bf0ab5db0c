"""Sign-in widget against the local Cognito: invitation, forgotten password, refresh, sign-out."""

import boto3
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stack")]

TEMPORARY, CHOSEN, RESET = "Temp-Pass-123!", "Chosen-Pass-456!", "Reset-Pass-789!"


@pytest.fixture
def invited(local_stack, unique):
    """A new acme user in FORCE_CHANGE_PASSWORD, as an admin's invitation leaves them."""
    email = f"invited-{unique}@acme.example"
    cognito = boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{local_stack.aws_port}"
    )
    cognito.admin_create_user(
        UserPoolId=local_stack.environment["USER_POOL_ID"],
        Username=email,
        TemporaryPassword=TEMPORARY,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:org", "Value": "acme"},
        ],
    )
    return email


def test_invited_user_chooses_a_password_and_later_resets_a_forgotten_one(tab, invited):
    page = tab.open("support/").page
    widget = page.locator("[data-portal-widget=sign-in]")
    widget.get_by_label("E-mail address").fill(invited)
    widget.get_by_label("Password").fill(TEMPORARY)
    widget.get_by_role("button", name="Sign in").click()

    expect(widget.get_by_role("heading", name="Choose a new password")).to_be_visible()
    widget.get_by_label("New password", exact=True).fill(CHOSEN)
    widget.get_by_label("Repeat the new password").fill("Something-else-1!")
    widget.get_by_role("button", name="Set password and sign in").click()
    expect(widget.get_by_text("The two passwords differ.")).to_be_visible()
    widget.get_by_label("Repeat the new password").fill(CHOSEN)
    widget.get_by_role("button", name="Set password and sign in").click()
    expect(widget).to_contain_text(f"Signed in as {invited} (organisation acme)")
    expect(page.locator("[data-portal-widget=my-tickets] .portal-filters")).to_be_visible()

    widget.get_by_role("button", name="Sign out").click()
    expect(page.locator("[data-portal-widget=my-tickets]")).to_contain_text(
        "Sign in above to see your organisation's tickets."
    )
    assert page.evaluate("sessionStorage.getItem('portal.session')") is None

    widget.get_by_role("button", name="Forgot your password?").click()
    widget.get_by_label("E-mail address").fill(invited)
    widget.get_by_role("button", name="Mail me a code").click()
    expect(widget).to_contain_text(f"If {invited} has an account, a code is on its way there.")
    widget.get_by_label("Code from the mail").fill("123456")
    widget.get_by_label("New password", exact=True).fill(RESET)
    widget.get_by_label("Repeat the new password").fill(RESET)
    widget.get_by_role("button", name="Set new password").click()
    expect(widget.locator(".portal-note--success")).to_contain_text("Your password is changed")
    tab.sign_in(invited, RESET)
    tab.assert_clean()


def test_wrong_password_is_refused_without_saying_which_half_was_wrong(tab):
    widget = tab.open("support/").page.locator("[data-portal-widget=sign-in]")
    widget.get_by_label("E-mail address").fill("alice@acme.example")
    widget.get_by_label("Password").fill("not-her-password")
    widget.get_by_role("button", name="Sign in").click()
    expect(widget.get_by_role("alert")).to_have_text("Incorrect e-mail address or password.")
    expect(widget.get_by_role("alert")).to_be_focused()


def test_silent_refresh_renews_the_tokens_and_keeps_the_user_signed_in(tab):
    page = tab.open("support/").sign_in("bob@acme.example").page
    before = page.evaluate("JSON.parse(sessionStorage.getItem('portal.session')).id")
    assert page.evaluate("Portal.refresh()") is True
    after = page.evaluate("JSON.parse(sessionStorage.getItem('portal.session')).id")
    assert after != before
    page.reload()
    expect(page.locator("[data-portal-widget=sign-in]")).to_contain_text("Signed in as bob@acme.example")
    expect(page.locator("[data-portal-widget=my-tickets] .portal-ticket").first).to_be_visible()
    tab.assert_clean()


def test_keyboard_alone_signs_in_and_out_with_focus_kept_in_the_widget(tab):
    page = tab.open("support/").page
    widget = page.locator("[data-portal-widget=sign-in]")
    widget.get_by_label("E-mail address").focus()
    page.keyboard.type("carol@globex.example")
    page.keyboard.press("Tab")
    page.keyboard.type("Portal-Demo-1!")
    page.keyboard.press("Enter")
    signed_in = widget.get_by_text("Signed in as carol@globex.example (organisation globex)")
    expect(signed_in).to_be_focused()
    page.keyboard.press("Tab")
    expect(widget.get_by_role("button", name="Sign out")).to_be_focused()
    page.keyboard.press("Enter")
    expect(widget.get_by_label("E-mail address")).to_be_focused()
    tab.assert_clean()
