"""Demo organisations, users and tickets in every status, made through the use cases."""

from __future__ import annotations

from chalicelib.identity.auth import Principal, operator
from chalicelib.identity.organisations import create_organisation
from chalicelib.identity.users import invite_user, set_password
from chalicelib.macros.library import create_macro
from chalicelib.tickets import changes as tickets
from chalicelib.tickets.reading import get_ticket
from infra.local.demo_licenses import seed_licenses
from infra.local.settings import DEMO_PASSWORD

ORGANISATIONS = [("acme", "Acme Corp"), ("globex", "Globex"), ("vendor", "Vendor Support")]
USERS = [
    ("alice@acme.example", "acme", []),
    ("bob@acme.example", "acme", []),
    ("carol@globex.example", "globex", []),
    ("agent@vendor.example", "vendor", ["support"]),
    ("admin@vendor.example", "vendor", ["admin"]),
]


def _principal(email: str, org: str, roles: list[str]) -> Principal:
    return Principal(user_id=f"demo-{email}", email=email, org=org, roles=frozenset(roles))


def seed_tickets() -> None:
    alice, bob, carol, agent = (_principal(*user) for user in USERS[:4])

    def raise_ticket(who, title, description, tags):
        return tickets.create_ticket(who, {"title": title, "description": description, "tags": tags})["number"]

    first = raise_ticket(
        alice,
        "Installer stops at 80 % on RHEL 9",
        "The installer hangs at 'Configuring services' (80 %). No error on screen; "
        "/var/log/vendor/install.log ends with 'waiting for port 8443'.",
        ["Installation", "Bug"],
    )
    tickets.add_message(alice, first, {"body": "It also happens with --unattended."})

    proxy = raise_ticket(
        bob,
        "License check-in fails behind our HTTP proxy",
        "Our servers reach the internet only through proxy.acme.example:3128. Check-in logs 'connection refused'.",
        ["Question"],
    )
    tickets.add_message(
        agent,
        proxy,
        {
            "body": "Set HTTPS_PROXY for the service and restart it; "
            "check-in honours the standard proxy variables. "
            "Does that fix it?"
        },
    )

    export = raise_ticket(
        alice,
        "Export the audit log as CSV",
        "Our auditors want the audit log as CSV for the last 90 days.",
        ["Feature Request"],
    )
    tickets.add_message(agent, export, {"body": "Added to the 4.3 roadmap; we'll let you know when it ships."})
    tickets.close_ticket(agent, export)

    zone = raise_ticket(
        carol,
        "Dashboard shows times in UTC instead of our time zone",
        "All charts show UTC even though the profile says Europe/Berlin.",
        ["Bug"],
    )
    tickets.add_message(agent, zone, {"body": "Known issue in 4.1.2, fixed in 4.1.3.", "internal": True})
    tickets.add_message(agent, zone, {"body": "This is fixed in 4.1.3. Could you upgrade and confirm?"})
    tickets.add_message(carol, zone, {"body": "Upgraded, still UTC on the 'Traffic' chart."})

    token = raise_ticket(
        carol,
        "How do I rotate the API token?",
        "We need to rotate the integration token every 90 days.",
        ["Help Wanted"],
    )
    tickets.add_message(
        agent, token, {"body": "Settings → Integrations → Rotate. The old token stays valid for 24 hours."}
    )
    tickets.close_ticket(carol, token)

    upgrade = raise_ticket(
        bob,
        "Upgrade to 4.2 fails with 'schema version mismatch'",
        "Running the 4.2 upgrade on our staging cluster stops with 'schema version mismatch (expected 41, found 39)'.",
        ["Bug", "Installation"],
    )
    number_version = get_ticket(agent, upgrade)["version"]
    tickets.update_ticket(agent, upgrade, {"version": number_version, "priority": "high"})
    # The workspace: the agent has taken two tickets; the others wait in Unassigned.
    for number in (zone, upgrade):
        version = get_ticket(agent, number)["version"]
        tickets.update_ticket(agent, number, {"version": version, "assignee": agent.email})


def seed_macros() -> None:
    admin = _principal("admin@vendor.example", "vendor", ["admin"])
    for title, body, status in MACROS:
        create_macro(admin, {"title": title, "body": body, **({"status": status} if status else {})})


MACROS = [
    (
        "Ask for the install log",
        "Hello {{requester.email}},\n\nto see where the installation of #{{ticket.number}} stops, please attach "
        "/var/log/vendor/install.log.\n\n{{agent.email}}",
        "pending",
    ),
    ("Fixed in the next release", 'The fix for "{{ticket.title}}" ships with the next release.', None),
]


def seed() -> None:
    admin = operator("demo")
    for org, name in ORGANISATIONS:
        create_organisation(admin, {"org": org, "name": name})
    for email, org, roles in USERS:
        invite_user(admin, {"email": email, "org": org, "roles": roles}, temporary_password=DEMO_PASSWORD)
        set_password(email, DEMO_PASSWORD)
    seed_tickets()
    seed_macros()
    seed_licenses()
