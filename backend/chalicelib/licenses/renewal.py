"""A customer's renewal request: a ticket naming the license, raised through the tickets use case."""

from __future__ import annotations

from typing import Any

from chalicelib.core.clock import utcnow
from chalicelib.core.errors import Forbidden
from chalicelib.identity.auth import Principal
from chalicelib.licenses import views
from chalicelib.licenses.access import org_of_visible, visible_license
from chalicelib.tickets.changes import create_ticket

TAG = "Question"


def request_renewal(
    principal: Principal, license_id: str, data: dict[str, Any], idempotency_key: str | None = None
) -> dict[str, Any]:
    """One GetItem for the license, then the ticket exactly as the ticket form would raise it
    (so it is numbered, listed, followed and mailed like any other). The key stays masked:
    tickets are no place for a full key."""
    org_of_visible(principal, license_id)  # a bad id or another organisation's comes first: 400, 404
    if principal.is_support:
        raise Forbidden(
            "Renewal requests come from the customer's organisation; support and admins renew the license "
            "in the admin console (or raise a ticket on the customer's behalf)."
        )
    item = visible_license(principal, license_id)
    at = utcnow()
    name = f"{item.product} {item.edition}"
    state = views.status(item, at)
    when = "expired on" if state == "expired" else "expires on"
    lines = [
        f"Please renew license {item.id} ({name}, key {views.masked(item.key)}).",
        f"It is {state} and {when} {item.expires_at}.",
        f"Requested by {principal.email} from the license's page in the portal.",
    ]
    if data.get("message"):
        lines += ["", data["message"]]
    ticket = create_ticket(
        principal,
        {"title": f"Renewal request: {name} ({item.id})", "description": "\n".join(lines), "tags": [TAG]},
        idempotency_key,
    )
    return {"ticket": {"number": ticket["number"]}}
