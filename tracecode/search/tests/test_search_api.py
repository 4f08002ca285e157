"""GET /api/search: the same groups and permissions, as JSON."""

import pytest

from .factories import family

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tracecode.search.tests.urls")]


def get(client, user, token_of, **params):
    return client.get("/api/search", params, headers={"Authorization": token_of(user)})


def test_no_token_is_401(client, db):
    response = client.get("/api/search", {"q": "RK1038"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_results_come_grouped_with_counts_and_links(client, alice, token_of):
    family(alice)
    body = get(client, alice, token_of, q="RK1038-1").json()
    assert body["mode"] == "code"
    assert [g["kind"] for g in body["groups"]] == ["project", "order", "document", "mail"]
    project = body["groups"][0]
    assert project["count"] == 1 and project["more"] is False
    assert project["hits"][0] == {
        "kind": "project",
        "code": "RK1038-1",
        "title": "SP1003 stainless steel bracket",
        "text": "",
        "url": project["hits"][0]["url"],
        "date": None,
        "parents": ["RK1038"],
    }


def test_limit_and_kind(client, alice, token_of):
    family(alice)
    body = get(client, alice, token_of, q="RK1038", limit=1, kind="project").json()
    (projects,) = body["groups"]
    assert projects["count"] == 2 and len(projects["hits"]) == 1


def test_bob_gets_nothing_of_alices_customer(client, alice, bob, token_of):
    family(alice)
    for query in ("RK1038", "Nordwerk", "1038-1", "样品已发货"):
        body = get(client, bob, token_of, q=query).json()
        assert body["groups"] == [], query


def test_a_signed_in_browser_session_works_too(client, alice):
    family(alice)
    client.force_login(alice)
    assert client.get("/api/search", {"q": "Nordwerk"}).json()["groups"][0]["kind"] == "customer"


def test_a_limit_out_of_range_is_422(client, alice, token_of):
    response = get(client, alice, token_of, q="RK1038", limit=1000)
    assert response.status_code == 422
    assert "limit" in response.json()["error"]["fields"]


def test_the_query_is_required(client, alice, token_of):
    response = client.get("/api/search", headers={"Authorization": token_of(alice)})
    assert response.status_code == 422
    assert "q" in response.json()["error"]["fields"]
