"""Contracts and amendments in the record registry: their numbers find them, they show under
their order, the search holds their words, and their files are in the client folder."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry
from tracecode.codes.registry import Row

from .models import Amendment, Contract


def _links(record, kind: str) -> list[tuple[str, str]]:
    return [
        ("PDF", reverse("contracts:file", args=[kind, record.code, "pdf"])),
        ("Excel", reverse("contracts:file", args=[kind, record.code, "xlsx"])),
    ]


def _state(record) -> tuple[str, str]:
    if record.signed_on:
        return _("signed %(date)s") % {"date": f"{record.signed_on:%Y-%m-%d}"}, "paid"
    return _("not signed yet"), "draft"


def contract_row(contract: Contract) -> Row:
    state, key = _state(contract)
    return Row(
        title=_("Sales contract"),
        url=contract.get_absolute_url(),
        code=contract.code,
        date=contract.issued_on,
        state=state,
        state_key=key,
        details=[contract.snapshot.get("total_text", "")],
        links=_links(contract, "contract"),
        badge=_("contract"),
    )


def amendment_row(amendment: Amendment) -> Row:
    state, key = _state(amendment)
    return Row(
        title=amendment.changes[:120],
        url=amendment.get_absolute_url(),
        code=amendment.code,
        date=amendment.issued_on,
        state=state,
        state_key=key,
        links=_links(amendment, "amendment"),
        badge=_("amendment"),
    )


def _entry(record, kind: str, contract: Contract, text: str, title: str):
    order = contract.order
    yield {
        "kind": kind,
        "code": record.code,
        "title": title[:200],
        "text": " ".join([text, *(line["specification"] for line in record.snapshot["lines"])]),
        "customer": order.project.customer_id,
        "url": record.get_absolute_url(),
        "date": record.issued_on,
        "parents": registry.lineage(record),
        "codes": [record.code, contract.code, order.code],
    }


def contract_entries(contract: Contract):
    # Shown after its code (the order's) under "Sales contract": the project it sells.
    project = contract.order.project
    yield from _entry(contract, "contract", contract, contract.clauses, project.name)


def amendment_entries(amendment: Amendment):
    changes = " ".join(amendment.changes.split())
    yield from _entry(amendment, "amendment", amendment.contract, amendment.changes, changes)


def contract_files(customer):
    for model in (Contract, Amendment):
        path = model.customer_path.replace("__project__customer", "__project")
        rows = model.objects.filter(**{path + "__customer": customer})
        for pdf, xlsx in rows.values_list("pdf", "xlsx"):
            yield pdf
            yield xlsx


def register() -> None:
    K = registry.Kind
    registry.register(
        K("contract", Contract, _("Sales contracts"), position=44, parent="order",
          row=contract_row, entries=contract_entries, date="issued_on",
          files=contract_files, related=("order__project__customer",),
          entries_queryset=lambda: Contract.objects.select_related("order__project__customer"))
    )  # fmt: skip
    registry.register(
        K("amendment", Amendment, _("Contract amendments"), position=45, parent="contract",
          parent_field="contract", row=amendment_row, entries=amendment_entries,
          date="issued_on", related=("contract__order__project__customer",))
    )  # fmt: skip
