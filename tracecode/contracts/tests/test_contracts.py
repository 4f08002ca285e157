"""A sales contract per order, numbered by the contract scheme or the order's code, amended by
numbered supplementary contracts, as PDF and Excel, signed by the buyer; its number finds it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from tracecode.codes import registry
from tracecode.codes import services as codes
from tracecode.company import services as company
from tracecode.contracts import services
from tracecode.contracts.models import Contract
from tracecode.customers.models import CustomerShare
from tracecode.sales import services as sales
from tracecode.sales.tests.factories import line, make_customer, make_order, make_project
from tracecode.sales.tests.test_customs_documents import MARGIN_PT, inked, pages

pytestmark = pytest.mark.django_db

WXH = """
[scheme.contract]
label = "Sales contract"
label_zh = "外部销售合同"
pattern = "WXH{entity:3}{YYYY}{MM}{serial:4}"
"""


@pytest.fixture
def order(bob):
    customer = make_customer(bob, name="苏州精工电子有限公司", address="苏州工业园区星湖街 88 号")
    project = make_project(customer, name="SP1003")
    lines = [line(specification="外壳 锌合金压铸 黑色电泳", quantity="1000", price="2.35")]
    return make_order(project, lines=lines, currency="EUR", payment_terms="30% T/T in advance")


def pdf_text(field) -> str:
    import pypdfium2 as pdfium

    with field.open("rb") as handle:
        document = pdfium.PdfDocument(handle.read())
    return " ".join(" ".join(p.get_textpage().get_text_bounded() for p in document).split())


def test_without_a_scheme_the_contract_carries_the_order_code(order, bob):
    contract = services.issue_contract(order, user=bob)
    assert contract.code == order.code
    text = pdf_text(contract.pdf)
    assert "SALES CONTRACT" in text and "销售合同" in text.replace(" ", "")
    assert "苏州精工电子有限公司" in text
    assert "SAY EUROS TWO THOUSAND, THREE HUNDRED AND FIFTY ONLY" in text
    assert order.events.filter(action="contract", data__code=contract.code).exists()


def test_amendments_are_numbered_and_freeze_the_order_as_changed(order, bob):
    contract = services.issue_contract(order, user=bob)
    sales.save_order(
        order, version=order.version, fields=[],
        lines=[line(specification="外壳", quantity="1200", price="2.30")],
    )  # fmt: skip
    first = services.amend_contract(contract, user=bob, changes="Quantity 1,200 at EUR 2.30")
    second = services.amend_contract(contract, user=bob, changes="Delivery two weeks later")
    # The order's own -2 is its second complaint: amendments of an order-code contract say A.
    assert [first.code, second.code] == [f"{order.code}-A1", f"{order.code}-A2"]
    assert "2,760.00" in pdf_text(first.pdf) and "2,350.00" in pdf_text(contract.pdf)
    assert "SUPPLEMENTARY CONTRACT" in pdf_text(second.pdf)


def test_an_administrator_loads_the_wxh_scheme_and_amendments_are_dash_numbered(
    order, bob, administrator
):
    codes.load_scheme_file(WXH, user=administrator)
    company.save_profile({"entity": "SZQ"}, user=administrator)
    contract = services.issue_contract(order, user=bob)
    today = timezone.localdate()
    assert contract.code == f"WXHSZQ{today:%Y%m}0001"
    amendment = services.amend_contract(contract, user=bob, changes="Price EUR 2.30")
    assert amendment.code == f"{contract.code}-1"
    found = registry.find(contract.code, bob)
    assert found.kind.name == "contract" and found.record == contract
    assert registry.find(amendment.code, bob).record == amendment
    assert registry.lineage(amendment)[-2:] == [order.code, contract.code]


def test_a_scheme_needing_the_entity_says_where_to_give_it(order, bob, administrator):
    codes.load_scheme_file(WXH, user=administrator)
    with pytest.raises(ValidationError, match="entity abbreviation in the company profile"):
        services.issue_contract(order, user=bob)
    assert not Contract.objects.exists()


def test_one_contract_per_order(order, bob):
    services.issue_contract(order, user=bob)
    with pytest.raises(ValidationError, match="has its contract already"):
        services.issue_contract(order, user=bob)


def test_the_workbook_holds_numbers(order, bob):
    contract = services.issue_contract(order, user=bob)
    with contract.xlsx.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    first = rows[[r[1] for r in rows].index("Part number") + 1]
    assert first[5] == 1000 and first[7] == pytest.approx(2.35) and first[8] == 2350
    assert any(r[0] == "大写" and r[1] == "欧元贰仟叁佰伍拾元整" for r in rows)


def test_a_signature_is_dated_not_in_the_future(order, bob):
    contract = services.issue_contract(order, user=bob)
    with pytest.raises(ValidationError):
        services.mark_signed(contract, timezone.localdate() + datetime.timedelta(days=1))
    services.mark_signed(contract, timezone.localdate())
    contract.refresh_from_db()
    assert contract.signed_on == timezone.localdate()


def test_the_contract_pages_render_with_chinese_glyphs_inside_the_margins(order, bob):
    contract = services.issue_contract(
        order, user=bob, clauses="争议提交中国国际经济贸易仲裁委员会仲裁。"
    )
    chinese = 0
    for page, text, image in pages(contract.pdf):
        width, _height = page.get_size()
        for index in range(text.count_chars()):
            character = text.get_text_range(index, 1)
            if character.isspace():
                continue
            left, _b, right, _t = text.get_charbox(index)
            assert left >= MARGIN_PT - 1 and right <= width - MARGIN_PT + 1, character
            if "\u4e00" <= character <= "\u9fff":
                chinese += 1
                assert inked(image, text.get_charbox(index))
    assert chinese > 20


# Pages -------------------------------------------------------------------------------------


def test_bob_issues_amends_and_records_the_signature_on_the_pages(order, bob, client_of):
    client = client_of(bob)
    assert "Issue the sales contract" in client.get(order.get_absolute_url()).text
    answer = client.post(f"/contracts/orders/{order.code}/issue/", {"clauses": "Arbitration"})
    contract = Contract.objects.get()
    assert answer.status_code == 302 and answer.url == contract.get_absolute_url()
    client.post(f"/contracts/{contract.code}/amend/", {"changes": "Colour RAL 9005"})
    amendment = contract.amendments.get()
    today = timezone.localdate().isoformat()
    client.post(f"/contracts/amendment/{amendment.code}/signed/", {"signed_on": today})
    page = client.get(contract.get_absolute_url()).text
    assert amendment.code in page and "Colour RAL 9005" in page
    amendment.refresh_from_db()
    assert amendment.signed_on is not None
    pdf = client.get(f"/contracts/contract/{contract.code}/file/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert contract.code in client.get(order.get_absolute_url()).text


def test_alice_cannot_see_or_amend_bobs_contract(order, bob, alice, viewer, client_of):
    contract = services.issue_contract(order, user=bob)
    client = client_of(alice)
    assert client.get(contract.get_absolute_url()).status_code == 404
    assert client.get(f"/contracts/contract/{contract.code}/file/pdf/").status_code == 404
    assert client.post(f"/contracts/{contract.code}/amend/", {"changes": "x"}).status_code == 404
    assert client.post(f"/contracts/orders/{order.code}/issue/").status_code == 404
    CustomerShare.objects.create(customer=order.project.customer, user=viewer)
    reader = client_of(viewer)
    assert reader.get(contract.get_absolute_url()).status_code == 200
    assert reader.post(f"/contracts/{contract.code}/amend/", {"changes": "x"}).status_code == 403
    assert not contract.amendments.exists()


def test_the_contract_page_speaks_chinese(order, bob, client_of):
    contract = services.issue_contract(order, user=bob)
    answer = client_of(bob).get(contract.get_absolute_url(), headers={"accept-language": "zh-hans"})
    assert "销售合同" in answer.text and "补充合同" in answer.text


# API ---------------------------------------------------------------------------------------


def test_the_api_issues_amends_and_signs(order, bob, client, token_of):
    auth = {"Authorization": token_of(bob)}
    created = client.post(
        "/api/contracts/", {"order": order.code}, content_type="application/json", headers=auth
    )
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    amended = client.post(
        f"/api/contracts/{code}/amendments", {"changes": "Price EUR 2.30"},
        content_type="application/json", headers=auth,
    )  # fmt: skip
    assert amended.status_code == 201 and amended.json()["code"] == f"{code}-A1"
    signed = client.put(
        f"/api/contracts/{code}-A1/signature", {"signed_on": timezone.localdate().isoformat()},
        content_type="application/json", headers=auth,
    )  # fmt: skip
    assert signed.status_code == 200 and signed.json()["signed_on"]
    detail = client.get(f"/api/contracts/{code}", headers=auth).json()
    assert detail["amendments"][0]["signed_on"] and detail["total"] == "EUR 2,350.00"
    listed = client.get(f"/api/contracts/?order={order.code}", headers=auth).json()
    assert [c["code"] for c in listed["items"]] == [code]
    empty = client.post(
        f"/api/contracts/{code}/amendments", {"changes": " "},
        content_type="application/json", headers=auth,
    )  # fmt: skip
    assert empty.status_code == 422


def test_the_api_refuses_alice(order, bob, alice, client, token_of):
    contract = services.issue_contract(order, user=bob)
    auth = {"Authorization": token_of(alice)}
    assert client.get(f"/api/contracts/{contract.code}", headers=auth).status_code == 404
    assert client.get("/api/contracts/", headers=auth).json()["items"] == []
    answer = client.post(
        "/api/contracts/", {"order": order.code}, content_type="application/json", headers=auth
    )
    assert answer.status_code == 404
    assert Decimal(Contract.objects.count()) == 1


def test_a_signature_and_its_correction_are_on_the_orders_timeline(
    order, bob, alice, client, client_of, token_of
):
    contract = services.issue_contract(order, user=bob)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    contract.issued_on = yesterday
    contract.save(update_fields=["issued_on"])
    page = client_of(bob)
    page.post(f"/contracts/contract/{contract.code}/signed/", {"signed_on": yesterday.isoformat()})
    auth = {"Authorization": token_of(bob)}
    today = timezone.localdate().isoformat()
    answer = client.put(f"/api/contracts/{contract.code}/signature", {"signed_on": today},
                        content_type="application/json", headers=auth)  # fmt: skip
    assert answer.status_code == 200
    signed = order.events.filter(action="signed").order_by("pk")
    assert [e.data["changes"] for e in signed] == [
        [["signed_on", None, yesterday.isoformat()]],
        [["signed_on", yesterday.isoformat(), today]],
    ]
    assert all(e.by == bob for e in signed)
    assert f"{yesterday.isoformat()} → {today}" in page.get(order.get_absolute_url()).text
    timeline = client.get(f"/api/sales/orders/{order.code}", headers=auth).json()["timeline"]
    assert timeline[-1]["changes"] == [{"field": "signed_on", "old": yesterday.isoformat(),
                                        "new": today}]  # fmt: skip
    refused = client.get(
        f"/api/sales/orders/{order.code}", headers={"Authorization": token_of(alice)}
    )
    assert refused.status_code == 404


def test_clauses_with_control_characters_are_issued_without_them_in_the_sheet(order, bob):
    """The API fuzzer's 500: openpyxl cannot store control characters in a cell."""
    contract = services.issue_contract(
        order, user=bob, clauses="\u0010Arbitration\u001f in Hangzhou"
    )
    assert contract.pk and contract.clauses == "\u0010Arbitration\u001f in Hangzhou"


def test_the_search_shows_a_contract_by_its_project_an_amendment_by_its_changes(order, bob):
    """A contract's number is its order's: after it, the search shows what it sells, not
    the number again."""
    from tracecode.search.services import search

    contract = services.issue_contract(order, user=bob)
    amendment = services.amend_contract(contract, user=bob, changes="Delivery  two weeks later")
    hits = {hit.kind: hit for group in search(bob, order.code).groups for hit in group.hits}
    assert (hits["contract"].code, hits["contract"].title) == (contract.code, "SP1003")
    assert (hits["amendment"].code, hits["amendment"].title) == (
        amendment.code,
        "Delivery two weeks later",
    )
