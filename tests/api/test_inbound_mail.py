"""The inbound handler on moto: senders are real Cognito users, the mail arrives as S3 stores it
and carries SES's verdicts, and what is stored is what the API then shows."""

from __future__ import annotations

import json
import smtplib
import subprocess
import sys
from dataclasses import replace

import boto3
import pytest
import requests

from tests.support import ROOT
from tests.support.inbound import GMAIL_QUOTE, SES_PASS, raw_mail
from tests.support.stack import free_port
from tests.support.users import AGENT, ALICE, CAROL

BUCKET = "portal-inbound-test"


@pytest.fixture
def cognito(aws, monkeypatch):
    """A user pool as the stack has it, with the demo users; the inbound handler looks senders up in it."""
    from chalicelib.core import config
    from chalicelib.inbound import senders

    client = boto3.client("cognito-idp", region_name="us-east-1")
    pool = client.create_user_pool(
        PoolName="portal", UsernameAttributes=["email"], Schema=[{"Name": "org", "AttributeDataType": "String"}]
    )["UserPool"]["Id"]
    client.create_group(GroupName="support", UserPoolId=pool)
    for email, org, groups in (
        ("alice@acme.example", "acme", ()),
        ("bob@acme.example", "acme", ()),
        ("carol@globex.example", "globex", ()),
        ("agent@vendor.example", "vendor", ("support",)),
        ("dave@acme.example", "acme", ()),
    ):
        client.admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "custom:org", "Value": org}],
            MessageAction="SUPPRESS",
        )
        for group in groups:
            client.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=group)
    client.admin_disable_user(UserPoolId=pool, Username="dave@acme.example")
    patched = replace(config.settings(), user_pool_id=pool)
    monkeypatch.setattr(senders, "settings", lambda: patched)
    senders._cognito.cache_clear()
    yield client
    senders._cognito.cache_clear()


def receive(raw: bytes):
    from chalicelib.inbound.receive import receive as handle

    return handle(raw)


def reply_address(number: int, recipient: str) -> str:
    from chalicelib.mail import reply_address as addresses

    return addresses.reply_address(number, recipient)


def messages(api, number: int, user=ALICE) -> list[dict]:
    return api.get(f"/tickets/{number}", user).json["messages"]


def test_a_reply_with_passing_verdicts_is_a_response_by_its_sender(api, cognito):
    number = api.new_ticket(ALICE)["number"]
    raw = raw_mail(
        "alice@acme.example", reply_address(number, "alice@acme.example"), "Port 8443.\n\n" + GMAIL_QUOTE, top=SES_PASS
    )
    outcome = receive(raw)
    assert (outcome.verdict, outcome.ticket) == ("added", number)
    [message] = messages(api, number)
    assert (message["author"], message["body"], message["internal"]) == ("alice@acme.example", "Port 8443.", False)


def test_a_reply_without_ses_verdicts_is_refused_and_nothing_is_stored(api, cognito):
    number = api.new_ticket(ALICE)["number"]
    outcome = receive(raw_mail("alice@acme.example", reply_address(number, "alice@acme.example"), "Port 8443."))
    assert (outcome.verdict, outcome.reason) == ("refused", "spam verdict missing")
    assert messages(api, number) == []


def test_a_failed_dmarc_verdict_refuses_a_reply_with_a_valid_token(api, cognito):
    number = api.new_ticket(ALICE)["number"]
    failed = {**SES_PASS, "Authentication-Results": "amazonses.com; spf=pass; dkim=none; dmarc=fail;"}
    raw = raw_mail("alice@acme.example", reply_address(number, "alice@acme.example"), "Spoofed.", top=failed)
    assert receive(raw).verdict == "refused"
    assert messages(api, number) == []


def test_a_customer_of_another_organisation_cannot_answer_even_with_a_token_made_for_them(api, cognito):
    number = api.new_ticket(ALICE)["number"]
    raw = raw_mail("carol@globex.example", reply_address(number, "carol@globex.example"), "Hi", top=SES_PASS)
    outcome = receive(raw)
    assert outcome.verdict == "refused" and "organisation" in outcome.reason
    assert messages(api, number) == []


def test_a_colleague_cannot_answer_with_a_reply_address_made_for_alice(api, cognito):
    number = api.new_ticket(ALICE)["number"]
    raw = raw_mail("bob@acme.example", reply_address(number, "alice@acme.example"), "Forwarded.", top=SES_PASS)
    outcome = receive(raw)
    assert outcome.reason == f"the reply address of ticket #{number} was not made for bob@acme.example"
    assert messages(api, number) == []


def test_a_disabled_user_cannot_answer(api, cognito):
    number = api.new_ticket(ALICE)["number"]
    raw = raw_mail("dave@acme.example", reply_address(number, "dave@acme.example"), "Hi", top=SES_PASS)
    assert receive(raw).reason == "dave@acme.example is not a user of the portal"
    assert messages(api, number) == []


