"""Attachments (PRODUCT.md §3.3): files on tickets and responses, uploaded straight to S3.

``store_inbound`` is the entry point for mail: a file a reply carried, stored under the same
rules as a browser upload, answering an id ``create_ticket``/``add_message`` accept."""

from chalicelib.attachments.uploads import store_inbound

__all__ = ["store_inbound"]
