"""Service routes: liveness, who am I, and the OpenAPI document."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib import openapi
from chalicelib.api.http import answers_errors, principal

bp = Blueprint(__name__)


@bp.route("/health", methods=["GET"])
def health():
    return {"status": "ok"}


@bp.route("/openapi.json", methods=["GET"])
def openapi_document():
    return openapi.document()


@bp.route("/me", methods=["GET"])
@answers_errors
def me():
    return principal(bp.current_request).as_dict()
