"""PI, CI and PL as customs and buyers want them: the buyer's address and attention, consignee
and notify party, ports, HS code and origin per line (the part's when the line names one),
cartons with sizes and volume, shipping marks, the notes, the total in words, the bank account
of the document's currency; the workbook's figures are numbers. The PDF pages are looked at as
pictures: rendered, Chinese glyphs inked, nothing beyond the page's margins."""

import io
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from tracecode.company.models import BankAccount
from tracecode.company.tests.translations import install_pending
from tracecode.core.amounts import in_chinese, in_words
from tracecode.customers.tests.factories import new_contact
from tracecode.registers.tests.factories import make_part
from tracecode.sales import services
from tracecode.sales.shipping import save_shipping

from .factories import line, make_customer, make_order, make_project, move

pytestmark = pytest.mark.django_db

LONG_SPEC = "压铸外壳 " + "ZincDieCastHousingWithBlackElectrophoreticCoating" * 3


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    install_pending()
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def order(bob):
    customer = make_customer(
        bob, name="Nordwerk Automotive GmbH", address="Industriestr. 12\n70565 Stuttgart",
        country="DE",
    )  # fmt: skip
    contact = new_contact(customer, bob, name="Jonas Weber", email="jonas@nordwerk.example")
    part = make_part(customer, "NW-7731", "Pump housing", hs_code="8413910000", origin="CN")
    project = make_project(customer, name="Pump housings")
    lines = [
        line(part="NW-7731", quantity="1000", price="12.50", cartons=10, net_weight="180",
             gross_weight="195.5", carton_length="60", carton_width="40", carton_height="30"),
        line(part="BRK-200", quantity="500", price="3.20", specification=LONG_SPEC, cartons=5,
             net_weight="40", gross_weight="44", hs_code="7616999000", origin="CN",
             carton_length="40", carton_width="30", carton_height="20"),
    ]  # fmt: skip
    order = make_order(
        project, lines=lines, currency="EUR", payment_terms="30% T/T in advance, 70% before "
        "shipment", notes="Please quote our PO on every carton.",
    )  # fmt: skip
    assert order.lines.first().part == part  # linked by the customer's part number
    return save_shipping(
        order,
        {"attention": contact, "consignee": "Nordwerk Logistics\nHafenstr. 3, Hamburg",
         "notify_party": "Kühne + Nagel Hamburg", "port_of_loading": "Shanghai",
         "port_of_destination": "Hamburg", "shipping_marks": "NORDWERK\nPO 4711\nC/NO. 1-15"},
        user=bob,
    )  # fmt: skip


def pdf_text(field) -> str:
    with field.open("rb") as handle:
        document = pdfium.PdfDocument(handle.read())
    text = " ".join(page.get_textpage().get_text_bounded() for page in document)
    return " ".join(text.split())  # lines wrap where the layout wraps them


def test_the_pi_addresses_the_buyer_and_prints_the_eur_account(order, bob):
    BankAccount.objects.create(
        currency="EUR", bank_name="Bank of China Frankfurt", account_number="DE12500105170648"
    )
    BankAccount.objects.create(currency="USD", bank_name="BOC Nanjing", account_number="USD-99")
    text = pdf_text(services.generate_document(order, "PI", user=bob).pdf)
    assert "Industriestr. 12" in text and "Germany" in text and "Jonas Weber" in text
    assert "DE12500105170648" in text and "USD-99" not in text
    assert "8413910000" in text and "7616999000" in text  # the part's, and the line's own
    assert "Shanghai" in text and "Hamburg" in text
    assert "SAY EUROS FOURTEEN THOUSAND, ONE HUNDRED ONLY" in text
    assert "欧元壹万肆仟壹佰元整" in text
    assert "Please quote our PO on every carton." in text
    assert "Nordwerk Logistics" not in text  # the consignee is for the shipping documents


def test_ci_and_pl_carry_consignee_notify_party_marks_and_cartons(order, bob):
    order = move(order, "confirm", "start_production", "finish_production", user=bob)
    ci = pdf_text(services.generate_document(order, "CI", user=bob).pdf)
    assert "Nordwerk Logistics" in ci and "Kühne + Nagel" in ci and "PO 4711" in ci
    pl = services.generate_document(order, "PL", user=bob)
    text = pdf_text(pl.pdf)
    assert "60×40×30 cm" in text and "0.72" in text and "0.12" in text  # CBM per line
    assert "0.84" in text  # and in total
    with pl.xlsx.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r[1] == "Part number")
    total = next(r for r in rows if r[1] == "Total")
    figures = dict(zip(header, total, strict=False))
    assert figures["Quantity"] == 1500 and figures["Cartons"] == 15
    assert figures["N.W. (kg)"] == 220 and figures["G.W. (kg)"] == pytest.approx(239.5)
    assert figures["CBM"] == pytest.approx(0.84)
    first = dict(zip(header, rows[rows.index(header) + 1], strict=False))
    assert first["HS code"] == "8413910000" and first["Origin"] == "CN"
    assert first["Quantity"] == 1000 and first["G.W. (kg)"] == pytest.approx(195.5)


def test_the_pi_workbook_holds_the_amount_in_words_and_numbers(order, bob):
    document = services.generate_document(order, "PI", user=bob)
    with document.xlsx.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    values = {row[0].value: row[1].value for row in sheet.iter_rows() if len(row) > 1}
    assert values["In words"] == in_words(Decimal("14100"), "EUR")
    assert values["大写"] == "欧元壹万肆仟壹佰元整"
    total = next(row for row in sheet.iter_rows(values_only=True) if "Total" in row)
    assert total[-1] == 14100


