"""The support team of the workspace tests: support users recorded as the vendor's users, as
inviting them records them (identity.users.invite_user), and a helper to assign tickets."""

from __future__ import annotations

import pytest

from tests.support.users import ADMIN, AGENT, User

AGENT2 = User("agent2@vendor.example", "vendor", ("support",))


@pytest.fixture
def team(aws):
    from chalicelib.identity.auth import operator
    from chalicelib.identity.organisations import create_organisation, record_member

    create_organisation(operator("tests"), {"org": "vendor", "name": "Vendor Support"})
    for user, roles in ((AGENT, ["support"]), (AGENT2, ["support"]), (ADMIN, ["admin"])):
        record_member("vendor", user.email, roles)
    return (AGENT, AGENT2, ADMIN)


def assign(api, number: int, assignee: str | None, by: User = AGENT):
    version = api.get(f"/tickets/{number}", by).json["version"]
    response = api.patch(f"/tickets/{number}", by, {"version": version, "assignee": assignee})
    assert response.status_code == 200, response.body
    return response.json
