"""Service routes: liveness and the OpenAPI document."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import openapi
from chalicelib.core.operations import Operation

bp = Blueprint(__name__)

OPERATIONS = [
    Operation("get", "/health", "Liveness", auth=False, tag="Service"),
    Operation("get", "/openapi.json", "This document", auth=False, tag="Service"),
]


@bp.route("/health", methods=["GET"])
def health():
    return {"status": "ok"}


@bp.route("/openapi.json", methods=["GET"])
def openapi_document():
    return openapi.document()
