"""Macros (PRODUCT.md §3.4): admins write saved responses, support reads and renders them."""

import pytest

from tests.support.users import ADMIN, AGENT, ALICE, CAROL

BODY = "Hello {{requester.email}}, about #{{ticket.number}} ({{ticket.title}}): see the guide. {{ agent.email }}"


@pytest.fixture
def macro(api):
    response = api.post("/macros", ADMIN, {"title": "Point to the guide", "body": BODY, "status": "pending"})
    assert response.status_code == 201, response.body
    return response.json


def test_admin_saves_a_macro_and_support_lists_it(api, macro):
    assert macro["title"] == "Point to the guide" and macro["status"] == "pending"
    assert macro["updated_by"] == ADMIN.email
    assert api.get("/macros", AGENT).json == {"items": [macro]}


def test_macros_are_listed_by_title(api, macro):
    api.post("/macros", ADMIN, {"title": "ask for logs", "body": "Please attach the logs."})
    assert [m["title"] for m in api.get("/macros", AGENT).json["items"]] == ["ask for logs", "Point to the guide"]


def test_rendering_fills_every_placeholder_for_the_ticket(api, macro):
    number = api.new_ticket(ALICE, title="Installer hangs")["number"]
    rendered = api.get(f"/macros/{macro['id']}/render?ticket={number}", AGENT).json
    assert rendered == {
        "id": macro["id"],
        "ticket": number,
        "body": f"Hello {ALICE.email}, about #{number} (Installer hangs): see the guide. {AGENT.email}",
        "status": "pending",
    }


@pytest.mark.parametrize(
    "body, named",
    [
        ("Dear {{customer.name}}", "{{customer.name}}"),
        ("{{ticket.number}} {{ticket.status}} {{x}}", "{{ticket.status}}, {{x}}"),
    ],
)
def test_an_unknown_placeholder_is_a_400_naming_it_and_nothing_is_saved(api, body, named):
    response = api.post("/macros", ADMIN, {"title": "t", "body": body})
    assert response.status_code == 400
    assert response.json["Message"].startswith("body: unknown placeholder") and named in response.json["Message"]
    assert api.get("/macros", AGENT).json["items"] == []


def test_admin_changes_and_deletes_a_macro(api, macro):
    changed = api.patch(f"/macros/{macro['id']}", ADMIN, {"title": "Guide", "status": None}).json
    assert changed["title"] == "Guide" and changed["status"] is None and changed["body"] == BODY
    assert api.get("/macros", AGENT).json["items"] == [changed]
    assert api.delete(f"/macros/{macro['id']}", ADMIN).json == {"id": macro["id"], "deleted": True}
    assert api.get("/macros", AGENT).json["items"] == []
    assert api.delete(f"/macros/{macro['id']}", ADMIN).status_code == 404


def test_changing_a_macro_to_an_unknown_placeholder_is_a_400_and_keeps_it(api, macro):
    response = api.patch(f"/macros/{macro['id']}", ADMIN, {"body": "{{oops}}"})
    assert response.status_code == 400 and "{{oops}}" in response.json["Message"]
    assert api.get("/macros", AGENT).json["items"][0]["body"] == BODY


@pytest.mark.parametrize("method, path", [("patch", "/macros/0123456789ab"), ("delete", "/macros/0123456789ab")])
def test_a_missing_macro_is_404(api, method, path):
    response = getattr(api, method)(path, ADMIN, **({"body": {"title": "x"}} if method == "patch" else {}))
    assert response.status_code == 404


def test_support_reads_but_does_not_write_and_customers_do_neither(api, macro):
    assert api.post("/macros", AGENT, {"title": "t", "body": "b"}).status_code == 403
    assert api.patch(f"/macros/{macro['id']}", AGENT, {"title": "x"}).status_code == 403
    assert api.delete(f"/macros/{macro['id']}", AGENT).status_code == 403
    assert api.get("/macros", ALICE).status_code == 403
    number = api.new_ticket(ALICE)["number"]
    assert api.get(f"/macros/{macro['id']}/render?ticket={number}", ALICE).status_code == 403


def test_rendering_for_a_missing_ticket_or_macro_is_404(api, macro):
    assert api.get(f"/macros/{macro['id']}/render?ticket=99", AGENT).status_code == 404
    number = api.new_ticket(CAROL)["number"]
    assert api.get(f"/macros/0123456789ab/render?ticket={number}", AGENT).status_code == 404


@pytest.mark.parametrize("path", ["/macros/NOT-AN-ID/render?ticket=1", "/macros/0123456789ab/render"])
def test_a_bad_macro_id_or_no_ticket_is_400(api, path):
    response = api.get(path, AGENT)
    assert response.status_code == 400


@pytest.mark.parametrize("status", ["solved", ""])
def test_a_status_that_is_none_of_the_tickets_is_a_400_naming_them(api, status):
    response = api.post("/macros", ADMIN, {"title": "t", "body": "b", "status": status})
    assert response.status_code == 400
    assert response.json["Message"] == "status must be one of: open, pending, closed."


def test_a_macro_may_leave_the_status_alone_with_null(api):
    response = api.post("/macros", ADMIN, {"title": "t", "body": "b", "status": None})
    assert response.status_code == 201 and response.json["status"] is None
