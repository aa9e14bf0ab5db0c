"""The files a mail carries: stored as the sender's uploads and attached to the response or
ticket the mail makes (PRODUCT.md §3.2, §3.3), by the rules of a browser's upload.

A file the rules refuse (a program, one over the size limit, an empty one) or one past the
limit of files per change is not kept; the response then says which, so nobody waits for it.
Each file's upload id is derived from the mail's key, so a mail delivered twice stores its
files under the same ids and is the same change both times.
"""

from __future__ import annotations

import hashlib

from chalicelib.attachments.schemas import MAX_PER_CHANGE
from chalicelib.attachments.uploads import store_inbound
from chalicelib.core.errors import Invalid
from chalicelib.identity.auth import Principal
from chalicelib.inbound.message import MailFile


def keep_files(principal: Principal, files: list[MailFile], mail_key: str) -> tuple[list[str], str]:
    """(upload ids to attach, a note for the files that were not kept, or '')."""
    ids: list[str] = []
    not_kept: list[str] = []
    for index, file in enumerate(files):
        if len(ids) == MAX_PER_CHANGE:
            not_kept.append(f"{file.filename} (at most {MAX_PER_CHANGE} files a response)")
            continue
        upload_id = hashlib.sha256(f"{mail_key}:{index}".encode()).hexdigest()[:32]
        try:
            ids.append(store_inbound(principal, file.filename, file.content_type, file.data, upload_id))
        except Invalid as refusal:
            not_kept.append(f"{file.filename} ({refusal.message.partition(': ')[2] or refusal.message})")
    return ids, not_kept_note(not_kept)


def not_kept_note(names: list[str]) -> str:
    """The line added to the response text, or '' when every file was kept."""
    if not names:
        return ""
    count = f"{len(names)} attachment{'s' if len(names) != 1 else ''}"
    return f"[{count} sent by e-mail not kept: {'; '.join(names)}. Upload what is needed on the ticket page.]"
