"""A NUL character in a search (it cannot be typed, only sent): refused with a message in the
API, on the results page and in the drop-down, never a database error."""

import pytest

from .factories import family

pytestmark = pytest.mark.django_db


def test_the_api_answers_422_naming_the_query(alice, client, token_of):
    family(alice)
    response = client.get(
        "/api/search", {"q": "RK1038\x00"}, headers={"Authorization": token_of(alice)}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"q": ["Null characters are not allowed."]}


@pytest.mark.parametrize("path", ["/search/", "/search/suggest"])
def test_the_page_and_the_drop_down_say_why(alice, client_of, path):
    family(alice)
    response = client_of(alice).get(path, {"q": "a\x00b"})
    assert response.status_code == 400
    assert "null character" in response.content.decode()


def test_a_search_without_one_still_finds(alice, client_of):
    family(alice)
    assert (
        'href="/customers/RK1038/"'
        in client_of(alice).get("/search/", {"q": "RK1038"}).content.decode()
    )
