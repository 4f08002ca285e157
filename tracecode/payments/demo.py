"""The demo's money as it arrives: Nordwerk paid its wallbox order short by the banks' charges
(written off), and Lyon paid more than its sample order (kept as credit)."""

from decimal import Decimal

from tracecode.sales.demo import backdate, day
from tracecode.sales.models import Order

from . import services
from .models import WriteOff

CUSTOMER_PO = "NW-PO-4711"  # tracecode/contracts/demo.py
BANK_CHARGES = Decimal("35.00")


def load(users, report) -> None:
    order = Order.objects.filter(customer_po=CUSTOMER_PO).select_related("project").first()
    if order is None or WriteOff.objects.filter(order=order).exists():
        return
    user = order.project.customer.owner
    services.receive(
        order, user=user,
        values={"received_on": day(-1), "amount": order.balance - BANK_CHARGES,
                "reference": "NORDWERK SEPA 2027-4711"},
    )  # fmt: skip
    backdate(order, -1)
    services.write_off(order, user=user, amount=BANK_CHARGES, reason="bank_charges",
                       note="Charges of the intermediary bank (OUR not honoured)")  # fmt: skip
    report.created.append(f"write-off {order.code}")
