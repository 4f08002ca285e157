"""The demo company shows the export path: contract and amendment, a PI in EUR with the EUR
account, a payment short by bank charges written off, a CI and PL with cartons."""

from decimal import Decimal

import pytest
from django.db import transaction

from tracecode.company import services as company
from tracecode.contracts.demo import CUSTOMER_PO
from tracecode.contracts.models import Contract
from tracecode.mail.models import MailMessage
from tracecode.sales.models import Order
from tracecode.web.demo import load_demo

from .test_contracts import pdf_text

pytestmark = pytest.mark.django_db


def test_the_demo_shows_contract_documents_and_payment(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    with transaction.atomic():
        load_demo()
    assert company.profile().entity == "RKP"
    order = Order.objects.get(customer_po=CUSTOMER_PO)
    contract = Contract.objects.get(order=order)
    assert contract.code == order.code and contract.amendments.get().code == f"{order.code}-A1"
    documents = {d.kind: d for d in order.documents.all()}
    assert set(documents) == {"PI", "CI", "PL"}
    pi = pdf_text(documents["PI"].pdf)
    assert "DE89 5001 0517 0648 4898 90" in pi and "SAY EUROS" in pi
    pl = pdf_text(documents["PL"].pdf)
    assert "60×40×35 cm" in pl and "104" in pl
    written = order.write_offs.get()
    assert written.reason == "bank_charges" and order.balance == 0
    # made from the accepted quotation at the 2,000 pcs tier; the reply carries the CI
    assert order.from_revision.quotation.status == "accepted"
    assert order.lines.get(part_number="SP2703").unit_price == Decimal("11.80")
    reply = MailMessage.objects.get(direction="out", links__code=order.code)
    assert reply.in_reply_to and reply.attachments.get().filename.startswith(f"{order.code} CI")
    assert order.events.filter(action="shipping", data__changes__isnull=False).exists()
    with transaction.atomic():
        assert load_demo().created == []
