"""Service routes: liveness and the OpenAPI document."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import openapi
from chalicelib.core.operations import Operation, answer

bp = Blueprint(__name__)

OPERATIONS = [
    Operation("get", "/health", "Liveness", auth=False, tag="Service", response=answer({"status": {"enum": ["ok"]}})),
    Operation(
        "get",
        "/openapi.json",
        "This document",
        auth=False,
        tag="Service",
        # An OpenAPI 3.0 document: its own shape is the OpenAPI specification's, not repeated here.
        response={
            "type": "object",
            "required": ["openapi", "info", "paths"],
            "properties": {"openapi": {"type": "string", "pattern": "^3\\.0\\."}},
        },
    ),
]


@bp.route("/health", methods=["GET"])
def health():
    return {"status": "ok"}


@bp.route("/openapi.json", methods=["GET"])
def openapi_document():
    return openapi.document()
