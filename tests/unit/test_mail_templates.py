"""Mail rendering: header-safe titles, escaped HTML, readable text (no AWS)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.mail import templates as t


@pytest.mark.parametrize(
    "separator", ["\r\n", "\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x00", "\u202e"]
)
def test_one_line_turns_every_line_break_and_control_character_into_a_space(separator):
    assert t.one_line(f"Help{separator}Bcc: evil@attacker.example") == "Help Bcc: evil@attacker.example"


def test_one_line_keeps_ordinary_unicode_and_emoji_sequences():
    assert t.one_line("Überlauf im Log 👩\u200d💻 ") == "Überlauf im Log 👩\u200d💻"


def test_one_line_shortens_very_long_text_with_an_ellipsis():
    assert t.one_line("x" * 300, limit=50) == "x" * 49 + "…"


def test_ticket_subject_is_stable_number_and_title_then_re():
    assert t.ticket_subject(1042, "Installer\nstops", first=True) == "[#1042] Installer stops"
    assert t.ticket_subject(1042, "Installer\nstops", first=False) == "Re: [#1042] Installer stops"


def test_what_happened_is_the_first_line_and_the_preheader():
    rendered = t.render(body(happened="Support (a@vendor.example) responded to ticket #7."))
    assert rendered.text.splitlines()[0] == "Support (a@vendor.example) responded to ticket #7."
    preheader = rendered.html.split("<body", 1)[1].split("</div>", 1)[0]
    assert "display:none" in preheader and "responded to ticket #7." in preheader


def body(**overrides: Any) -> t.MailBody:
    fields: dict[str, Any] = dict(
        subject="Re: [#7] <b>Title</b>",
        happened="<b>Someone</b> responded",
        heading="#7 <b>Title</b>",
        lead="Lead & more",
        link='http://portal.test/support/ticket/?n=7&x="y"',
        link_label="View ticket #7",
        quote="<script>alert(1)</script>\nsecond line",
        quote_author="Support (a@vendor.example)",
        changes=[("Title", "<i>new</i>")],
        facts=[("Tags", "Bug")],
        footer="Footer <text>",
    )
    fields.update(overrides)
    return t.MailBody(**fields)


def test_html_part_escapes_every_piece_of_user_text():
    html = t.render(body()).html
    for raw in ("<b>Title</b>", "<b>Someone</b>", "<script>", "<i>new</i>", "Footer <text>", '"y"'):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;i&gt;new&lt;/i&gt;" in html


def test_html_part_needs_no_remote_resources():
    html = t.render(body()).html
    assert "<img" not in html and "<link" not in html and "url(" not in html and "<script" not in html


def test_text_part_quotes_the_response_and_lists_changes_and_the_link():
    text = t.render(body()).text
    assert "Support (a@vendor.example) wrote:\n> <script>alert(1)</script>\n> second line" in text
    assert "What changed:\n  Title: <i>new</i>" in text
    assert 'View ticket #7: http://portal.test/support/ticket/?n=7&x="y"' in text


def test_multi_line_change_is_indented_under_its_label():
    text = t.render(body(changes=[("Description", "line one\nline two")])).text
    assert "  Description:\n    line one\n    line two" in text


def test_status_and_priority_values_read_as_words():
    assert t.field_value("status", "pending") == "Pending (awaiting your reply)"
    assert t.field_value("priority", "urgent") == "Urgent"
    assert t.field_value("tags", ["Bug", "Question"]) == "Bug, Question"


def test_attachments_are_named_with_their_sizes_and_never_attached():
    rendered = t.render(body(attachments=[("install.log", 12_345), ("<img src=x onerror=alert(1)>.png", 3 * 1024**2)]))
    assert "Attached files (open the ticket to download them):" in rendered.text
    assert "  - install.log (12 KB)" in rendered.text
    assert "<img src=x" not in rendered.html
    assert "&lt;img src=x onerror=alert(1)&gt;.png" in rendered.html and "(3.0 MB)" in rendered.html


def test_a_mail_without_attachments_says_nothing_about_files():
    rendered = t.render(body())
    assert "Attached files" not in rendered.text and "Attached files" not in rendered.html


def test_an_events_files_become_the_mails_list():
    event = {"attachments": [{"filename": "install.log", "content_type": "text/plain", "size": 12_345}]}
    assert t.event_files(event) == [("install.log", 12_345)]
    assert t.event_files({}) == []


def test_a_stream_image_of_an_event_gives_its_files_to_the_mail():
    from chalicelib.mail.stream import plain
    from chalicelib.tickets.models import EventItem

    event = EventItem(
        "TICKET#7",
        "EVT#1",
        id="e",
        number=7,
        kind="responded",
        actor="a",
        actor_role="customer",
        at="t",
        attachments=[{"filename": "install.log", "content_type": "text/plain", "size": 12_345}],
    )
    assert t.event_files(plain(event.serialize())) == [("install.log", 12_345)]
