"""The test identities: the demo users, each able to sign an ID token the API trusts in tests."""

from __future__ import annotations

from tests.support import tokens


class User:
    def __init__(self, email: str, org: str = "", groups: tuple[str, ...] = ()):
        self.email, self.org, self.groups = email, org, groups

    @property
    def token(self) -> str:
        return tokens.sign(tokens.claims_for(self.email, self.org, self.groups))


ALICE = User("alice@acme.example", "acme")
BOB = User("bob@acme.example", "acme")
CAROL = User("carol@globex.example", "globex")
AGENT = User("agent@vendor.example", "vendor", ("support",))
ADMIN = User("admin@vendor.example", "vendor", ("admin",))
CUSTOMERS = (ALICE, BOB, CAROL)
