"""The whole path of an export order in Chromium, as the sales office works it: an accepted
quotation → *Create order* → the sales contract and an amendment → the PI in EUR, printed with
the EUR bank account → a payment short by the bank charges, which are written off (and a
mistyped bank reference corrected, old → new on the timeline) → packed and shipped → CI and
PL with the cartons → a reply to the customer's mail with the CI attached, filed under the
order. Then the same pages once in Chinese."""

import datetime
import email
import email.policy
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tracecode.company.models import BankAccount
from tracecode.enquiries.tests.translations import install_pending as install_intake
from tracecode.mail import services as mail
from tracecode.mail.defaults import seed
from tracecode.mail.models import MailMessage, MailTemplate
from tracecode.mail.tests.factories import mail_bytes
from tracecode.mail.tests.test_outgoing_smtp import Collector, free_port
from tracecode.sales import services as sales
from tracecode.sales.models import Order
from tracecode.sales.tests.factories import make_customer, make_project
from tracecode.testing.translations import install_pending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    install_intake()  # the mail pages' strings still pending elsewhere
    install_pending("history")
    seed(MailTemplate)  # transactional tests start from empty tables


@pytest.fixture
def smtp(settings):
    """A mail server on the loopback that keeps what it is sent."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    mail.forget_server_status()
    yield collector
    controller.stop()


@pytest.fixture
def quotation(alice):
    """What came before: the customer accepted revision 1 of a quotation in EUR, with tiers."""
    customer = make_customer(alice, name="Nordwerk Automotive GmbH", country="DE")
    project = make_project(customer, name="Bracket BRKT-77")
    today = timezone.localdate()
    values = {"quoted_on": today, "valid_until": today + datetime.timedelta(days=30),
              "currency": "EUR", "incoterm": "FOB", "incoterm_place": "Ningbo",
              "lead_time": "35 days after PO",
              "payment_terms": "30% T/T in advance, 70% before shipment"}  # fmt: skip
    lines = [
        {"item": "BRKT-77", "quantity": 500, "unit": "pcs", "unit_price": "4.20"},
        {"item": "BRKT-77", "quantity": 2000, "unit": "pcs", "unit_price": "3.80"},
    ]
    quotation = sales.create_quotation(project, user=alice, values=values, lines=lines)
    sales.issue_quotation(quotation, user=alice)
    return sales.set_quotation_status(quotation, "accepted", user=alice)


@pytest.fixture
def accounts():
    """The administrator's bank accounts: one per currency."""
    for currency, bank, number in [
        ("USD", "Bank of China New York", "US-4471-0092"),
        ("EUR", "Bank of China Frankfurt", "DE12500105170648489890"),
    ]:
        BankAccount.objects.create(currency=currency, bank_name=bank, account_number=number)


def pdf_text(page, locator) -> str:
    with page.expect_download() as download:
        locator.click()
    data = Path(download.value.path()).read_bytes()
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def click_move(page, label: str):
    page.get_by_role("button", name=label, exact=True).click()


