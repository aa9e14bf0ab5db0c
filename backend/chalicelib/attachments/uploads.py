"""Attachment use cases: start an upload, store a file that came by mail, keep the uploads a
ticket or a response references, and hand out a download. No HTTP here.

An upload carries its uploader and name in its S3 metadata, fixed by the presigned policy, so
starting one writes nothing to the table; referencing it reads that metadata back (HeadObject)
and copies the file out of ``uploads/``, which S3 expires, into ``tickets/<number>/``, which it
keeps. A referenced file gets an id of its own: an upload can be attached again, never moved."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from chalicelib.attachments import rules, storage
from chalicelib.attachments.models import AttachmentItem, attachment_sk, kept_key, upload_key
from chalicelib.attachments.schemas import ID_PATTERN
from chalicelib.core.config import settings
from chalicelib.core.errors import Invalid, NotFound
from chalicelib.core.table import PortalItem
from chalicelib.identity.auth import Principal
from chalicelib.tickets.models import TICKET_SK, TicketItem, ticket_pk

_MB = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file uploaded by the caller, checked and ready to be attached."""

    id: str
    key: str
    filename: str
    content_type: str
    size: int


def _checked(filename: str, content_type: str, size: int) -> tuple[str, str]:
    limit = settings().attachment_max_mb
    if size > limit * _MB:
        raise Invalid(
            f"size: the file is {size / _MB:.1f} MB and the limit is {limit} MB; compress it, or split it into parts."
        )
    name = rules.checked_name(filename)
    return name, rules.served_type(name, content_type)


def start_upload(principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
    """A presigned POST for one file of exactly ``size`` bytes; the id to reference it by."""
    name, content_type = _checked(data["filename"], data["content_type"], data["size"])
    upload_id = uuid.uuid4().hex
    upload = storage.presigned_upload(
        upload_key(upload_id), size=data["size"], content_type=content_type, owner=principal.user_id, filename=name
    )
    return {"id": upload_id, "filename": name, "content_type": content_type, "size": data["size"], "upload": upload}


def store_inbound(
    principal: Principal, filename: str, content_type: str, data: bytes, upload_id: str | None = None
) -> str:
    """A file from a mail ``principal`` sent, stored as their upload: the id to attach it by.

    The same rules as a browser's upload (size limit, refused programs, served types); a
    refusal raises ``Invalid`` (``TooLarge`` is not used: the mail itself was accepted).
    ``upload_id`` (32 hex digits) lets a mail delivered twice store its files under the same
    ids, so the second delivery is the same change as the first."""
    if not data:
        raise Invalid(f"filename: {rules.safe_name(filename)} is empty.")
    name, served = _checked(filename, content_type, len(data))
    upload_id = upload_id or uuid.uuid4().hex
    storage.put(upload_key(upload_id), data, content_type=served, owner=principal.user_id, filename=name)
    return upload_id


def uploaded(principal: Principal, ids: list[str]) -> list[Upload]:
    """The caller's uploads ``ids``, checked before anything is written: an id nobody uploaded,
    one that expired, or one someone else uploaded is a 400 naming it."""
    found = []
    for index, upload_id in enumerate(ids):
        stored = storage.stored(upload_key(upload_id))
        if stored is None or stored.owner != principal.user_id:
            raise Invalid(
                f"attachments[{index}]: there is no file {upload_id} uploaded by you (an upload nobody "
                f"attached expires after a day); upload it again with POST /attachments."
            )
        found.append(Upload(upload_id, stored.key, stored.filename or "attachment", stored.content_type, stored.size))
    return found


def keep(
    principal: Principal,
    uploads: list[Upload],
    number: int,
    at: str,
    *,
    message_id: str | None = None,
    internal: bool = False,
) -> list[AttachmentItem]:
    """Copy the uploads where S3 keeps them; the items to write in the change's transaction."""
    items = []
    for upload in uploads:
        attachment_id = uuid.uuid4().hex
        key = kept_key(number, attachment_id)
        storage.copy(upload.key, key)
        items.append(
            AttachmentItem(
                ticket_pk(number),
                attachment_sk(attachment_id),
                id=attachment_id,
                number=number,
                message_id=message_id,
                internal=internal,
                filename=upload.filename,
                content_type=upload.content_type,
                size=upload.size,
                key=key,
                uploaded_by=principal.email,
                created_at=at,
            )
        )
    return items


def summary(uploads: list[Upload]) -> list[dict[str, Any]]:
    """What a ticket event says of its files, for mails: names, types and sizes."""
    return [{"filename": u.filename, "content_type": u.content_type, "size": u.size} for u in uploads]


def download_url(principal: Principal, number: int, attachment_id: str) -> str:
    """A presigned GET of one file, valid five minutes; one BatchGetItem reads the ticket (for
    tenancy) and the file together. Another organisation's ticket is a 404, as everywhere."""
    from chalicelib.tickets.reading import not_found  # reading imports this package's views

    wanted = [(ticket_pk(number), TICKET_SK)]
    if re.fullmatch(ID_PATTERN, attachment_id):
        wanted.append((ticket_pk(number), attachment_sk(attachment_id)))
    ticket = item = None
    for found in PortalItem.batch_get(wanted):
        if isinstance(found, TicketItem):
            ticket = found
        elif isinstance(found, AttachmentItem):
            item = found
    if ticket is None or not (principal.is_support or ticket.org == principal.org):
        raise not_found(number)
    if item is None or (item.internal and not principal.is_support):
        raise NotFound(f"Ticket #{number} has no attachment {attachment_id}; reload the ticket to see its files.")
    return storage.presigned_download(item.key, filename=item.filename, content_type=item.content_type)
