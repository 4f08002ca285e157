"""Small builders for search tests: customers saved as the app saves them, and entries of
kinds whose apps are not wired to the index here (projects, orders, documents, mails)."""

from itertools import count

from tracecode.search import index
from tracecode.testing.factories import make_customer

_serial = count(1)


def customer(owner, name="Nordwerk Automotive GmbH", code="RK1038", shared_with=(), **fields):
    """A customer with a code of the REKO scheme, indexed by its post_save signal."""
    return make_customer(owner, name, shared_with, code=code, **fields)


def entry(kind, code, title, customer=None, text="", **extra):
    """One indexed record of another app, e.g. entry("order", "RK1038-1-S1", "Sample order")."""
    number = next(_serial)
    data = {
        "kind": kind,
        "code": code,
        "title": title,
        "text": text,
        "customer": customer,
        "url": f"/{kind}/{number}/",
        **extra,
    }
    index.put(f"tests.{kind}", number, [data])
    return number


def family(owner, shared_with=()):
    """RK1038 with project RK1038-1 (SP1003), its sample order, the order's PI, a mail, and
    a second project RK1038-2 with its own order."""
    nordwerk = customer(owner, shared_with=shared_with, email="purchasing@nordwerk.example")
    entry("project", "RK1038-1", "SP1003 stainless steel bracket", nordwerk)
    entry("order", "RK1038-1-S1", "Sample order SP1003", nordwerk)
    entry("document", "RK1038-1-S1", "PI RK1038-1-S1", nordwerk, text="Proforma invoice")
    entry(
        "mail",
        "RK1038-1-S1",
        "Re: RK1038-1-S1 sample shipment",
        nordwerk,
        text="The samples leave Ningbo on Friday. 样品已发货，请查收。",
    )
    entry("project", "RK1038-2", "SP1004 aluminium housing", nordwerk)
    entry("order", "RK1038-2-M1", "Mass order SP1004", nordwerk)
    return nordwerk


def kinds_of(found) -> list[str]:
    return [group.kind for group in found.groups]


def codes_of(found, kind=None) -> list[str]:
    return [hit.code for group in found.groups if kind in (None, group.kind) for hit in group.hits]