def test_a_bad_hs_code_or_origin_on_a_line_is_refused(order, bob):
    from tracecode.sales.forms import OrderLineForm

    form = OrderLineForm(
        {"part_number": "X", "quantity": "1", "unit": "pcs", "unit_price": "1",
         "hs_code": "84.13", "origin": "China"},
        customer=order.project.customer,
    )  # fmt: skip
    assert not form.is_valid() and {"hs_code", "origin"} <= set(form.errors)


@pytest.mark.parametrize(
    ("amount", "chinese"),
    [
        ("0.05", "美元伍分"),
        ("101", "美元壹佰零壹元整"),
        ("100500", "美元壹拾万零伍佰元整"),
        ("1050000", "美元壹佰零伍万元整"),
        ("3006.07", "美元叁仟零陆元零柒分"),
        ("1234.5", "美元壹仟贰佰叁拾肆元伍角整"),
        ("100000001", "美元壹亿零壹元整"),
    ],
)
def test_amounts_in_chinese_upper_case(amount, chinese):
    assert in_chinese(Decimal(amount), "USD") == chinese


def test_amounts_in_english_words():
    assert in_words(Decimal("1234.50"), "USD") == (
        "SAY US DOLLARS ONE THOUSAND, TWO HUNDRED AND THIRTY-FOUR AND CENTS FIFTY ONLY"
    )


# The pages as pictures -------------------------------------------------------------------

SCALE = 2  # 144 dpi
MARGIN_PT = 14 * 72 / 25.4  # the pages' side margins, 14 mm


def pages(field):
    with field.open("rb") as handle:
        document = pdfium.PdfDocument(handle.read())
    for page in document:
        yield page, page.get_textpage(), page.render(scale=SCALE).to_pil().convert("L")


def inked(image, box) -> bool:
    """Whether the picture has dark pixels inside a character's box (PDF points)."""
    left, bottom, right, top = box
    height = image.height / SCALE
    crop = image.crop(
        (int(left * SCALE), int((height - top) * SCALE), int(right * SCALE) + 1,
         int((height - bottom) * SCALE) + 1)
    )  # fmt: skip
    return crop.getextrema()[0] < 128


@pytest.mark.parametrize("kind", ["PI", "CI", "PL"])
def test_the_pages_render_with_chinese_glyphs_and_nothing_overflows(order, bob, kind):
    if kind != "PI":
        order = move(order, "confirm", "start_production", "finish_production", user=bob)
    document = services.generate_document(order, kind, user=bob)
    chinese = 0
    for page, text, image in pages(document.pdf):
        width, _height = page.get_size()
        for index in range(text.count_chars()):
            character = text.get_text_range(index, 1)
            if character.isspace():
                continue
            left, _bottom, right, _top = text.get_charbox(index)
            assert left >= MARGIN_PT - 1 and right <= width - MARGIN_PT + 1, (
                f"{character!r} at {left:.0f}–{right:.0f} pt leaves the page's margins"
            )
            if "\u4e00" <= character <= "\u9fff":
                chinese += 1
                assert inked(image, text.get_charbox(index)), f"{character!r} drew nothing"
        # The margins are blank on the picture too: nothing is drawn past the text area.
        edge = int((MARGIN_PT - 4) * SCALE)
        assert image.crop((image.width - edge, 0, image.width, image.height)).getextrema()[0] > 200
        assert image.crop((0, 0, edge, image.height)).getextrema()[0] > 200
    assert chinese > 20  # the titles, labels and the customer's text in Chinese


# The page and the API ----------------------------------------------------------------------


def test_the_shipping_page_saves_and_the_timeline_says_so(order, bob, client_of):
    client = client_of(bob)
    url = f"/sales/orders/{order.code}/shipping/"
    assert "Kühne + Nagel" in client.get(url).text
    answer = client.post(url, {"port_of_loading": "Ningbo", "consignee": "To order"})
    assert answer.status_code == 302
    order.refresh_from_db()
    assert order.port_of_loading == "Ningbo" and order.notify_party == ""
    assert order.events.filter(action="shipping").count() == 2


def test_alice_cannot_see_or_change_bobs_shipping_details(order, alice, client_of, token_of):
    assert client_of(alice).get(f"/sales/orders/{order.code}/shipping/").status_code == 404
    auth = {"Authorization": token_of(alice)}
    url = f"/api/sales/orders/{order.code}/shipping"
    from django.test import Client

    api = Client()
    assert api.get(url, headers=auth).status_code == 404
    answer = api.put(url, {"port_of_loading": "x"}, content_type="application/json", headers=auth)
    assert answer.status_code == 404
    order.refresh_from_db()
    assert order.port_of_loading == "Shanghai"


def test_the_api_changes_shipping_details_by_contact_code(order, bob, token_of, client):
    auth = {"Authorization": token_of(bob)}
    url = f"/api/sales/orders/{order.code}/shipping"
    assert client.get(url, headers=auth).json()["port_of_destination"] == "Hamburg"
    contact = new_contact(order.project.customer, bob, name="Lena Fischer")
    answer = client.put(
        url, {"attention": contact.code, "shipping_marks": "NW/4711"},
        content_type="application/json", headers=auth,
    )  # fmt: skip
    assert answer.status_code == 200, answer.json()
    assert answer.json()["attention"] == contact.code and answer.json()["consignee"]
    other = make_customer(bob, name="Other GmbH")
    stranger = new_contact(other, bob, name="Not theirs")
    refused = client.put(
        url, {"attention": stranger.code}, content_type="application/json", headers=auth
    )
    assert refused.status_code == 422 and "attention" in refused.json()["error"]["fields"]


def test_the_order_page_speaks_chinese_about_shipping(order, bob, client_of):
    answer = client_of(bob).get(
        f"/sales/orders/{order.code}/shipping/", headers={"accept-language": "zh-hans"}
    )
    assert "唛头" in answer.text and "装运港" in answer.text
