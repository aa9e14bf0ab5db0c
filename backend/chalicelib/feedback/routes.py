"""Feedback routes: the public "Was this page helpful?" vote and the admins' report (PRODUCT.md §5)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.http import answers_errors, client_address, created, idempotency_key, json_body, principal
from chalicelib.core.operations import Link, Operation
from chalicelib.core.validation import query_params
from chalicelib.feedback import reports, submit
from chalicelib.feedback.schemas import COMMENT_PAGE, FEEDBACK, RECORDED, REPORT_QUERY, TALLY_PAGE

bp = Blueprint(__name__)

_REPORT_400 = (
    "Bad input; the message names the parameter. A cursor must be the next_cursor of this very list (same user)."
)
_REPORT_403 = "Only admins see the feedback report."

OPERATIONS = [
    Operation(
        "post",
        "/feedback",
        "Rate a page of the site: was it helpful? (public, rate limited)",
        auth=False,
        body=FEEDBACK,
        success=201,
        response=RECORDED,
        errors=(400, 409, 413, 429),
        error_text={
            409: "This Idempotency-Key was counted with the other rating, or with a different comment.",
            429: "Too much feedback from this address on this page or on every page this hour, or on the "
            "whole site this minute; wait for Retry-After seconds.",
        },
        idempotent=True,
        tag="Feedback",
        description="Counts one vote on the page's tally and keeps the comment, if any. Nothing about the "
        "sender is stored: no address, no e-mail, no account. A submission is the page and the "
        "Idempotency-Key (the site's widget makes one per page view): a repeat counts nothing again "
        "(recorded is false) and may add the comment the first request lacked. Without the key, each "
        "request is a submission of its own. Limited per client address and page, per client address, "
        "and for the whole site; the limits count keyed digests of the address that change every hour.",
    ),
    Operation(
        "get",
        "/reports/feedback",
        "Per-page feedback tallies (admin)",
        query=REPORT_QUERY,
        response=TALLY_PAGE,
        errors=(400, 401, 403),
        error_text={400: _REPORT_400, 403: _REPORT_403},
        links=(Link("Comments", "get", "/reports/feedback/comments"),),
        tag="Feedback",
        description="Answers {items, next_cursor}: every page rated so far, in path order, with its helpful and "
        "not_helpful counts (kept by each vote's transaction, never counted at read time).",
    ),
    Operation(
        "get",
        "/reports/feedback/comments",
        "The latest feedback comments (admin)",
        query=REPORT_QUERY,
        response=COMMENT_PAGE,
        errors=(400, 401, 403),
        error_text={400: _REPORT_400, 403: _REPORT_403},
        tag="Feedback",
        description="Answers {items, next_cursor}: the comments readers left, newest first, each with its page "
        "and rating.",
    ),
]


@bp.route("/feedback", methods=["POST"])
@answers_errors
def post_feedback():
    request = bp.current_request
    return created(submit.submit(json_body(request, FEEDBACK), client_address(request), idempotency_key(request)))


@bp.route("/reports/feedback", methods=["GET"])
@answers_errors
def feedback_tallies():
    request = bp.current_request
    caller = reports.require_reader(principal(request))  # refused before the query is read
    return reports.tallies(caller, query_params(request.query_params, REPORT_QUERY))


@bp.route("/reports/feedback/comments", methods=["GET"])
@answers_errors
def feedback_comments():
    request = bp.current_request
    caller = reports.require_reader(principal(request))
    return reports.comments(caller, query_params(request.query_params, REPORT_QUERY))