def test_support_answering_the_inbox_copy_writes_a_public_response_never_a_note(api, cognito):
    number = api.new_ticket(ALICE)["number"]
    raw = raw_mail(
        "agent@vendor.example",
        reply_address(number, "support@vendor.example"),
        "Try 4.2.1.",
        top=SES_PASS,
        headers={"X-Portal-Internal": "true"},
    )
    assert receive(raw).verdict == "added"
    [message] = messages(api, number)  # alice sees it: public
    assert (message["author"], message["internal"]) == ("agent@vendor.example", False)
    assert api.get(f"/tickets/{number}", ALICE).json["status"] == "pending"


def test_a_replys_files_are_kept_on_its_response_and_a_refused_one_is_named(api, cognito):
    number = api.new_ticket(ALICE)["number"]
    raw = raw_mail(
        "alice@acme.example",
        reply_address(number, "alice@acme.example"),
        "Logs attached.",
        top=SES_PASS,
        attachments=[("install.log", "text/plain", b"step 4 hangs"), ("setup.exe", "application/octet-stream", b"MZ")],
    )
    assert receive(raw).verdict == "added"
    assert receive(raw).verdict == "added", "the same mail again"
    [message] = messages(api, number)  # one response, whatever the deliveries
    assert message["body"].startswith("Logs attached.\n\n[1 attachment sent by e-mail not kept: setup.exe (")
    [kept] = message["attachments"]
    assert (kept["filename"], kept["size"]) == ("install.log", len(b"step 4 hangs"))
    download = api.get(f"/tickets/{number}/attachments/{kept['id']}", ALICE)
    assert download.status_code == 302
    assert requests.get(download.headers["Location"], timeout=10).content == b"step 4 hangs"


def test_a_mail_to_the_support_address_keeps_its_files_on_the_new_ticket(api, cognito):
    raw = raw_mail(
        "alice@acme.example",
        "support@vendor.example",
        "See the screenshot.",
        top=SES_PASS,
        attachments=[("screen.png", "image/png", b"\x89PNG\r\n")],
    )
    outcome = receive(raw)
    ticket = api.get(f"/tickets/{outcome.ticket}", ALICE).json
    assert [a["filename"] for a in ticket["attachments"]] == ["screen.png"]


def test_a_long_subject_becomes_a_title_trimmed_to_the_limit(api, cognito):
    raw = raw_mail("alice@acme.example", "support@vendor.example", "Details.", subject="Slow " * 60, top=SES_PASS)
    outcome = receive(raw)
    assert outcome.verdict == "created"
    ticket = api.get(f"/tickets/{outcome.ticket}", ALICE).json
    assert len(ticket["title"]) == 200 and ticket["title"].endswith("…") and ticket["tags"] == ["Question"]


def test_support_mailing_the_support_address_raises_nothing(api, cognito):
    raw = raw_mail("agent@vendor.example", "support@vendor.example", "Note to self.", top=SES_PASS)
    assert receive(raw).verdict == "refused"
    assert api.get("/tickets", AGENT).json["items"] == []


def test_mail_to_another_address_of_the_reply_domain_is_ignored(api, cognito):
    raw = raw_mail("alice@acme.example", "sales@reply.vendor.example", "Hi", top=SES_PASS)
    assert receive(raw).verdict == "ignored"
    assert api.get("/tickets", ALICE).json["items"] == []


def test_the_lambda_handler_reads_the_mail_s3_stored_and_answers_each_outcome(api, cognito):
    from app import handle_inbound_mail

    number = api.new_ticket(CAROL)["number"]
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    raw = raw_mail("carol@globex.example", reply_address(number, "carol@globex.example"), "Thanks!", top=SES_PASS)
    s3.put_object(Bucket=BUCKET, Key="inbound/abc def", Body=raw)
    event = {
        "Records": [{"eventSource": "aws:s3", "s3": {"bucket": {"name": BUCKET}, "object": {"key": "inbound/abc+def"}}}]
    }
    answer = handle_inbound_mail(event, None)
    assert answer == {
        "outcomes": [{"key": "inbound/abc def", "verdict": "added", "reason": "reply by e-mail", "ticket": number}]
    }
    assert [m["body"] for m in messages(api, number, CAROL)] == ["Thanks!"]


