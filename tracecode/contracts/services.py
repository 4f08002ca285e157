"""Issuing a sales contract, amending it, and recording the buyer's signature.

A contract and each amendment freeze what they say (`snapshot`) when issued: the PDF and
workbook of a signed contract never change when the order is edited later; an amendment
freezes the order as it stands after the change.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.codes import services as codes
from tracecode.company.services import letterhead
from tracecode.core.amounts import in_chinese, in_words
from tracecode.core.workflow import changes
from tracecode.files.layout import file_name
from tracecode.sales import workflow
from tracecode.sales.documents import buyer, incoterm_text, line_customs, unit_name
from tracecode.sales.models import Order, OrderState
from tracecode.sales.trade import format_money, format_price, format_quantity

from . import documents
from .models import Amendment, Contract

SCHEME = "contract"  # the coding scheme an administrator may load; without it: the order's code


def contract_code(order: Order, *, user, on) -> str:
    """The next contract number: the `contract` scheme's when one is in force, else the
    order's own code."""
    current = codes.schemes()
    if SCHEME not in current:
        return order.code
    sch = current[SCHEME]
    fields = {"entity": letterhead().get("entity", "")}
    try:
        entry = codes.allocate(
            SCHEME,
            parent=order.code if sch.needs_parent else None,
            date=on if sch.needs_date else None,
            fields={k: v for k, v in fields.items() if k in sch.field_names},
            record_type=Contract._meta.label_lower,
            user=user,
        )
    except codes.CodingError as error:
        hint = ""
        if error.field == "entity":
            hint = " " + _("Give the entity abbreviation in the company profile.")
        message = _("No contract number: %(reason)s") % {"reason": error}
        raise ValidationError(message + hint) from None
    return entry.code


def snapshot(order: Order) -> dict:
    """What the contract says about the order, frozen as text and figures."""
    lines = []
    for number, line in enumerate(order.lines.select_related("part"), start=1):
        hs_code, origin = line_customs(line)
        lines.append(
            {
                "number": number,
                "part_number": line.part_number,
                "specification": line.specification,
                "hs_code": hs_code,
                "origin": origin,
                "quantity": str(line.quantity),
                "quantity_text": format_quantity(line.quantity),
                "unit": unit_name(line.unit),
                "unit_price": str(line.unit_price),
                "unit_price_text": format_price(line.unit_price),
                "amount": str(line.amount),
                "amount_text": format_money(line.amount),
            }
        )
    return {
        "order": order.code,
        "customer_po": order.customer_po,
        "buyer": buyer(order),
        "currency": order.currency,
        "incoterm": incoterm_text(order.incoterm, order.incoterm_place),
        "payment_terms": order.payment_terms,
        "delivery_date": order.delivery_date.isoformat(),
        "port_of_loading": order.port_of_loading,
        "port_of_destination": order.port_of_destination,
        "packaging": order.packaging_requirements,
        "inspection": order.inspection_requirements,
        "notes": order.notes,
        "lines": lines,
        "total": str(order.total),
        "total_text": format_money(order.total, order.currency),
        "words": in_words(order.total, order.currency),
        "chinese": in_chinese(order.total, order.currency),
    }


def _store(record, stem: str, version: int) -> None:
    pdf, xlsx = documents.contract_pdf(record), documents.contract_xlsx(record)
    name = partial(file_name, record.code, stem, record.issued_on, version)
    for field, data, ext in ((record.pdf, pdf, ".pdf"), (record.xlsx, xlsx, ".xlsx")):
        path = field.field.upload_to(record, name(ext))
        field.name = field.storage.save(path, ContentFile(data))


def _discard(record) -> None:
    for field in (record.pdf, record.xlsx):
        if field:
            field.delete(save=False)


def issue_contract(order: Order, *, user, clauses: str = "") -> Contract:
    """The order's sales contract, numbered and rendered; one per order."""
    if order.state == OrderState.CANCELLED:
        raise ValidationError(_("A cancelled order gets no contract."))
    if not order.lines.exists():
        raise ValidationError(_("The order has no lines to put in a contract."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().select_related("project__customer")
        locked = locked.get(pk=order.pk)
        if Contract.objects.filter(order=locked).exists():
            raise ValidationError(
                _("%(code)s has its contract already: amend it.") % {"code": locked.code}
            )
        today = timezone.localdate()
        contract = Contract(
            order=locked,
            code=contract_code(locked, user=user, on=today),
            issued_on=today,
            clauses=clauses,
            snapshot=snapshot(locked),
            created_by=user if user is not None and user.pk else None,
        )
        _store(contract, "Contract", 1)
        try:
            contract.save(force_insert=True)
            workflow.record(locked, "contract", user=user, code=contract.code)
        except Exception:
            _discard(contract)
            raise
    return contract


def amend_contract(contract: Contract, *, user, changes: str) -> Amendment:
    """A supplementary contract: `changes` in words, the order as it now stands."""
    if not changes.strip():
        raise ValidationError({"changes": [_("Say what the amendment changes.")]})
    with transaction.atomic():
        locked = Contract.objects.select_for_update().select_related("order__project__customer")
        locked = locked.get(pk=contract.pk)
        numbers = locked.amendments.order_by("-number").values_list("number", flat=True)
        number = (numbers.first() or 0) + 1
        amendment = Amendment(
            contract=locked,
            number=number,
            code=f"{locked.code}{locked.amendment_prefix}{number}",
            issued_on=timezone.localdate(),
            changes=changes.strip(),
            snapshot=snapshot(locked.order),
            created_by=user if user is not None and user.pk else None,
        )
        _store(amendment, "Amendment", 1)
        try:
            amendment.save(force_insert=True)
            workflow.record(locked.order, "contract", user=user, code=amendment.code)
        except Exception:
            _discard(amendment)
            raise
    return amendment


def mark_signed(record: Contract | Amendment, signed_on, *, user=None) -> Contract | Amendment:
    """The buyer signed the contract or amendment on this day; the order's timeline keeps it,
    old → new (a date corrected later too)."""
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": [_("This date is in the future.")]})
    if signed_on < record.issued_on:
        raise ValidationError({"signed_on": [_("It was signed before it was issued?")]})
    with transaction.atomic():
        stored = type(record).objects.select_for_update().get(pk=record.pk)
        record.signed_on = signed_on
        found = changes(stored, record, ["signed_on"])
        if found:
            record.save(update_fields=["signed_on"])
            order = record.order if isinstance(record, Contract) else record.contract.order
            workflow.record(order, "signed", user=user, code=record.code,
                            of=record._meta.label_lower, changes=found)  # fmt: skip
    return record
