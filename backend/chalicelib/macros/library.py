"""Macro use cases: support reads them and renders one for a ticket, admins write them."""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib.core.clock import now
from chalicelib.core.errors import Forbidden, Invalid, NotFound
from chalicelib.core.storage import ConditionFailed, conditional
from chalicelib.identity.auth import Principal, require_admin
from chalicelib.macros import placeholders
from chalicelib.macros.models import MACROS_PK, MacroItem, macro_sk
from chalicelib.tickets.reading import get_ticket


def _require_support(principal: Principal) -> None:
    if not principal.is_support:
        raise Forbidden("Macros are support's saved responses; customers cannot use them.")


def _view(item: MacroItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "body": item.body,
        "status": item.status,
        "updated_at": item.updated_at,
        "updated_by": item.updated_by,
    }


def _checked(data: dict[str, Any]) -> None:
    for name in ("title", "body"):
        unknown = placeholders.unknown(data.get(name) or "")
        if unknown:
            known = ", ".join("{{" + p + "}}" for p in placeholders.PLACEHOLDERS)
            raise Invalid(
                f"{name}: unknown placeholder{'s' if len(unknown) > 1 else ''} "
                f"{', '.join('{{' + u + '}}' for u in unknown)}; use {known}."
            )


def list_macros(principal: Principal) -> dict[str, Any]:
    _require_support(principal)
    items = [item for item in MacroItem.query(MACROS_PK) if isinstance(item, MacroItem)]
    return {"items": [_view(item) for item in sorted(items, key=lambda m: (m.title.lower(), m.id))]}


def create_macro(principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    require_admin(principal)
    _checked(data)
    macro_id = uuid.uuid4().hex[:12]
    item = MacroItem(
        MACROS_PK,
        macro_sk(macro_id),
        id=macro_id,
        title=data["title"],
        body=data["body"],
        status=data.get("status"),
        updated_at=now(),
        updated_by=principal.email,
    )
    conditional(item.save, condition=MacroItem.pk.does_not_exist())
    return _view(item)


def _missing(macro_id: str) -> NotFound:
    return NotFound(f"There is no macro '{macro_id}'.")


def update_macro(principal: Principal, macro_id: str, data: dict[str, Any]) -> dict[str, Any]:
    require_admin(principal)
    _checked(data)
    item = MacroItem(MACROS_PK, macro_sk(macro_id))
    actions = [MacroItem.updated_at.set(now()), MacroItem.updated_by.set(principal.email)]
    for name in ("title", "body", "status"):
        if name in data:
            attribute = getattr(MacroItem, name)
            actions.append(attribute.remove() if data[name] is None else attribute.set(data[name]))
    try:
        conditional(item.update, actions=actions, condition=MacroItem.pk.exists())
    except ConditionFailed:
        raise _missing(macro_id) from None
    return _view(item)


def delete_macro(principal: Principal, macro_id: str) -> dict[str, Any]:
    require_admin(principal)
    try:
        conditional(MacroItem(MACROS_PK, macro_sk(macro_id)).delete, condition=MacroItem.pk.exists())
    except ConditionFailed:
        raise _missing(macro_id) from None
    return {"id": macro_id, "deleted": True}


def render_macro(principal: Principal, macro_id: str, number: int) -> dict[str, Any]:
    """The macro's body filled in for ticket ``number``, as the agent would send it."""
    _require_support(principal)
    try:
        item = MacroItem.get(MACROS_PK, macro_sk(macro_id))
    except MacroItem.DoesNotExist:
        raise _missing(macro_id) from None
    ticket = get_ticket(principal, number)
    values = {
        "ticket.number": str(number),
        "ticket.title": ticket["title"],
        "requester.email": ticket["requester"],
        "agent.email": principal.email,
    }
    return {"id": item.id, "ticket": number, "body": placeholders.render(item.body, values), "status": item.status}
