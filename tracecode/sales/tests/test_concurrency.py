"""Two people change the same order: the second save is refused, never a silent overwrite."""

import pytest

from tracecode.sales.models import Order, Project

from .factories import days, make_customer, make_order, make_project, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(alice):
    return make_order(make_project(make_customer(alice, shared_with=[])), customer_po="PO-1")


NOT_SAVED = "Not saved: someone else saved this record after you opened it."


def edit_data(order, version, **changes):
    data = {
        "version": version,
        "customer_po": order.customer_po,
        "ordered_on": order.ordered_on.isoformat(),
        "delivery_date": order.delivery_date.isoformat(),
        "internal_due_date": order.internal_due_date.isoformat(),
        "currency": order.currency,
        "incoterm": order.incoterm,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-part_number": "SP1003",
        "lines-0-quantity": "1000",
        "lines-0-unit": "pcs",
        "lines-0-unit_price": "2.35",
    }
    data.update(changes)
    return data


def test_the_second_save_in_the_browser_is_refused_with_what_changed(client_of, alice, order):
    client = client_of(alice)
    opened = order.version
    first = client.post(
        f"/sales/orders/{order.code}/edit/",
        edit_data(order, opened, delivery_date=days(40).isoformat()),
    )
    assert first.status_code == 302
    second = client.post(
        f"/sales/orders/{order.code}/edit/", edit_data(order, opened, customer_po="PO-2")
    )
    html = second.content.decode()
    assert second.status_code == 200 and NOT_SAVED in html
    assert (
        "delivery date" in html.lower() and 'value="PO-2"' in html
    )  # what changed; what was typed
    saved = Order.objects.get(pk=order.pk)
    assert saved.customer_po == "PO-1" and saved.delivery_date == days(40)


def test_the_second_save_in_the_api_is_409(client, alice, order, token_of):
    headers = {"Authorization": token_of(alice)}
    url = f"/api/sales/orders/{order.code}"
    first = client.patch(
        url,
        {"version": order.version, "delivery_date": days(40).isoformat()},
        content_type="application/json",
        headers=headers,
    )
    assert first.status_code == 200 and first.json()["version"] == order.version + 1
    second = client.patch(
        url,
        {"version": order.version, "customer_po": "PO-2"},
        content_type="application/json",
        headers=headers,
    )
    body = second.json()["error"]
    assert second.status_code == 409 and body["code"] == "conflict"
    assert "read it again" in body["message"] and "customer_po" in body["fields"]
    assert Order.objects.get(pk=order.pk).customer_po == "PO-1"


def test_a_save_without_a_version_is_refused(client, alice, order, token_of):
    response = client.patch(
        f"/api/sales/orders/{order.code}",
        {"customer_po": "PO-9"},
        content_type="application/json",
        headers={"Authorization": token_of(alice)},
    )
    assert response.status_code == 422


def test_a_move_in_between_makes_the_edit_stale(client_of, alice, order):
    from .factories import move

    opened = order.version
    move(order, "confirm")
    response = client_of(alice).post(
        f"/sales/orders/{order.code}/edit/", edit_data(order, opened, customer_po="PO-2")
    )
    assert NOT_SAVED in response.content.decode()
    assert Order.objects.get(pk=order.pk).customer_po == "PO-1"


def test_projects_are_protected_the_same_way(client_of, alice, order):
    project = order.project
    client = client_of(alice)
    data = {
        "name": "SP1003",
        "received_on": today().isoformat(),
        "channel": "email",
        "quantity_unit": "pcs",
        "currency": "USD",
        "status": "quoting",
    }
    opened = Project.objects.get(pk=project.pk).version
    assert (
        client.post(
            f"/sales/projects/{project.code}/edit/", {**data, "version": opened}
        ).status_code
        == 302
    )
    again = client.post(
        f"/sales/projects/{project.code}/edit/", {**data, "name": "SP1003-B", "version": opened}
    )
    assert NOT_SAVED in again.content.decode()
    assert Project.objects.get(pk=project.pk).name == "SP1003"
