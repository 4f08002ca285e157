"""The results page and the header drop-down."""

import pytest

from .factories import entry, family

pytestmark = pytest.mark.django_db


def test_the_results_page_shows_each_group_with_its_count(alice, client_of):
    family(alice)
    response = client_of(alice).get("/search/", {"q": "RK1038"})
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Customers", "Projects", "Orders", "Documents", "Mails"):
        assert label in page
    assert 'id="group-project"' in page
    assert 'href="/customers/RK1038/"' in page
    assert "Everything filed under the code RK1038" in page


def test_a_group_with_more_than_shown_links_to_all_of_its_kind(alice, client_of):
    nordwerk = family(alice)
    for n in range(25):
        entry("mail", "RK1038-1", f"Re: question {n}", nordwerk)
    page = client_of(alice).get("/search/", {"q": "question"}).content.decode()
    assert "Show all 25: Mails" in page
    assert "?q=question&amp;kind=mail" in page
    one_kind = client_of(alice).get("/search/", {"q": "question", "kind": "mail"})
    assert one_kind.content.decode().count('class="list-group-item list-group-item-action') == 25


def test_the_empty_state_says_what_to_try(alice, client_of):
    page = client_of(alice).get("/search/", {"q": "flux capacitor"}).content.decode()
    assert "Results for “flux capacitor”" in page and "Nothing found." in page
    assert 'id="search-empty"' in page


def test_the_page_without_a_query_explains_the_search(alice, client_of):
    response = client_of(alice).get("/search/")
    assert response.status_code == 200
    assert "part of a code (888-6)" in response.content.decode()


def test_the_drop_down_lists_the_first_hits_and_a_link_to_all(alice, client_of):
    family(alice)
    page = client_of(alice).get("/search/suggest", {"q": "RK1038-1"}).content.decode()
    assert 'role="listbox"' in page
    assert page.count('role="option"') == 5  # project, order, document, mail, all results
    assert 'href="/search/?q=RK1038-1"' in page


def test_the_drop_down_says_when_nothing_is_found(alice, client_of):
    page = client_of(alice).get("/search/suggest", {"q": "zz"}).content.decode()
    assert "Nothing found." in page


def test_the_drop_down_is_empty_without_a_query(alice, client_of):
    assert client_of(alice).get("/search/suggest", {"q": " "}).content.decode().strip() == ""


def test_bob_sees_nothing_of_alices_customer_on_the_page(alice, bob, client_of):
    family(alice)
    page = client_of(bob).get("/search/", {"q": "RK1038"}).content.decode()
    assert "Nordwerk" not in page and "RK1038-1" not in page
    assert "Nothing found" in page


def test_searching_needs_a_sign_in(client, db):
    assert client.get("/search/", {"q": "RK1038"}).status_code == 302
    assert client.get("/search/suggest", {"q": "RK1038"}).status_code == 302


def test_the_page_speaks_chinese(alice, client_of):
    family(alice)
    client = client_of(alice)
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/search/", {"q": "RK1038"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
