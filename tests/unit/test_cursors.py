"""List cursors are opaque, bound to their list, and refuse any alteration."""

import pytest

from chalicelib.core import cursors
from chalicelib.core.errors import Invalid

POSITION = {"pk": {"S": "TICKET#7"}, "sk": {"S": "#TICKET"}}


def test_cursor_round_trips_for_the_same_list():
    assert cursors.decode(cursors.encode(POSITION, "scope-a"), "scope-a") == POSITION


def test_cursor_does_not_show_the_key_in_plain_text():
    assert "TICKET#7" not in cursors.encode(POSITION, "scope-a")


def test_cursor_is_refused_for_another_list():
    with pytest.raises(Invalid, match="cursor is not valid"):
        cursors.decode(cursors.encode(POSITION, "scope-a"), "scope-b")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c + "x",
        lambda c: "x" + c,
        lambda c: c.replace(".", ""),
        lambda c: c.split(".")[0] + ".",
        lambda c: "",
        lambda c: "!!!.???",
    ],
)
def test_altered_cursor_is_refused(mangle):
    with pytest.raises(Invalid):
        cursors.decode(mangle(cursors.encode(POSITION, "s")), "s")
