"""What happens to the files a mail carries. Until attachments are stored (PRODUCT.md §3.3),
the response says which files were not kept; this one function becomes the one that stores
them (``attachments.store_inbound``) and lists them on the response."""

from __future__ import annotations


def attachments_note(names: list[str]) -> str:
    """The line added to the response text, or '' for a mail without files."""
    if not names:
        return ""
    count = f"{len(names)} attachment{'s' if len(names) != 1 else ''}"
    listed = ", ".join(names)
    return (
        f"[{count} ({listed}) sent by e-mail {'were' if len(names) != 1 else 'was'} not kept: "
        f"please upload {'them' if len(names) != 1 else 'it'} on the ticket page.]"
    )
