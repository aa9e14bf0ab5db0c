"""POST /feedback and the admins' feedback report (PRODUCT.md §5): public, validated, rate
limited, counted once per submission, tallied in the vote's own transaction, no personal data."""

from __future__ import annotations

import json

import pytest

from tests.support.dynamo import counting_requests
from tests.support.users import ADMIN, AGENT, ALICE

PAGE = "/kb/reset-a-forgotten-password/"
ADDRESS = "203.0.113.7"


def vote(api, helpful=True, page=PAGE, key=None, address=ADDRESS, user=None, **fields):
    headers = {"True-Client-IP": address, **({"Idempotency-Key": key} if key else {})}
    return api.post("/feedback", user, {"page": page, "helpful": helpful, **fields}, headers=headers)


def tallies(api) -> dict[str, tuple[int, int]]:
    response = api.get("/reports/feedback", ADMIN)
    assert response.status_code == 200, response.body
    return {row["page"]: (row["helpful"], row["not_helpful"]) for row in response.json["items"]}


@pytest.fixture
def few(monkeypatch):
    """Small limits, so a test reaches them in a few requests."""
    from chalicelib.feedback import limits

    small = limits.Limits(per_page=3, per_client=5, site=8)
    monkeypatch.setattr(limits, "limits", lambda: small)
    return small


