"""Write-offs and credit movements are filed under their order's code (the Everything page)."""

from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry
from tracecode.codes.registry import Row
from tracecode.sales.trade import format_money

from .models import Credit, WriteOff


def write_off_row(written: WriteOff) -> Row:
    order = written.order
    return Row(
        title=format_money(written.amount, order.currency),
        url=f"{order.get_absolute_url()}#payments",
        code=order.code,
        date=written.written_on,
        badge=_("write-off"),
        details=[str(written.get_reason_display()), written.note],
    )


def credit_row(credit: Credit) -> Row:
    return Row(
        title=format_money(credit.amount, credit.currency),
        url=f"{credit.order.get_absolute_url()}#payments",
        code=credit.order.code,
        date=credit.on,
        badge=_("credit"),
        details=[credit.note] if credit.note else [],
    )


def register() -> None:
    F = registry.Filed
    registry.register(
        F("write_off", WriteOff, _("Write-offs"), position=56, code_path="order__code",
          date="written_on", row=write_off_row, related=("order",))
    )  # fmt: skip
    registry.register(
        F("credit", Credit, _("Customer credit"), position=57, code_path="order__code",
          date="on", row=credit_row, related=("order",))
    )  # fmt: skip
