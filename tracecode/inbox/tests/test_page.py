"""Administrators see every file the watched folder received; nobody else does."""

import pytest

from tracecode.files.tests.factories import pdf
from tracecode.inbox import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanned(inbox, order):
    (inbox / f"{order.code} inspection report.pdf").write_bytes(pdf())
    (inbox / "scan0042.pdf").write_bytes(pdf("no code"))
    return services.scan()


def test_an_administrator_sees_what_came_in_and_where_it_went(client_of, administrator, scanned):
    page = client_of(administrator).get("/inbox/").content.decode()
    filed, failed = scanned.filed[0], scanned.failed[0]
    assert filed.name in page and f"filed/{filed.name}" in page
    assert failed.name in page and f"failed/{failed.name}" in page
    assert "No code in the name" in page
    assert filed.stored_file.stored_name in page


def test_the_list_filters_by_outcome(client_of, administrator, scanned):
    page = client_of(administrator).get("/inbox/?outcome=failed").content.decode()
    assert "scan0042.pdf" in page and "inspection report.pdf" not in page


def test_the_menu_shows_it_to_administrators_only(client_of, administrator, alice):
    assert 'href="/inbox/"' in client_of(administrator).get("/").content.decode()
    assert 'href="/inbox/"' not in client_of(alice).get("/").content.decode()


@pytest.mark.parametrize("who", ["alice", "manager", "viewer"])
def test_other_users_get_404(client_of, request, who, scanned):
    user = request.getfixturevalue(who)
    assert client_of(user).get("/inbox/").status_code == 404


def test_the_api_lists_them_for_administrators_only(
    client, administrator, alice, scanned, token_of
):
    response = client.get(
        "/api/inbox/?outcome=failed", headers={"Authorization": token_of(administrator)}
    )
    [item] = response.json()
    assert (item["name"], item["problem"], item["moved_to"]) == (
        "scan0042.pdf", "no_code", "failed/scan0042.pdf",
    )  # fmt: skip
    hidden = client.get("/api/inbox/", headers={"Authorization": token_of(alice)})
    assert hidden.status_code == 404