def test_the_api_path_never_imports_the_inbound_code():
    code = (
        "import sys, app; print(sorted(m for m in sys.modules if m.startswith(('chalicelib.inbound', 'mailparser'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(loaded.stdout.strip().replace("'", '"')) == []


# --- the mail viewer's Reply, through the local SMTP server ----------------------------------


@pytest.fixture
def viewer_and_server(api, cognito, monkeypatch):
    from chalicelib.core import config
    from chalicelib.inbound import receive as receive_module
    from chalicelib.mail import compose, mime
    from infra.local.mail_viewer import MailViewer
    from infra.local.smtp_server import InboundMailServer, create_inbound_bucket, registered_inbound_handler

    # The local stack's own settings: its SMTP server checks no verdicts.
    patched = replace(config.settings(), require_mail_verdicts=False)
    monkeypatch.setattr(receive_module, "settings", lambda: patched)
    ticket = api.new_ticket(ALICE)
    event = {
        "id": "e1",
        "kind": "responded",
        "actor": "agent@vendor.example",
        "actor_role": "support",
        "body": "Try 4.2.1.",
    }
    [mail] = [
        m
        for m in compose.ticket_mails(event, {**ticket, "created_by": "alice@acme.example"})
        if m.recipient == "alice@acme.example"
    ]

    class Raw:
        id, raw_data, destinations = "m1", mime.to_mime(mail).decode(), [mail.recipient]

    create_inbound_bucket(None, BUCKET)  # in-process moto: no endpoint
    server = InboundMailServer(free_port(), registered_inbound_handler(), bucket=BUCKET, endpoint_url=None)
    server.start()
    yield MailViewer(lambda: [Raw()], inbound=server), ticket["number"], server
    server.stop()


def form_post(viewer, headers: dict[str, str], **fields: str):
    from urllib.parse import urlencode

    return viewer("POST", "/m1/reply", {"Host": "127.0.0.1:8000", **headers}, urlencode(fields).encode())


def form_token(viewer) -> str:
    import re

    status, _, page = viewer("GET", "/m1/reply", {}, b"")
    assert status == 200
    return re.search(rb'name="token" value="([^"]+)"', page).group(1).decode()  # type: ignore[union-attr]


def test_the_reply_form_quotes_the_mail_and_sending_it_adds_the_response(api, viewer_and_server):
    viewer, number, _ = viewer_and_server
    _, headers, page = viewer("GET", "/m1/reply", {}, b"")
    assert b"Reply as alice@acme.example" in page and b"&gt; " in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    status, _, page = form_post(
        viewer,
        {"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"},
        token=form_token(viewer),
        body="Fixed, thanks.\n\nOn Tue, Support wrote:\n> Try 4.2.1.\n",
    )
    assert status == 200 and b'data-verdict="added"' in page
    assert [m["body"] for m in messages(api, number)] == ["Fixed, thanks."]


@pytest.mark.parametrize(
    ("headers", "with_token"),
    [
        ({"Origin": "http://evil.example"}, True),
        ({}, True),
        ({"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "cross-site"}, True),
        ({"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"}, False),
    ],
    ids=["foreign origin", "no origin", "cross-site", "no token"],
)
def test_a_reply_post_from_anywhere_but_the_viewers_form_sends_nothing(api, viewer_and_server, headers, with_token):
    viewer, number, _ = viewer_and_server
    fields = {"body": "Forged."}
    if with_token:
        fields["token"] = form_token(viewer)
    status, _, _ = form_post(viewer, headers, **fields)
    assert status == 403
    assert messages(api, number) == []


def test_the_support_inboxs_copy_is_answered_as_the_support_agent(api, viewer_and_server):
    from chalicelib.mail import compose, mime
    from infra.local.mail_viewer import MailViewer

    viewer, number, server = viewer_and_server
    ticket = api.get(f"/tickets/{number}", ALICE).json
    event = {"id": "e2", "kind": "responded", "actor": "alice@acme.example", "actor_role": "customer", "body": "Hi"}
    [mail] = [
        m
        for m in compose.ticket_mails(event, {**ticket, "created_by": "alice@acme.example"})
        if m.recipient == "support@vendor.example"
    ]

    class Raw:
        id, raw_data, destinations = "m1", mime.to_mime(mail).decode(), [mail.recipient]

    inbox = MailViewer(lambda: [Raw()], inbound=server)
    assert b"Reply as agent@vendor.example" in inbox("GET", "/m1/reply", {}, b"")[2]
    status, _, page = form_post(
        inbox, {"Origin": "http://127.0.0.1:8000"}, token=form_token(inbox), body="On it.\n\n> Hi\n"
    )
    assert status == 200 and b'data-verdict="added"' in page
    assert [(m["author"], m["body"]) for m in messages(api, number)] == [("agent@vendor.example", "On it.")]


def test_the_smtp_server_refuses_recipients_that_are_not_the_portals(viewer_and_server):
    _, _, server = viewer_and_server
    with smtplib.SMTP("127.0.0.1", server.port, timeout=30) as smtp, pytest.raises(smtplib.SMTPRecipientsRefused):
        smtp.sendmail("alice@acme.example", ["bob@acme.example"], b"Subject: x\r\n\r\nx")
