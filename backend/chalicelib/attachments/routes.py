"""Attachment routes (PRODUCT.md §3.3): start an upload; download a ticket's file (a redirect)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.attachments import uploads
from chalicelib.attachments.schemas import UPLOAD_CREATE, UPLOAD_STARTED
from chalicelib.core.http import answers_errors, created, json_body, principal
from chalicelib.core.operations import Operation
from chalicelib.core.validation import path_number

bp = Blueprint(__name__)

OPERATIONS = [
    Operation(
        "post",
        "/attachments",
        "Start uploading a file",
        body=UPLOAD_CREATE,
        success=201,
        response=UPLOAD_STARTED,
        errors=(400, 401, 413),
        tag="Attachments",
        description="A presigned S3 POST for one file of exactly size bytes (at most ATTACHMENT_MAX_MB). "
        "Programs (.exe, .bat, .ps1, ...) are refused; HTML, SVG, XML and unknown types are stored and "
        "served as application/octet-stream. An upload no ticket or response references expires.",
        error_text={
            400: "Bad input; the message names the field. Also: a file over the limit (ATTACHMENT_MAX_MB), or a "
            "program (.exe, .bat, ...), which the portal refuses."
        },
    ),
    Operation(
        "get",
        "/tickets/{number}/attachments/{attachment_id}",
        "Download a file of a ticket",
        tag="Attachments",
        success=302,
        errors=(400, 401, 404),
        description="Redirects to a presigned S3 GET, valid five minutes, that downloads the file "
        "(Content-Disposition: attachment).",
        extra={
            "responses": {
                "302": {
                    "description": "The file's presigned URL.",
                    "headers": {"Location": {"schema": {"type": "string"}, "description": "The presigned GET."}},
                },
            }
        },
        error_text={404: "No such ticket or file (or another organisation's)."},
    ),
]


@bp.route("/attachments", methods=["POST"])
@answers_errors
def start_upload():
    request = bp.current_request
    caller = principal(request)
    return created(uploads.start_upload(caller, json_body(request, UPLOAD_CREATE)))


@bp.route("/tickets/{number}/attachments/{attachment_id}", methods=["GET"])
@answers_errors
def download(number, attachment_id):
    caller = principal(bp.current_request)
    url = uploads.download_url(caller, path_number(number), attachment_id)
    return Response(body="", status_code=302, headers={"Location": url})
