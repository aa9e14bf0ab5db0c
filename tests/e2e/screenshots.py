"""Screenshots of every widget state, light and dark, to look at (not a test).

    .venv/bin/python -m tests.e2e.screenshots [site URL] [output dir]

Runs against a running local stack (`make dev`, http://127.0.0.1:8000/ by default) and writes
one PNG per state and scheme, named like support-list-dark.png.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, Tab


def api(url: str, method: str, path: str, token: str, body=None):
    request = urllib.request.Request(
        url + "api" + path,
        method=method,
        data=json.dumps(body).encode() if body else None,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def id_token(url: str, email: str) -> str:
    config = json.load(urllib.request.urlopen(url + "portal-config.json"))
    body = json.dumps(
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": config["cognito"]["clientId"],
            "AuthParameters": {"USERNAME": email, "PASSWORD": PASSWORD},
        }
    ).encode()
    request = urllib.request.Request(
        url + "_cognito/",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        },
    )
    return json.load(urllib.request.urlopen(request))["AuthenticationResult"]["IdToken"]


def shoot(tab: Tab, out: Path, name: str, selector: str) -> None:
    # Material's sticky header and back-to-top button would cover the top of a tall widget.
    tab.page.add_style_tag(content=".md-header, .md-top, .md-tabs { visibility: hidden; }")
    tab.page.wait_for_timeout(150)
    tab.page.locator(selector).first.screenshot(path=str(out / f"{name}.png"))


def states(tab: Tab, out: Path, scheme: str, ticket: int) -> None:
    page = tab.page
    widget = lambda name: f"[data-portal-widget={name}]"  # noqa: E731
    tab.open("support/")
    shoot(tab, out, f"signin-form-{scheme}", widget("sign-in"))
    sign_in = page.locator(widget("sign-in"))
    sign_in.get_by_role("button", name="Sign in").click()
    shoot(tab, out, f"signin-empty-{scheme}", widget("sign-in"))
    sign_in.get_by_label("E-mail address").fill("alice@acme.example")
    sign_in.get_by_label("Password").fill("wrong-password")
    sign_in.get_by_role("button", name="Sign in").click()
    expect(sign_in.locator(".portal-note--error")).to_be_visible()
    shoot(tab, out, f"signin-error-{scheme}", widget("sign-in"))
    sign_in.get_by_role("button", name="Forgot your password?").click()
    shoot(tab, out, f"signin-forgot-{scheme}", widget("sign-in"))
    sign_in.get_by_role("button", name="Mail me a code").click()
    expect(sign_in.get_by_label("Code from the mail")).to_be_visible()
    shoot(tab, out, f"signin-confirm-{scheme}", widget("sign-in"))
    sign_in.get_by_role("button", name="Back to sign in").click()
    shoot(tab, out, f"tickets-signed-out-{scheme}", "article")
    tab.sign_in("alice@acme.example", PASSWORD)
    shoot(tab, out, f"signin-done-{scheme}", widget("sign-in"))

    form = page.locator(widget("new-ticket"))
    form.get_by_role("button", name="Raise ticket").click()
    shoot(tab, out, f"new-ticket-invalid-{scheme}", widget("new-ticket"))
    form.get_by_label("Title").fill("License check-in fails behind proxy")
    expect(form.locator(".portal-suggest a").first).to_be_visible()
    shoot(tab, out, f"new-ticket-suggest-{scheme}", widget("new-ticket"))

    mine = page.locator(widget("my-tickets"))
    expect(mine.locator(".portal-ticket").first).to_be_visible()
    shoot(tab, out, f"my-tickets-{scheme}", widget("my-tickets"))
    mine.get_by_label("Search").fill("no such ticket anywhere")
    expect(mine.get_by_text("No tickets match")).to_be_visible()
    shoot(tab, out, f"my-tickets-empty-{scheme}", widget("my-tickets"))

    tab.open(f"support/ticket/?n={ticket}")
    detail = page.locator(widget("ticket-detail"))
    expect(detail.locator("h2")).to_be_visible()
    shoot(tab, out, f"detail-{scheme}", widget("ticket-detail"))
    detail.get_by_role("button", name="Update Ticket").click()
    shoot(tab, out, f"detail-edit-{scheme}", widget("ticket-detail"))
    tab.open("support/ticket/?n=999999")
    expect(detail.get_by_role("alert")).to_be_visible()
    shoot(tab, out, f"detail-missing-{scheme}", widget("ticket-detail"))
    tab.open("agent/")
    shoot(tab, out, f"agent-customer-{scheme}", widget("agent-console"))


def agent_states(tab: Tab, out: Path, scheme: str, ticket: int) -> None:
    page = tab.page
    tab.open(f"agent/?n={ticket}")
    tab.sign_in("agent@vendor.example", PASSWORD)
    console = page.locator("[data-portal-widget=agent-console]")
    expect(console.locator(".portal-agent-detail h2")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 3000})
    shoot(tab, out, f"agent-console-{scheme}", "[data-portal-widget=agent-console]")
    console.get_by_role("button", name="New ticket").click()
    shoot(tab, out, f"agent-raise-{scheme}", "[data-portal-widget=agent-console] .portal-panel")


def main(argv: list[str]) -> int:
    url = argv[0] if argv else "http://127.0.0.1:8000/"
    out = Path(argv[1] if len(argv) > 1 else ".local-stack/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    token, agent = id_token(url, "alice@acme.example"), id_token(url, "agent@vendor.example")
    ticket = api(
        url,
        "POST",
        "/tickets",
        token,
        {
            "title": "Screenshots: dashboard shows <b>raw</b> markup",
            "description": "Steps:\n1. Open the dashboard\n2. See <script>alert(1)</script> as text",
            "tags": ["Bug"],
        },
    )
    api(url, "POST", f"/tickets/{ticket['number']}/messages", token, {"body": "It happens on 4.2 only."})
    api(url, "POST", f"/tickets/{ticket['number']}/messages", agent, {"body": "Thanks, we can reproduce it."})
    api(
        url,
        "POST",
        f"/tickets/{ticket['number']}/messages",
        agent,
        {"body": "Escalated to the UI team, bug 4711.", "internal": True},
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):
            for run in (states, agent_states):
                context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
                run(Tab(context, url), out, scheme, ticket["number"])
                context.close()
        browser.close()
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
