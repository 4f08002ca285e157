"""/api/payments/: money as it arrives, by the same services as the order page. An
overpayment is kept as the customer's credit, a short payment written off with its reason."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router, Schema, Status

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import Input, answers
from tracecode.core.errors import ApiError
from tracecode.customers.models import Customer
from tracecode.sales import workflow
from tracecode.sales.api.schemas import PaymentOut
from tracecode.sales.forms import PaymentForm
from tracecode.sales.models import Order, Payment

from . import services
from .forms import ReceiveForm, WriteOffForm

router = Router(tags=["payments"])
ORDERS = Order.objects.select_related("project__customer")


class ReceiptIn(Input):
    amount: Decimal
    received_on: datetime.date | None = None
    method: str = "tt"
    reference: str = ""
    note: str = ""


class PaymentCreditOut(Schema):
    id: int
    currency: str
    amount: Decimal
    order: str
    on: datetime.date
    note: str

    @staticmethod
    def resolve_order(obj) -> str:
        return obj.order.code


class ReceiptOut(Schema):
    order: str
    applied: Decimal
    credit: PaymentCreditOut | None
    balance: Decimal
    state: str


class WriteOffIn(Input):
    amount: Decimal
    reason: str
    note: str = ""


class WriteOffOut(Schema):
    id: int
    order: str
    amount: Decimal
    reason: str
    note: str
    written_on: datetime.date
    balance: Decimal
    state: str

    @staticmethod
    def resolve_order(obj) -> str:
        return obj.order.code

    @staticmethod
    def resolve_balance(obj) -> Decimal:
        return obj.order.balance

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.order.state


class PaymentPatch(Input):
    received_on: datetime.date | None = None
    amount: Decimal | None = None
    method: str | None = None
    reference: str | None = None
    note: str | None = None


class CreditUseIn(Input):
    amount: Decimal | None = None


class DueOut(Schema):
    words: str
    percent: Decimal
    amount: Decimal
    due_on: datetime.date | None
    settled: Decimal
    overdue: bool


class SettlementOut(Schema):
    order: str
    currency: str
    total: Decimal
    settled: Decimal
    balance: Decimal
    dues: list[DueOut]
    written_off: Decimal
    customer_credit: Decimal


class BalanceOut(Schema):
    currency: str
    owing: Decimal
    credit: Decimal
    net: Decimal


class CustomerBalanceOut(Schema):
    customer: str
    balances: list[BalanceOut]


def _valid(form) -> dict:
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def _refusals(error: workflow.IllegalTransition):
    return ApiError(409, "conflict", str(error))


@router.post(
    "/orders/{code}/receipts",
    response=answers({201: ReceiptOut}, 400, 403, 404, 409, 422),
    summary="Money received for an order; more than its balance is kept as credit",
)
def receive(request, code: str, payload: ReceiptIn):
    order = editable_or_404(ORDERS, request.user, code=code)
    data = payload.dict()
    data["received_on"] = data["received_on"] or timezone.localdate()
    values = _valid(ReceiveForm({k: "" if v is None else v for k, v in data.items()}))
    try:
        payment, credit = services.receive(order, user=request.user, values=values)
    except workflow.IllegalTransition as error:
        raise _refusals(error) from None
    result = {
        "order": order.code,
        "applied": payment.amount if payment else Decimal(0),
        "credit": credit,
        "balance": order.balance,
        "state": order.state,
    }
    return Status(201, result)


@router.post(
    "/orders/{code}/write-offs",
    response=answers({201: WriteOffOut}, 400, 403, 404, 409, 422),
    summary="Write off a short payment (bank charges …) with its reason",
)
def write_off(request, code: str, payload: WriteOffIn):
    order = editable_or_404(ORDERS, request.user, code=code)
    values = _valid(WriteOffForm(payload.dict()))
    try:
        written = services.write_off(order, user=request.user, **values)
    except workflow.IllegalTransition as error:
        raise _refusals(error) from None
    return Status(201, written)


@router.post(
    "/orders/{code}/credit-uses",
    response=answers({201: PaymentCreditOut}, 400, 403, 404, 409, 422),
    summary="Settle an order with the customer's credit in its currency",
)
def use_credit(request, code: str, payload: CreditUseIn):
    order = editable_or_404(ORDERS, request.user, code=code)
    try:
        used = services.use_credit(order, user=request.user, amount=payload.amount)
    except workflow.IllegalTransition as error:
        raise _refusals(error) from None
    return Status(201, used)


@router.patch(
    "/{pk}",
    response=answers(PaymentOut, 400, 403, 404, 422),
    summary="Correct a recorded payment; the order's timeline keeps old → new",
)
def change_payment(request, pk: int, payload: PaymentPatch):
    payment = editable_or_404(
        Payment.objects.select_related("order__project__customer"), request.user, pk=pk
    )
    sent = payload.dict(exclude_unset=True)
    data = {name: getattr(payment, name) for name in services.PAYMENT_FIELDS}
    data.update({k: "" if v is None else v for k, v in sent.items()})
    values = _valid(PaymentForm(data))
    payment = services.change_payment(
        payment, user=request.user, values={name: values[name] for name in sent}
    )
    return payment


@router.get(
    "/orders/{code}/settlement",
    response=answers(SettlementOut, 404, 422),
    summary="An order's instalments by its payment terms, write-offs and the customer's credit",
)
def settlement(request, code: str):
    order = visible_or_404(ORDERS, request.user, code=code)
    dues = services.due_dates(order)
    return {
        "order": order.code,
        "currency": order.currency,
        "total": order.total,
        "settled": order.paid,
        "balance": order.balance,
        "dues": [
            {
                "words": d.words,
                "percent": d.percent,
                "amount": d.amount,
                "due_on": d.due_on,
                "settled": d.settled,
                "overdue": d.is_overdue(),
            }
            for d in dues
        ],  # fmt: skip
        "written_off": sum((w.amount for w in order.write_offs.all()), Decimal(0)),
        "customer_credit": services.credit_of(order.project.customer, order.currency),
    }


@router.get(
    "/customers/{code}/balance",
    response=answers(CustomerBalanceOut, 404, 422),
    summary="What a customer owes and holds as credit, per currency",
)
def balance(request, code: str):
    customer = visible_or_404(Customer.objects.all(), request.user, code=code)
    return {"customer": customer.code, "balances": services.customer_balance(customer)}
