"""Sales bodies that are not the documented object are refused and change nothing."""

import json

import pytest

from tracecode.sales import services

from .factories import make_customer, make_order, make_project, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(client, token_of):
    def call(user, method, path, body):
        return getattr(client, method)(
            f"/api/sales{path}",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": token_of(user)},
        )

    return call


@pytest.fixture
def complaint(alice):
    order = move(make_order(make_project(make_customer(alice))), "confirm")
    return services.open_complaint(order, user=alice, values={"content": "Burrs on the edge"})


@pytest.mark.parametrize("body", [[1, 2], ["severity", "minor"], 7, None])
def test_a_complaint_patched_with_anything_but_an_object_is_422(send, alice, complaint, body):
    response = send(alice, "patch", f"/complaints/{complaint.number}", body)
    assert response.status_code == 422, response.content
    complaint.refresh_from_db()
    assert complaint.content == "Burrs on the edge" and complaint.severity == "major"


def test_an_order_line_that_is_not_an_object_is_422(send, alice):
    project = make_project(make_customer(alice))
    body = {"project": project.code, "kind": "sample", "lines": [42]}
    response = send(alice, "post", "/orders", body)
    assert response.status_code == 422
    assert "lines.0" in response.json()["error"]["fields"]
    assert not project.orders.exists()


def test_a_null_character_in_a_code_is_422_not_a_database_error(send, alice):
    response = send(alice, "post", "/projects", {"customer": "RK001\x00", "name": "SP1003"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"customer": ["Null characters are not allowed."]}
