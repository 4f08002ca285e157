"""The sales pages as a merchandiser uses them, in English and Chinese."""

import pytest
from django.urls import reverse

from tracecode.sales.models import Order, Project

from .factories import days, make_customer, make_order, make_project, order_in, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def customer(alice):
    return make_customer(
        alice,
        name="Nordwerk Automotive GmbH",
        packaging_requirements="VDA returnable boxes",
        payment_requirements="Net 60 days after invoice",
    )


def test_a_new_enquiry_gets_the_next_project_code(client_of, alice, customer):
    response = client_of(alice).post(
        "/sales/projects/new/",
        {
            "customer": customer.code,
            "name": "SP1003",
            "received_on": today().isoformat(),
            "channel": "email",
            "quantity_unit": "pcs",
            "currency": "EUR",
            "target_quantity": "20000",
        },
    )
    project = Project.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/sales/projects/{project.code}/"
    )
    assert project.code == f"{customer.code}-1" and project.created_by == alice


def test_a_form_with_errors_keeps_what_was_typed(client_of, alice, customer):
    page = client_of(alice).post(
        "/sales/projects/new/",
        {
            "customer": customer.code,
            "name": "SP1003 housing",
            "target_quantity": "-3",
            "currency": "EUR",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200 and Project.objects.count() == 0
    assert 'value="SP1003 housing"' in html and "The quantity must be more than zero." in html


def test_an_order_form_is_prefilled_from_the_customer(client_of, alice, customer):
    project = make_project(customer)
    html = client_of(alice).get(f"/sales/projects/{project.code}/orders/new/mass/").content.decode()
    assert "VDA returnable boxes" in html and "Net 60 days after invoice" in html


def test_entering_an_order_with_lines(client_of, alice, customer):
    project = make_project(customer)
    data = {
        "ordered_on": today().isoformat(),
        "delivery_date": days(45).isoformat(),
        "currency": "EUR",
        "incoterm": "FCA",
        "incoterm_place": "Shanghai",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-part_number": "SP1003",
        "lines-0-quantity": "200",
        "lines-0-unit": "pcs",
        "lines-0-unit_price": "2.35",
        "lines-1-part_number": "",
        "lines-1-unit": "pcs",
    }
    response = client_of(alice).post(f"/sales/projects/{project.code}/orders/new/sample/", data)
    order = Order.objects.get()
    assert response["Location"] == f"/sales/orders/{order.code}/"
    assert order.code.endswith("-S1") and str(order.total) == "470.00"


def test_the_order_page_shows_the_next_steps_and_the_timeline(client_of, alice, customer):
    order = order_in("confirmed", make_project(customer))
    html = client_of(alice).get(f"/sales/orders/{order.code}/").content.decode()
    assert "Start production" in html and "“Stock checked” is not done" in html
    assert "Order entered" in html and "Confirm order" in html


def test_an_illegal_move_is_refused_with_a_message(client_of, alice, customer):
    order = order_in("cancelled", make_project(customer))
    client = client_of(alice)
    response = client.post(f"/sales/orders/{order.code}/move/ship/", follow=True)
    assert (
        "is cancelled: “Ship” is only possible when it is ready to ship."
        in response.content.decode()
    )
    assert Order.objects.get(pk=order.pk).state == "cancelled"


def test_a_move_with_bad_input_shows_its_form_again(client_of, alice, customer):
    order = order_in("ready", make_project(customer))
    response = client_of(alice).post(
        f"/sales/orders/{order.code}/move/ship/",
        {
            "ship-carrier": "Maersk",
            "ship-etd": days(0).isoformat(),
            "ship-eta": days(-1).isoformat(),
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "The ETA must be after the ETD." in html and 'value="Maersk"' in html


def test_shipping_through_the_page(client_of, alice, customer):
    order = order_in("ready", make_project(customer))
    client_of(alice).post(
        f"/sales/orders/{order.code}/move/ship/",
        {
            "ship-carrier": "Maersk",
            "ship-tracking_number": "MAEU1234567",
            "ship-etd": today().isoformat(),
            "ship-eta": days(28).isoformat(),
            "ship-eta_told_on": today().isoformat(),
            "ship-note": "ETA mailed to Mr. Becker",
        },
    )
    order.refresh_from_db()
    assert order.state == "shipped" and order.tracking_number == "MAEU1234567"


def test_the_order_list_filters_by_status_customer_and_overdue(client_of, alice, customer):
    project = make_project(customer)
    shipped = order_in("shipped", project, payment_due_on=today())
    Order.objects.filter(pk=shipped.pk).update(payment_due_on=days(-3))
    draft = make_order(project)
    client = client_of(alice)
    overdue = client.get("/sales/?overdue=on").content.decode()
    assert shipped.code in overdue and draft.code not in overdue
    drafts = client.get("/sales/?state=draft").content.decode()
    assert draft.code in drafts and shipped.code not in drafts
    other = client.get("/sales/?customer=RK999").content.decode()
    assert shipped.code not in other


def test_pages_speak_chinese(client_of, alice, customer):
    order = order_in("confirmed", make_project(customer))
    client = client_of(alice)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    for url in ["/sales/", f"/sales/orders/{order.code}/", f"/everything/{customer.code}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="zh-hans"' in response.content.decode()


def test_every_page_answers(client_of, alice, customer):
    project = make_project(customer)
    order = order_in("arrived", project)
    client = client_of(alice)
    urls = [
        reverse("sales:orders"),
        reverse("sales:projects"),
        reverse("sales:complaints"),
        reverse("sales:project_create"),
        reverse("sales:project", args=[project.code]),
        reverse("sales:project_edit", args=[project.code]),
        reverse("sales:quotation_create", args=[project.code]),
        reverse("sales:order", args=[order.code]),
        reverse("sales:order_edit", args=[order.code]),
        reverse("sales:complaint_create", args=[order.code]),
        reverse("records:everything", args=[order.code]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_code_link_renders_any_code_as_a_link_to_everything_about_it():
    from django.template import Context, Template

    html = Template("{% load sales %}{{ code|code_link }}").render(Context({"code": "RK888-6-S1"}))
    assert html == '<a class="code" href="/everything/RK888-6-S1/">RK888-6-S1</a>'
    evil = Template("{% load sales %}{{ code|code_link }}").render(Context({"code": "<b>"}))
    assert "<b>" not in evil
    slash = Template("{% load sales %}{{ code|code_link }}").render(Context({"code": "A/1"}))
    assert slash == '<span class="code">A/1</span>'
