"""Who the workspace's events mail (mail.compose): the new assignee, and a breach's support side."""

from chalicelib.mail import compose

TICKET = {"number": 7, "title": "Crash", "org": "acme", "created_by": "alice@acme.example", "followers": []}


def event(kind, actor="agent@vendor.example", role="support", **changes):
    return {"id": "e1", "kind": kind, "actor": actor, "actor_role": role, "changes": changes}


def test_an_assignment_mails_only_the_new_assignee_assigned_to_you():
    mails = compose.ticket_mails(
        event("updated", assignee={"from": None, "to": "agent2@vendor.example"}),
        {**TICKET, "assignee": "agent2@vendor.example"},
    )
    assert [m.recipient for m in mails] == ["agent2@vendor.example"]
    assert "agent@vendor.example assigned ticket #7 to you." in mails[0].text


def test_assigning_yourself_or_unassigning_mails_nobody():
    mine = event("updated", assignee={"from": None, "to": "agent@vendor.example"})
    assert compose.ticket_mails(mine, {**TICKET, "assignee": "agent@vendor.example"}) == []
    assert compose.ticket_mails(event("updated", assignee={"to": None}), TICKET) == []


def test_a_breach_mails_the_assignee_else_the_inbox_never_the_customer():
    breach = {
        **event("sla_breached", actor="SLA check", due_at={"to": "2026-12-01T10:00:00.000000Z"}),
        "internal": True,
    }
    assert [m.recipient for m in compose.ticket_mails(breach, {**TICKET, "assignee": "agent2@vendor.example"})] == [
        "agent2@vendor.example"
    ]
    mails = compose.ticket_mails(breach, TICKET)
    assert [m.recipient for m in mails] == ["support@vendor.example"]
    assert "past its SLA target" in mails[0].text and "2026-12-01T10:00:00.000000Z" in mails[0].text
