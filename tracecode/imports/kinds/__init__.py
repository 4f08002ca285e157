"""The kinds of sheet, registered from the app's `ready()`: one class per kind of record."""

from .. import sheets
from .customers import CommunicationLog, Contacts, Customers
from .mail import MailIndex
from .registers import Materials, Parts, Suppliers
from .sales import Complaints, Orders, Payments, Projects, Quotations

KINDS = [Customers, Contacts, CommunicationLog, Projects, Quotations, Orders, Payments,
         Complaints, Parts, Materials, Suppliers, MailIndex]  # fmt: skip


def register() -> None:
    for kind in KINDS:
        sheets.register(kind())
