"""The attachment item: one file on a ticket (``message_id`` empty) or on one of its messages,
in the ticket's partition, so the ticket's detail stays one Query (key table: core.table)."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.core.table import PortalItem

UPLOAD_PREFIX = "uploads/"  # what browsers and inbound mail write; S3 expires it (lifecycle)
KEPT_PREFIX = "tickets/"  # referenced files, copied here, kept


class AttachmentItem(PortalItem, discriminator="attachment"):
    id = UnicodeAttribute()
    number = NumberAttribute()
    message_id = UnicodeAttribute(null=True)  # None: on the ticket itself
    internal = BooleanAttribute(default=False)  # on an internal note: never shown to customers
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    key = UnicodeAttribute()  # the S3 object
    uploaded_by = UnicodeAttribute()
    created_at = UnicodeAttribute()


def attachment_sk(attachment_id: str) -> str:
    return f"ATT#{attachment_id}"


def upload_key(upload_id: str) -> str:
    return f"{UPLOAD_PREFIX}{upload_id}"


def kept_key(number: int, attachment_id: str) -> str:
    return f"{KEPT_PREFIX}{number}/{attachment_id}"
