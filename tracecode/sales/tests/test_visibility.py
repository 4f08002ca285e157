"""Bob sees nothing of Alice's customers' sales; a viewer sees what is shared, changes nothing."""

import pytest

from tracecode.sales import services

from .factories import make_customer, make_order, make_project, order_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def order(alice, viewer):
    customer = make_customer(alice, name="Lyon Précision Médicale SARL", shared_with=[viewer])
    return order_in("confirmed", make_project(customer, name="MED-220"))


def urls(order, document, complaint):
    project = order.project
    return [
        f"/sales/projects/{project.code}/",
        f"/sales/orders/{order.code}/",
        f"/everything/{order.code}/",
        f"/everything/{project.customer.code}/",
        f"/sales/documents/{document.pk}/pdf/",
        f"/sales/complaints/{complaint.number}/",
    ]


def extras(order, alice):
    document = services.generate_document(order, "PI", user=alice)
    complaint = services.open_complaint(
        order, user=alice, values={"content": "Scratches", "severity": "minor"}
    )
    return document, complaint


def test_bob_gets_404_for_everything_of_alices_customer(client_of, alice, bob, order):
    document, complaint = extras(order, alice)
    client = client_of(bob)
    for url in urls(order, document, complaint):
        assert client.get(url).status_code == 404, url
    for page in ["/sales/", "/sales/projects/", "/sales/complaints/?show=all"]:
        assert order.code not in client.get(page).content.decode()


def test_bob_gets_404_in_the_api(client, alice, bob, order, token_of):
    headers = {"Authorization": token_of(bob)}
    for path in [
        f"orders/{order.code}",
        f"projects/{order.project.code}",
        f"everything/{order.code}",
    ]:
        assert client.get(f"/api/sales/{path}", headers=headers).status_code == 404, path
    moved = client.post(
        f"/api/sales/orders/{order.code}/moves/start_production",
        {},
        content_type="application/json",
        headers=headers,
    )
    assert moved.status_code == 404
    listed = client.get("/api/sales/orders", headers=headers).json()
    assert listed["count"] == 0


def test_bob_cannot_move_alices_order_in_the_browser(client_of, bob, order):
    response = client_of(bob).post(
        f"/sales/orders/{order.code}/move/cancel/", {"cancel-cancel_reason": "x"}
    )
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.state == "confirmed"


def test_a_viewer_sees_a_shared_order_and_changes_nothing(
    client_of, viewer, alice, order, client, token_of
):
    document, complaint = extras(order, alice)
    browser = client_of(viewer)
    for url in urls(order, document, complaint):
        assert browser.get(url).status_code == 200, url
    assert (
        browser.post(
            f"/sales/orders/{order.code}/move/cancel/", {"cancel-cancel_reason": "x"}
        ).status_code
        == 403
    )
    assert (
        browser.post(f"/sales/orders/{order.code}/payments/", {"amount": "10"}).status_code == 403
    )
    api = client.post(
        f"/api/sales/orders/{order.code}/moves/cancel",
        {"cancel_reason": "x"},
        content_type="application/json",
        headers={"Authorization": token_of(viewer)},
    )
    assert api.status_code == 403
    order.refresh_from_db()
    assert order.state == "confirmed"


def test_bob_cannot_enter_an_order_under_alices_project(client_of, bob, order):
    response = client_of(bob).get(f"/sales/projects/{order.project.code}/orders/new/sample/")
    assert response.status_code == 404


def test_a_shared_customer_is_open_to_bob(client_of, alice, bob):
    customer = make_customer(alice, shared_with=[bob])
    order = make_order(make_project(customer))
    assert client_of(bob).get(f"/sales/orders/{order.code}/").status_code == 200
