"""Threading that survives SES (PRODUCT.md §3): SES replaces every Message-ID, and mail
clients must still show one thread per ticket for each recipient.

The mails the portal sent get SES-style ids, then are threaded the way mail clients do it
(JWZ's algorithm, as Thunderbird, notmuch and mutt use it: References, then In-Reply-To;
a referenced id that no mail carries becomes an empty container that still joins its
children), with nothing but Python's ``email`` package.
"""

from __future__ import annotations

import email
import re
import uuid
from collections import defaultdict
from email.policy import default

from chalicelib.mail import mime
from tests.support.mail import SUPPORT, outbox
from tests.support.users import AGENT, ALICE, BOB

_ID = re.compile(r"<[^<>\s]+>")


def as_ses_sent(raw: bytes) -> email.message.EmailMessage:
    """The mail as its recipient gets it: SES's own Message-ID in place of ours."""
    message = email.message_from_bytes(raw, policy=default)
    del message["Message-ID"]
    message["Message-ID"] = f"<0100018c{uuid.uuid4().hex}-000000@email.amazonses.com>"
    return message


def jwz_threads(messages) -> list[list]:
    """Group messages into threads by References / In-Reply-To (JWZ steps 1 and 2)."""
    parent: dict[str, str | None] = {}

    def link(child: str, new_parent: str | None) -> None:
        if new_parent and parent.get(child) is None and not descends(new_parent, child):
            parent[child] = new_parent

    def descends(node: str, ancestor: str) -> bool:
        while node is not None:
            if node == ancestor:
                return True
            node = parent.get(node)
        return False

    for message in messages:
        own = message["Message-ID"]
        references = _ID.findall(str(message.get("References", "")))
        if not references:
            references = _ID.findall(str(message.get("In-Reply-To", "")))[:1]
        for earlier, later in zip(references, references[1:], strict=False):
            link(later, earlier)
        parent.setdefault(own, None)
        if references:
            parent[own] = references[-1]

    def root(node: str) -> str:
        while parent.get(node) is not None:
            node = parent[node]  # type: ignore[assignment]
        return node

    threads: dict[str, list] = defaultdict(list)
    for message in messages:
        threads[root(message["Message-ID"])].append(message)
    return list(threads.values())


def busy_day(api) -> list[int]:
    """Two tickets with everything that mails: responses, edits, close and re-open."""
    numbers = []
    for title in ("Installer stops at 80 %", "Ключ лицензии не принимается"):
        number = api.new_ticket(ALICE, title=title)["number"]
        api.post(f"/tickets/{number}/followers", ALICE, {"email": BOB.email})
        api.post(f"/tickets/{number}/messages", AGENT, {"body": "Which version?"})
        api.post(f"/tickets/{number}/messages", BOB, {"body": "4.2, on two hosts."})
        version = api.get(f"/tickets/{number}", ALICE).json["version"]
        api.patch(f"/tickets/{number}", ALICE, {"version": version, "tags": ["Bug"]})
        api.post(f"/tickets/{number}/close", AGENT)
        api.post(f"/tickets/{number}/reopen", ALICE)
        numbers.append(number)
    return numbers


def test_each_recipient_sees_one_thread_per_ticket_after_ses_rewrites_every_message_id(api, pump):
    numbers = busy_day(api)
    pump()
    by_recipient = defaultdict(list)
    for mail in outbox():
        by_recipient[mail.to].append(as_ses_sent(mail.message.as_bytes()))
    assert set(by_recipient) == {ALICE.email, BOB.email, SUPPORT}
    for recipient, messages in by_recipient.items():
        threads = jwz_threads(messages)
        tickets_per_thread = [{m["X-Portal-Ticket"] for m in thread} for thread in threads]
        assert sorted(tickets_per_thread) == sorted({str(n)} for n in numbers), recipient


def test_subjects_are_stable_per_ticket_and_what_happened_leads_the_text(api, pump):
    numbers = busy_day(api)
    pump()
    for number in numbers:
        mails = [m for m in outbox() if m.message["X-Portal-Ticket"] == str(number)]
        title = api.get(f"/tickets/{number}", ALICE).json["title"]
        created = [m for m in mails if not m.subject.startswith("Re: ")]
        assert {m.subject for m in created} == {f"[#{number}] {title}"}
        assert sorted(m.to for m in created) == [ALICE.email, SUPPORT], "only the first mail is not a Re:"
        assert {m.subject for m in mails} - {m.subject for m in created} == {f"Re: [#{number}] {title}"}
        for mail in mails:
            first_line = mail.text.splitlines()[0]
            assert f"#{number}" in first_line and first_line.endswith("."), first_line


def test_the_thread_root_is_never_a_message_id_of_any_mail(api, pump):
    busy_day(api)
    pump()
    ids = {m.message["Message-ID"] for m in outbox()}
    roots = {m.message["References"] for m in outbox()}
    assert roots == {mime.thread_root(f"ticket-{n}") for n in (1, 2)}
    assert not roots & ids and len(ids) == len(outbox())
