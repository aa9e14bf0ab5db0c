"""The macro item (the key table is in ``chalicelib.core.table``)."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from chalicelib.core.table import PortalItem

MACROS_PK = "MACROS"  # every macro in one partition: the list is one Query


class MacroItem(PortalItem, discriminator="macro"):
    id = UnicodeAttribute()
    title = UnicodeAttribute()
    body = UnicodeAttribute()
    status = UnicodeAttribute(null=True)  # what inserting it sets the ticket to, if anything
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()


def macro_sk(macro_id: str) -> str:
    return f"MACRO#{macro_id}"
