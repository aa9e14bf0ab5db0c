"""Text search and tag filters read on until a page is full (PRODUCT.md §3.4): never an empty
page while matches remain further on."""

from tests.support.users import AGENT, ALICE
from tests.support.workspace import write_tickets


def test_a_word_in_5_of_2000_descriptions_is_found_on_the_first_page(api):
    words = {17, 420, 999, 1500, 1984}
    write_tickets(2_000, description=lambda n: "Kerberos login loops." if n in words else "It fails.")
    response = api.get("/tickets?q=kerberos", AGENT)
    assert response.status_code == 200, response.body
    assert [t["number"] for t in response.json["items"]] == sorted(words, reverse=True)
    assert response.json["next_cursor"] is None
    customer = api.get("/tickets?q=KERBEROS", ALICE).json  # acme holds the odd numbers
    assert [t["number"] for t in customer["items"]] == sorted((n for n in words if n % 2), reverse=True)


def test_a_rare_tag_is_found_on_the_first_page_too(api):
    write_tickets(2_000, tags=lambda n: ["Question"] if n == 3 else ["Bug"])
    response = api.get("/tickets?tag=Question", AGENT)
    assert [t["number"] for t in response.json["items"]] == [3]
