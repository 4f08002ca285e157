"""PI, CI and PL: numbered with the order's code, PDF and Excel, every version kept."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from openpyxl import load_workbook
from pypdf import PdfReader

from tracecode.core import pdf
from tracecode.sales import documents, services
from tracecode.sales.documents import DocumentError
from tracecode.sales.models import Document, Order

from .factories import line, make_customer, make_order, make_project, order_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def order(bob):
    customer = make_customer(bob, name="苏州精工电子有限公司")
    project = make_project(customer, name="SP1003")
    lines = [
        line(
            specification="外壳 锌合金压铸 黑色电泳",
            cartons=4,
            net_weight="80",
            gross_weight="86.5",
        )
    ]
    return make_order(project, lines=lines, customer_po="PO-2026-0815")


def pdf_text(field) -> str:
    with field.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_a_pi_is_numbered_with_the_order_code_and_renders_chinese_as_text(order, bob):
    document = services.generate_document(order, "PI", user=bob)
    assert document.number == order.code and document.version == 1
    text = pdf_text(document.pdf)
    assert "PROFORMA INVOICE" in text and order.code in text
    assert "苏州精工电子有限公司" in text  # glyphs, not boxes: the text comes back out
    assert "瑞科精密零件有限公司" in text  # the letterhead's Chinese name
    assert "外壳 锌合金压铸" in text
    assert "2,350.00" in text and "SWIFT" in text  # the total and the bank details


def test_documents_are_stored_in_the_client_folder_framework(order, bob):
    document = services.generate_document(order, "PI", user=bob)
    customer, project = order.project.customer, order.project
    folder = f"{customer.code} {customer.company_name}/{project.code} {project.name}/{order.code}"
    day = document.issued_on.isoformat()
    assert document.pdf.name == f"{folder}/PI/{order.code} PI {day}.pdf"
    assert document.xlsx.name == f"{folder}/PI/{order.code} PI {day}.xlsx"
    second = services.generate_document(order, "PI", user=bob)
    assert second.pdf.name == f"{folder}/PI/{order.code} PI {day} v2.pdf"


def test_a_regenerated_document_is_a_new_version_and_the_old_one_stays(order, bob):
    first = services.generate_document(order, "PI", user=bob)
    second = services.generate_document(order, "PI", user=bob)
    assert (first.version, second.version) == (1, 2)
    assert first.pdf.storage.exists(first.pdf.name) and second.pdf.name != first.pdf.name
    assert list(order.documents.values_list("version", flat=True)) == [2, 1]


def test_the_workbook_holds_the_lines(order, bob):
    document = services.generate_document(order, "PI", user=bob)
    with document.xlsx.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert order.code in values and "SP1003" in values and "瑞科精密零件有限公司" in values


def test_ci_and_pl_wait_until_the_goods_are_ready(order, bob):
    with pytest.raises(ValidationError, match="ready to ship"):
        services.generate_document(order, "CI", user=bob)
    order = order_in(
        "shipped",
        order.project,
        user=bob,
        lines=[line(cartons=2, net_weight="40", gross_weight="43")],
    )
    packing = services.generate_document(order, "PL", user=bob)
    text = pdf_text(packing.pdf)
    assert "PACKING LIST" in text and "DHL Express" in text and "43" in text
    invoice = services.generate_document(order, "CI", user=bob)
    assert "COMMERCIAL INVOICE" in pdf_text(invoice.pdf)


def test_a_cancelled_order_gets_no_documents(order, bob):
    order = order_in("cancelled", order.project, user=bob)
    with pytest.raises(ValidationError, match="cancelled"):
        services.generate_document(order, "PI", user=bob)


def test_a_pdf_that_fails_to_render_leaves_the_order_intact_and_says_why(order, bob, monkeypatch):
    before = Order.objects.filter(pk=order.pk).values().get()
    events = order.events.count()

    def broken(html):
        raise OSError("font cache is not writable")

    monkeypatch.setattr(documents, "render_pdf", broken)
    with pytest.raises(DocumentError) as failed:
        services.generate_document(order, "PI", user=bob)
    assert str(failed.value) == "The PI could not be rendered as PDF: font cache is not writable"
    assert Document.objects.count() == 0
    assert Order.objects.filter(pk=order.pk).values().get() == before
    assert order.events.count() == events


@override_settings(COMPANY_LOGO="")
def test_without_a_logo_the_company_name_heads_the_page(order):
    assert pdf.logo_data_uri() == ""


def test_a_configured_logo_is_inlined(tmp_path, settings):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    settings.COMPANY_LOGO = str(logo)
    assert pdf.logo_data_uri().startswith("data:image/svg+xml;base64,")


def test_a_quotation_revision_keeps_its_pdf(order, bob):
    import datetime

    quotation = services.create_quotation(
        order.project,
        user=bob,
        values={
            "valid_until": datetime.date(2026, 12, 31),
            "currency": "USD",
            "incoterm": "FOB",
            "lead_time": "25 days",
        },
        lines=[
            {
                "item": "SP1003",
                "specification": "锌合金",
                "quantity": 1000,
                "unit": "pcs",
                "unit_price": "2.35",
            },
            {
                "item": "SP1003",
                "specification": "锌合金",
                "quantity": 5000,
                "unit": "pcs",
                "unit_price": "2.10",
            },
        ],
    )
    first = services.issue_quotation(quotation, user=bob)
    second = services.issue_quotation(quotation, user=bob)
    assert (first.number, second.number) == (1, 2)
    quotation.refresh_from_db()
    assert quotation.status == "sent"
    text = pdf_text(first.pdf)
    assert "QUOTATION" in text and quotation.code in text and "2.10" in text and "5,000" in text
