"""What the Schemathesis tests share: the schema from the OpenAPI document, the roles they act
as, and the one place schema-valid input may be refused (``BEYOND_THE_SCHEMA``).

A few rules of the API are more than a JSON schema can say; each is written in the 400 answer's
description of its operation, and only a refusal that names it (by its message) is accepted for
schema-valid input. Nothing else is exempted.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.schemas import BaseSchema

from chalicelib.openapi import document
from tests.support.users import ADMIN, AGENT, ALICE, User

ROLES: dict[str, User] = {"customer": ALICE, "support": AGENT, "admin": ADMIN}

_ONE_PAGE = "an organisation's licenses come in one page"
_FOREIGN_CURSOR = "cursor is not valid for this list"
# operation -> (a word of its documented 400, the message of the refusal): see the module's docstring.
_NOT_UPLOADED = "uploaded by you (an upload nobody attached expires"
BEYOND_THE_SCHEMA: dict[str, list[tuple[str, str]]] = {
    "GET /tickets": [("cursor", _FOREIGN_CURSOR), ("sort=due", "sort=due lists the tickets awaiting")],
    # Who is a support user is data: the vendor's users with a support role (PRODUCT.md §3.4).
    "PATCH /tickets/{number}": [("not a support user", "is not a support user")],
    "POST /macros": [("placeholder", "unknown placeholder")],
    "PATCH /macros/{macro}": [("placeholder", "unknown placeholder")],
    "GET /licenses": [("cursor", _FOREIGN_CURSOR), ("one page", _ONE_PAGE)],
    "GET /admin/licenses": [("cursor", _FOREIGN_CURSOR), ("one page", _ONE_PAGE)],
    "GET /licenses/{id}/deployments": [("cursor", _FOREIGN_CURSOR)],
    "GET /reports/feedback": [("cursor", _FOREIGN_CURSOR)],
    "GET /reports/feedback/comments": [("cursor", _FOREIGN_CURSOR)],
    "POST /admin/users": [("Cognito", "email: Cognito does not accept")],
    "POST /admin/licenses": [("Capability names must differ", "capabilities lists '")],
    # Membership is data, not shape: PRODUCT.md §3 and §3.1 ask for a 400 naming the field.
    "POST /tickets": [
        ("not a user of that organisation", "is not a user of organisation"),
        ("not uploaded by you", _NOT_UPLOADED),
    ],
    "POST /tickets/{number}/followers": [("not a user of the ticket's organisation", "is not a user of organisation")],
    "DELETE /tickets/{number}/followers/{email}": [("the requester's", "always follows")],
    # Files are data too: an id is a file this caller uploaded (PRODUCT.md §3.3), and the size limit
    # and the refused programs are the deployment's settings, checked when the upload starts.
    "POST /tickets/{number}/messages": [("not uploaded by you", _NOT_UPLOADED)],
    "POST /attachments": [("over the limit", "and the limit is"), ("program", "files are programs")],
    # A pattern cannot say which dates exist, nor compare two parameters or count the weeks between.
    "GET /reports/tickets": [
        ("not a date", "is not a date"),
        ("from after to", "is after to"),
        ("more than 104 weeks", "a report covers at most"),
    ],
}


def api_schema(app: Any = None) -> BaseSchema:
    """The schema of ``document()``, with the failure filter below; calls go to the WSGI ``app``
    in process if one is given (as ``from_wsgi`` would set it), else over HTTP to a base URL."""
    schema = schemathesis.openapi.from_dict(document())
    schema.app = app
    schema.hook(filter_failure)
    return schema


def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure but a schema-valid request refused by one of the rules above."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 400:
        return True
    message = str((response.json() or {}).get("Message", ""))
    rules = BEYOND_THE_SCHEMA.get(case.operation.label, [])
    return not any(re.search(re.escape(text), message) for _, text in rules)
