"""The rate limits' client key: the viewer's address only behind the edge, IPv6 per /64."""

import pytest

from chalicelib.core.http import client_key


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        (" 198.51.100.7 ", "198.51.100.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_viewer_address_is_the_key_behind_the_edge(viewer, expected):
    assert client_key(viewer, "10.0.0.1", trust_viewer=True) == expected


def test_two_addresses_of_one_ipv6_64_are_one_client():
    one = client_key("2001:db8:1:2::1", None, trust_viewer=True)
    other = client_key("2001:db8:1:2:ffff:ffff:ffff:ffff", None, trust_viewer=True)
    assert one == other
    assert client_key("2001:db8:1:3::1", None, trust_viewer=True) != one


def test_viewer_header_is_ignored_when_not_behind_the_edge():
    assert client_key("198.51.100.7", "10.0.0.1", trust_viewer=False) == "10.0.0.1"


@pytest.mark.parametrize("viewer", [None, "", "not-an-address", "198.51.100.7:443", "1.2.3.4, 5.6.7.8"])
def test_a_missing_or_malformed_viewer_address_falls_back_to_the_source(viewer):
    assert client_key(viewer, "10.0.0.1", trust_viewer=True) == "10.0.0.1"


def test_source_ipv6_is_counted_per_64_too():
    assert client_key(None, "2001:db8:9:9::42", trust_viewer=False) == "2001:db8:9:9::/64"


def test_no_usable_address_at_all_is_one_shared_key():
    assert client_key("junk", None, trust_viewer=True) == "unknown"