def test_from_an_accepted_quotation_to_the_ci_mailed_to_the_customer(
    page, sign_in, alice, quotation, accounts, smtp
):
    sign_in(alice)

    # Quotation → order: the accepted revision's lines, prices and terms.
    page.goto(quotation.get_absolute_url())
    page.get_by_label("Quantity of BRKT-77").fill("2000")  # the 2,000 pcs tier: EUR 3.80
    page.get_by_role("button", name="Create order").click()
    expect(page.get_by_role("alert").first).to_contain_text("revision 1")
    expect(page.locator("#id_lines-0-unit_price")).to_have_value(re.compile(r"^3\.80*$"))
    page.get_by_role("button", name="Save").click()
    order = Order.objects.get(from_revision__quotation=quotation)
    code = order.code
    expect(page.get_by_role("heading", name=code)).to_be_visible()
    expect(page.locator("#order-total")).to_have_text("EUR 7,600.00")

    # The sales contract, and an amendment to it.
    page.get_by_role("button", name="Issue the sales contract").click()
    expect(page.get_by_role("heading", name=f"Sales contract {code}")).to_be_visible()
    page.get_by_label("Signed by the buyer on").first.fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the signature").click()
    page.get_by_label("What changes").fill("Delivery moved by one week at the buyer's request.")
    page.get_by_role("button", name="Issue an amendment").click()
    expect(page.get_by_text("Delivery moved by one week")).to_be_visible()
    expect(page.locator(f"[id='{code}-A1']")).to_contain_text("Delivery moved by one week")
    page.get_by_role("link", name=code).first.click()

    # Confirmed; the PI in EUR carries the EUR account, not the USD one.
    click_move(page, "Confirm order")
    expect(page.locator("#order-state")).to_have_text("confirmed")
    page.get_by_label("Document", exact=True).select_option("PI")
    page.get_by_role("button", name="Generate PDF and Excel").click()
    text = pdf_text(page, page.locator("[data-document='PI-1-pdf']"))
    assert "PROFORMA INVOICE" in text and code in text and "7,600.00" in text
    assert "DE12500105170648489890" in text and "US-4471-0092" not in text

    # The money: 25 EUR short by the banks' charges, written off; a reference corrected.
    page.get_by_role("form", name="Record a payment").get_by_label("Amount").fill("7575.00")
    page.get_by_label("Bank reference").fill("DEUTDEFF 1122")
    page.get_by_role("button", name="Record payment (EUR)").click()
    expect(page.locator("#order-balance")).to_have_text("EUR 25.00")
    page.get_by_text("Write off a short payment").click()
    write_off = page.locator("form[action$='/write-off/']")
    write_off.get_by_label("Amount").fill("25.00")
    write_off.get_by_label("Reason").select_option("bank_charges")
    write_off.get_by_label("Note").fill("Intermediary bank fee")
    write_off.get_by_role("button", name="Write off").click()
    expect(page.locator("#order-balance")).to_have_text("EUR 0.00")
    expect(page.locator("#timeline")).to_contain_text("Written off: EUR 25.00")
    page.get_by_role("link", name=re.compile("Correct the payment")).click()
    page.get_by_label("Bank reference").fill("DEUTDEFF 1123")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#timeline")).to_contain_text("DEUTDEFF 1122 → DEUTDEFF 1123")

    # Produced, packed (cartons once the goods are packed) and shipped.
    for _ in range(3):
        page.get_by_role("button", name="Done", exact=True).first.click()
    click_move(page, "Start production")
    click_move(page, "Ready to ship")
    page.goto(f"/sales/orders/{code}/shipping/")
    page.get_by_label("Port of loading").fill("Ningbo")
    page.get_by_label("Port of destination").fill("Hamburg")
    page.get_by_label("line 1 cartons").fill("40")
    page.get_by_label("line 1 net weight (kg)").fill("380")
    page.get_by_label("line 1 gross weight (kg)").fill("412.5")
    page.get_by_label("line 1 carton length (cm)").fill("60")
    page.get_by_label("line 1 carton width (cm)").fill("40")
    page.get_by_label("line 1 carton height (cm)").fill("35")
    page.get_by_label("line 1 HS code").fill("8302.42")
    page.get_by_label("line 1 country of origin").fill("CN")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#timeline")).to_contain_text("line 1 cartons — → 40")
    page.get_by_label("Carrier").fill("COSCO")
    page.get_by_label("B/L or tracking no.").fill("COSU6284739150")
    page.locator("#id_ship-etd").fill(timezone.localdate().isoformat())
    page.locator("#id_ship-eta").fill((timezone.localdate() + datetime.timedelta(30)).isoformat())
    click_move(page, "Ship")
    expect(page.locator("#order-state")).to_have_text("shipped")

    # The CI and the packing list, with the cartons.
    for kind in ("CI", "PL"):
        page.get_by_label("Document", exact=True).select_option(kind)
        page.get_by_role("button", name="Generate PDF and Excel").click()
        expect(page.locator(f"[data-document='{kind}-1-pdf']")).to_be_visible()
    ci = pdf_text(page, page.locator("[data-document='CI-1-pdf']"))
    assert "COMMERCIAL INVOICE" in ci and "DE12500105170648489890" in ci and "Hamburg" in ci
    pl = pdf_text(page, page.locator("[data-document='PL-1-pdf']"))
    assert "PACKING LIST" in pl and "Hamburg" in pl
    assert "BRKT-77 830242 CN 2,000 pcs 40 60×40×35" in pl  # 40 cartons of 60×40×35 cm
    assert "Total 合计 2,000 pcs 40 380 412.5" in pl

    # The customer asks for the documents; the reply carries the CI and is filed under the order.
    asked = mail.store_mail(
        mail_bytes(subject=f"[{code}] Shipping documents please",
                   message_id="<docs@nordwerk.example>"),
        source=MailMessage.Source.IMAP,
    )  # fmt: skip
    page.goto(f"/mail/{asked.pk}/")
    page.get_by_role("link", name="Reply", exact=True).click()
    page.get_by_label("Text").fill("Dear Jonas,\n\nthe commercial invoice is attached.\n\nAlice")
    ci_name = order.documents.get(kind="CI").pdf.name.rsplit("/", 1)[-1]
    page.get_by_label(ci_name).check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert").first).to_contain_text(f"Mail sent and filed under {code}.")
    sent = email.message_from_bytes(smtp.envelopes[0].content, policy=email.policy.default)
    assert sent["In-Reply-To"] == "<docs@nordwerk.example>"
    assert [p.get_filename() for p in sent.iter_attachments()] == [ci_name]
    assert MailMessage.objects.filter(direction="out", links__code=code).exists()
    page.goto(f"/sales/orders/{code}/")
    expect(page.get_by_text(f"Re: [{code}] Shipping documents please").first).to_be_visible()

    order.refresh_from_db()
    assert order.state == "shipped" and order.balance == Decimal("0.00")

    # The same pages in Chinese: nothing breaks.
    page.goto(f"/sales/orders/{code}/")
    page.locator("button[lang='zh-hans']").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#timeline")).to_contain_text("核销")
    for url in [
        quotation.get_absolute_url(),
        f"/sales/orders/{code}/shipping/",
        f"/contracts/{order.contract.code}/",
        f"/payments/{order.payments.get().pk}/edit/",
        f"/payments/customers/{order.project.customer.code}/",
        f"/mail/{asked.pk}/",
        f"/sales/orders/{code}/",
    ]:
        answer = page.goto(url)
        assert answer.status == 200, url
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        if "/shipping/" in url:
            expect(page.get_by_role("heading", name="装箱")).to_be_visible()
        if "/payments/" in url and "/edit/" in url:
            expect(page.get_by_role("heading", name=re.compile("更正收款"))).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("第 1 行")
