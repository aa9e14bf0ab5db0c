"""Report routes (PRODUCT.md §3.4): read the request, call a use case, return a dict."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.http import answers_errors, principal
from chalicelib.core.operations import Operation
from chalicelib.core.validation import query_params
from chalicelib.reports import reading
from chalicelib.reports.schemas import REPORT, REPORT_QUERY

bp = Blueprint(__name__)

OPERATIONS = [
    Operation(
        "get",
        "/reports/tickets",
        "Tickets per week (created, solved, first response, CSAT) and the backlog",
        query=REPORT_QUERY,
        response=REPORT,
        errors=(400, 401, 403),
        tag="Reports",
        description="From aggregates the stream handler keeps as tickets change, never by reading tickets: "
        "two Queries. Weeks are ISO weeks in UTC; the default is the last 12, the longest range 104.",
        error_text={
            400: "Bad input; the message names the parameter: not a date or ISO week, from after to, or "
            "more than 104 weeks.",
            403: "Reports are for support.",
        },
    ),
]


@bp.route("/reports/tickets", methods=["GET"])
@answers_errors
def ticket_report():
    request = bp.current_request
    caller = principal(request)
    return reading.ticket_report(caller, query_params(request.query_params, REPORT_QUERY))
