"""Printing labels: the order, its cartons, a customer's lot and a filed drawing, on a 60 × 40
roll or an A4 sheet of 3 × 8, each read back by a barcode decoder as a scanner would."""

from decimal import Decimal

import pytest

from tracecode.files import services as files
from tracecode.files.tests.factories import pdf, upload
from tracecode.sales import services
from tracecode.sales.tests.factories import make_order

from .helpers import decoded, page_count, page_text

pytestmark = pytest.mark.django_db


def test_the_carton_page_offers_one_label_per_carton_of_the_lines(client_of, alice, order):
    response = client_of(alice).get(f"/labels/cartons/{order.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="count" value="12"' in page
    assert f"{order.code}</span> · <strong>Carton 箱 1/12</strong>" in page
    assert "12 labels in all." in page


def test_carton_labels_on_a_roll_are_one_page_each_and_scan_to_the_order(client_of, alice, order):
    response = client_of(alice).get(
        f"/labels/cartons/{order.code}/pdf", {"size": "roll", "count": "12"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert page_count(response.content) == 12
    first = page_text(response.content, 0)
    assert order.code in first and "Carton 箱 1/12" in first and "SP1003" in first
    assert "PO NW-4500125530" in first and "ZAMAK 5 die-cast" in first
    # Cartons 11 and 12 hold the gasket line.
    assert "Carton 箱 11/12" in page_text(response.content, 10)
    assert "SP1004 Gasket EPDM" in page_text(response.content, 10)
    assert decoded(response.content)[0] == [
        ("Code128", order.code),
        ("QRCode", f"http://testserver/go/{order.code}"),
    ]


def test_another_number_of_cartons_can_be_given_when_printing(client_of, alice, order):
    response = client_of(alice).get(
        f"/labels/cartons/{order.code}/pdf", {"size": "roll", "count": "20"}
    )
    assert page_count(response.content) == 20
    last = page_text(response.content, 19)
    assert "Carton 箱 20/20" in last and "SP1003, SP1004" in last


def test_an_a4_sheet_holds_24_labels_and_can_start_on_a_used_sheet(client_of, alice, order):
    client = client_of(alice)
    full = client.get(f"/labels/cartons/{order.code}/pdf", {"size": "a4", "count": "24"})
    assert page_count(full.content) == 1
    assert len(decoded(full.content)[0]) == 48  # 24 QR codes and 24 barcodes
    later = client.get(
        f"/labels/cartons/{order.code}/pdf", {"size": "a4", "count": "24", "start": "20"}
    )
    sheets = decoded(later.content)
    assert [len(codes) // 2 for codes in sheets] == [5, 19]


def test_the_order_label_names_the_kind_and_what_is_inside(client_of, alice, project):
    sample = make_order(project, "sample", user=alice, customer_po="NW-1")
    response = client_of(alice).get(
        f"/labels/order/{sample.code.lower()}/pdf", {"size": "roll", "count": "2"}
    )
    assert page_count(response.content) == 2
    text = page_text(response.content)
    assert sample.code in text and "Sample order 样品订单" in text
    assert "SP1003 1,000 pcs" in text


def test_a_customer_supplied_lot_has_its_label(client_of, alice, project):
    order = make_order(project, "processing", user=alice)
    services.save_bom(
        order,
        [{"part_number": "PCB-7731", "description": "裸板(客供)",
          "quantity_per_unit": Decimal(1), "unit": "pcs", "supplied_by": "customer"}],
    )  # fmt: skip
    lot = services.receive_material(
        order,
        user=alice,
        values={"bom_line": order.bom_lines.get(), "lot_number": "SZ-2611-0042",
                "quantity": Decimal(2000)},
    )  # fmt: skip
    client = client_of(alice)
    assert f"/labels/lot/{lot.pk}/" in client.get(order.get_absolute_url()).content.decode()
    response = client.get(f"/labels/lot/{lot.pk}/pdf", {"size": "roll", "count": "1"})
    text = page_text(response.content)
    assert "Lot 批号 SZ-2611-0042" in text and "PCB-7731" in text and "裸板(客供)" in text
    assert "IQC pending 待检" in text.replace("待 检", "待检")  # wrapped at the label's edge
    assert ("Code128", order.code) in decoded(response.content)[0]


def test_a_drawing_revision_has_its_label(client_of, alice, project):
    for _version in (1, 2):
        drawing = files.store(
            project,
            upload("SP1003 housing.pdf", pdf(f"rev {_version}")),
            user=alice,
            document_type="Drawing",
        )
    client = client_of(alice)
    page = client.get(project.get_absolute_url()).content.decode()
    assert f"/labels/file/{drawing.pk}/" in page
    response = client.get(f"/labels/file/{drawing.pk}/pdf", {"size": "a4", "count": "3"})
    text = page_text(response.content)
    assert "Drawing 图纸 v2" in text and "SP1003 housing.pdf" in text
    assert decoded(response.content)[0].count(("Code128", project.code)) == 3


def test_the_order_page_offers_the_order_and_carton_labels(client_of, alice, order):
    page = client_of(alice).get(order.get_absolute_url()).content.decode()
    assert f'href="/labels/order/{order.code}/">Order label</a>' in page
    assert f'href="/labels/cartons/{order.code}/">Carton labels</a>' in page


@pytest.mark.parametrize(
    "query, field",
    [
        ({"size": "roll", "count": "0"}, "count"),
        ({"size": "roll", "count": "501"}, "count"),
        ({"size": "roll", "count": "many"}, "count"),
        ({"size": "A3", "count": "1"}, "size"),
        ({"size": "a4", "count": "1", "start": "25"}, "start"),
    ],
)
def test_bad_input_is_shown_on_the_print_page(client_of, alice, order, query, field):
    response = client_of(alice).get(f"/labels/cartons/{order.code}/pdf", query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors[field]


def test_bob_gets_404_for_every_label_of_alices_records(client_of, alice, bob, order, project):
    drawing = files.store(project, upload("a.pdf", pdf()), user=alice, document_type="Drawing")
    client = client_of(bob)
    for path in (
        f"/labels/order/{order.code}/",
        f"/labels/cartons/{order.code}/pdf?size=roll&count=1",
        f"/labels/file/{drawing.pk}/",
        f"/labels/file/{drawing.pk}/pdf?size=roll&count=1",
    ):
        assert client.get(path).status_code == 404, path


def test_unknown_sources_records_and_kinds_answer_404(client_of, alice, order, project):
    client = client_of(alice)
    assert client.get(f"/labels/stickers/{order.code}/").status_code == 404
    assert client.get("/labels/cartons/RK9999-1-M1/").status_code == 404
    assert client.get(f"/labels/cartons/{project.code}/").status_code == 404  # not an order
    assert client.get("/labels/file/999999/").status_code == 404
    assert client.get("/labels/lot/not-a-number/").status_code == 404


def test_the_labels_ask_for_sign_in(client, order):
    response = client.get(f"/labels/cartons/{order.code}/pdf?size=roll&count=1")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