def test_a_vote_needs_no_sign_in_and_counts_on_the_pages_tally(api):
    response = vote(api, helpful=True, key="view-1")
    assert response.status_code == 201, response.body
    assert response.json == {"page": PAGE, "helpful": True, "comment": None, "recorded": True}
    assert vote(api, helpful=False, key="view-2").status_code == 201
    assert vote(api, helpful=True, page="/glossary/").status_code == 201
    assert tallies(api) == {PAGE: (1, 1), "/glossary/": (1, 0)}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"helpful": True}, "page is required"),
        ({"page": PAGE}, "helpful is required"),
        ({"page": PAGE, "helpful": "yes"}, "helpful must be true or false"),
        ({"page": "kb/no-leading-slash/", "helpful": True}, "page is not valid"),
        ({"page": "/kb/no-trailing-slash", "helpful": True}, "page is not valid"),
        ({"page": "/kb/../admin/", "helpful": True}, "page is not valid"),
        ({"page": "https://elsewhere.example/", "helpful": True}, "page is not valid"),
        ({"page": "/kb/a page/", "helpful": True}, "page is not valid"),
        ({"page": "/" + "a/" * 200, "helpful": True}, "page is"),
        ({"page": PAGE, "helpful": True, "comment": "   "}, "comment must not be empty"),
        ({"page": PAGE, "helpful": True, "comment": "x" * 1001}, "comment is 1001 characters; the limit is 1000"),
        ({"page": PAGE, "helpful": True, "comment": None}, "comment must be a string"),
        ({"page": PAGE, "helpful": True, "email": "alice@acme.example"}, "Unknown field email"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_counts_nothing(api, body, named):
    response = api.post("/feedback", body=body, headers={"True-Client-IP": ADDRESS})
    assert response.status_code == 400, response.body
    assert named in response.json["Message"]
    assert tallies(api) == {}


def test_a_malformed_idempotency_key_is_a_400(api):
    response = vote(api, key=" padded ")
    assert (response.status_code, "Idempotency-Key" in response.json["Message"]) == (400, True)
    assert tallies(api) == {}


def test_a_repeat_of_a_submission_is_counted_once(api):
    first = vote(api, key="page-view-1")
    again = vote(api, key="page-view-1")
    assert (first.json["recorded"], again.json["recorded"]) == (True, False)
    assert again.status_code == 201
    assert tallies(api) == {PAGE: (1, 0)}


def test_a_repeat_from_another_address_is_still_the_same_submission(api):
    vote(api, key="page-view-1")
    assert vote(api, key="page-view-1", address="198.51.100.9").json["recorded"] is False
    assert tallies(api) == {PAGE: (1, 0)}


def test_the_comment_typed_after_the_rating_joins_it_without_counting_again(api):
    vote(api, helpful=False, key="page-view-1")
    response = vote(api, helpful=False, key="page-view-1", comment="The reset mail never came.")
    assert response.json == {
        "page": PAGE,
        "helpful": False,
        "comment": "The reset mail never came.",
        "recorded": False,
    }
    assert tallies(api) == {PAGE: (0, 1)}
    (comment,) = api.get("/reports/feedback/comments", ADMIN).json["items"]
    assert (comment["page"], comment["helpful"], comment["comment"]) == (PAGE, False, "The reset mail never came.")


def test_a_submission_cannot_change_its_rating_or_its_comment(api):
    vote(api, helpful=True, key="page-view-1", comment="Clear.")
    other_rating = vote(api, helpful=False, key="page-view-1")
    other_comment = vote(api, helpful=True, key="page-view-1", comment="Changed my mind.")
    assert (other_rating.status_code, other_comment.status_code) == (409, 409)
    assert "already counted as helpful" in other_rating.json["Message"]
    assert "already has a comment" in other_comment.json["Message"]
    assert tallies(api) == {PAGE: (1, 0)}


def test_the_same_key_on_another_page_is_another_submission(api):
    vote(api, key="k")
    assert vote(api, key="k", page="/glossary/").json["recorded"] is True
    assert tallies(api) == {PAGE: (1, 0), "/glossary/": (1, 0)}


def test_votes_without_a_key_each_count(api):
    assert [vote(api).json["recorded"] for _ in range(2)] == [True, True]
    assert tallies(api) == {PAGE: (2, 0)}


def test_too_much_feedback_on_a_page_is_a_429_with_retry_after_and_is_not_counted(api, few):
    for n in range(few.per_page):
        assert vote(api, key=f"view-{n}").status_code == 201
    refused = vote(api, key="one-too-many")
    assert refused.status_code == 429, refused.body
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert "on this page this hour" in refused.json["Message"] and f"limit {few.per_page}" in refused.json["Message"]
    assert tallies(api) == {PAGE: (few.per_page, 0)}
    # Other readers, and this one on another page, are not refused.
    assert vote(api, key="neighbour", address="198.51.100.9").status_code == 201
    assert vote(api, key="elsewhere", page="/glossary/").status_code == 201


def test_a_repeat_of_a_counted_submission_is_answered_even_at_the_limit(api, few):
    for n in range(few.per_page):
        vote(api, key=f"view-{n}")
    again = vote(api, key="view-0", comment="Added later.")
    assert (again.status_code, again.json["comment"]) == (201, "Added later.")


def test_the_page_limit_opens_again_in_the_next_hour(api, few, monkeypatch):
    from chalicelib.feedback import limits

    monkeypatch.setattr(limits, "_clock", lambda: 7200.0 * 1000)
    for n in range(few.per_page):
        vote(api, key=f"view-{n}")
    assert vote(api, key="late").status_code == 429
    monkeypatch.setattr(limits, "_clock", lambda: 7200.0 * 1000 + 3600)
    assert vote(api, key="late").status_code == 201


def test_one_address_is_limited_across_pages(api, few):
    for n in range(few.per_client):
        assert vote(api, page=f"/kb/article-{n}/").status_code == 201
    refused = vote(api, page="/kb/one-more/")
    assert refused.status_code == 429
    assert "from your address this hour" in refused.json["Message"]


def test_the_whole_site_is_guarded(api, few):
    for n in range(few.site):
        assert vote(api, address=f"198.51.100.{n + 1}").status_code == 201
    refused = vote(api, address="192.0.2.1")
    assert refused.status_code == 429
    assert "too much feedback" in refused.json["Message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_a_vote_is_one_update_and_one_transaction(api):
    with counting_requests() as calls:
        assert vote(api, key="view-1").status_code == 201
    assert dict(calls) == {"UpdateItem": 1, "TransactWriteItems": 1}


def test_a_page_of_the_report_is_one_query(api):
    vote(api)
    for path in ("/reports/feedback", "/reports/feedback/comments"):
        with counting_requests() as calls:
            assert api.get(path, ADMIN).status_code == 200
        assert dict(calls) == {"Query": 1}


def _stored_items() -> list[dict]:
    """Every item of the emulator's table, read from moto itself (no Scan on the API's path)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].tables["portal-test"]
    return [item.to_json()["Attributes"] for item in table.all_items()]


def test_nothing_stored_names_the_sender(api):
    before = {json.dumps(item, sort_keys=True) for item in _stored_items()}
    response = vote(api, helpful=False, key="page-view-1", user=ALICE, comment="Step 3 is unclear.")
    assert response.status_code == 201
    written = [item for item in _stored_items() if json.dumps(item, sort_keys=True) not in before]
    types = sorted(item["type"]["S"] for item in written)
    assert types == ["feedback_tally", "feedback_vote", "rate_window", "rate_window", "rate_window"]
    stored = json.dumps(written)
    for personal in (ADDRESS, "203.0.113", ALICE.email, "alice", "acme"):
        assert personal not in stored
    assert "page-view-1" not in stored  # the submission key is kept as a keyed digest only
    (voted,) = [item for item in written if item["type"]["S"] == "feedback_vote"]
    assert set(voted) == {"pk", "sk", "type", "page", "helpful", "comment", "created_at", "expires", "gsi2pk", "gsi2sk"}


def test_the_report_lists_tallies_in_pages_with_a_cursor(api):
    for n in range(3):
        vote(api, page=f"/kb/article-{n}/")
    first = api.get("/reports/feedback?limit=2", ADMIN).json
    assert [row["page"] for row in first["items"]] == ["/kb/article-0/", "/kb/article-1/"]
    rest = api.get(f"/reports/feedback?limit=2&cursor={first['next_cursor']}", ADMIN).json
    assert [row["page"] for row in rest["items"]] == ["/kb/article-2/"]
    assert rest["next_cursor"] is None


def test_comments_come_newest_first_and_a_cursor_of_another_list_is_refused(api):
    for n in range(3):
        vote(api, helpful=False, comment=f"comment {n}")
    vote(api, helpful=True)  # no comment: not in the list
    first = api.get("/reports/feedback/comments?limit=2", ADMIN).json
    assert [c["comment"] for c in first["items"]] == ["comment 2", "comment 1"]
    rest = api.get(f"/reports/feedback/comments?cursor={first['next_cursor']}", ADMIN).json
    assert [c["comment"] for c in rest["items"]] == ["comment 0"]
    vote(api, page="/glossary/")
    tally_cursor = api.get("/reports/feedback?limit=1", ADMIN).json["next_cursor"]
    refused = api.get(f"/reports/feedback/comments?cursor={tally_cursor}", ADMIN)
    assert (refused.status_code, "cursor" in refused.json["Message"]) == (400, True)


@pytest.mark.parametrize("path", ["/reports/feedback", "/reports/feedback/comments"])
@pytest.mark.parametrize("user", [ALICE, AGENT], ids=["customer", "support"])
def test_only_admins_read_the_report(api, path, user):
    response = api.get(path + "?limit=oops", user)  # refused before the query is read
    assert response.status_code == 403, response.body
    assert response.json["Message"] == "Only admins see the feedback report."


def test_the_report_needs_a_sign_in(api):
    assert api.get("/reports/feedback").status_code == 401
