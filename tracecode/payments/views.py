"""Receiving a payment (overpayment kept as credit), writing off a short payment, using credit,
and a customer's balance; the order page shows them (templatetags/payments.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.customers.models import Customer
from tracecode.sales import workflow
from tracecode.sales.forms import PaymentForm
from tracecode.sales.models import Order, Payment
from tracecode.sales.trade import format_money
from tracecode.sales.views import order_page

from . import services
from .forms import WRITE_OFF, ReceiveForm, UseCreditForm, WriteOffForm
from .models import Credit

ORDERS = Order.objects.select_related("project__customer")


def _refused(request, error) -> None:
    text = error.messages if isinstance(error, ValidationError) else [str(error)]
    messages.error(request, " ".join(text))


@login_required
@require_POST
def receive(request, code: str):
    order = editable_or_404(ORDERS, request.user, code=code)
    form = ReceiveForm(request.POST)
    if not form.is_valid():  # the order page again, with what was typed and why it is refused
        return order_page(request, order, status=422, payment_form=form)
    try:
        _payment, credit = services.receive(order, user=request.user, values=form.cleaned_data)
    except workflow.IllegalTransition as error:
        _refused(request, error)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        order.refresh_from_db()
        return order_page(request, order, status=422, payment_form=form)
    else:
        messages.success(request, _("Payment recorded."))
        if credit is not None:
            messages.info(
                request,
                _("%(amount)s more than the balance is kept as the customer's credit.")
                % {"amount": format_money(credit.amount, credit.currency)},
            )
    return redirect(f"{order.get_absolute_url()}#payments")


@login_required
@require_POST
def write_off(request, code: str):
    order = editable_or_404(ORDERS, request.user, code=code)
    form = WriteOffForm(request.POST, prefix=WRITE_OFF)
    if form.is_valid():
        try:
            services.write_off(order, user=request.user, **form.cleaned_data)
        except (ValidationError, workflow.IllegalTransition) as error:
            _refused(request, error)
        else:
            messages.success(request, _("The short payment is written off."))
    else:
        _refused(request, ValidationError([e for errors in form.errors.values() for e in errors]))
    return redirect(f"{order.get_absolute_url()}#payments")


@login_required
@require_POST
def use_credit(request, code: str):
    order = editable_or_404(ORDERS, request.user, code=code)
    form = UseCreditForm(request.POST)
    if form.is_valid():
        try:
            services.use_credit(order, user=request.user, amount=form.cleaned_data["amount"])
        except (ValidationError, workflow.IllegalTransition) as error:
            _refused(request, error)
        else:
            messages.success(request, _("The customer's credit is used on this order."))
    return redirect(f"{order.get_absolute_url()}#payments")


@login_required
def change(request, pk: int):
    """Correct a recorded payment; the order's timeline keeps what it was."""
    payment = editable_or_404(
        Payment.objects.select_related("order__project__customer"), request.user, pk=pk
    )
    order = payment.order
    form = PaymentForm(request.POST or None, instance=payment)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.PAYMENT_FIELDS}
        payment.refresh_from_db()  # the form has set what was typed on it
        try:
            services.change_payment(payment, user=request.user, values=values)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Payment saved."))
            return redirect(f"{order.get_absolute_url()}#payments")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "order": order, "payment": payment}
    return render(request, "payments/payment_form.html", context, status=status)


@login_required
def balance(request, code: str):
    """A customer's balance per currency: what its orders owe, its credit, what is due."""
    customer = visible_or_404(Customer.objects.all(), request.user, code=code)
    orders = (
        Order.objects.filter(project__customer=customer, state__in=services.OWING)
        .select_related("project")
        .order_by("ordered_on", "pk")
    )
    rows = [{"order": o, "dues": services.due_dates(o)} for o in orders if o.balance]
    context = {
        "customer": customer,
        "balances": services.customer_balance(customer),
        "rows": rows,
        "credits": Credit.objects.filter(customer=customer).select_related("order")[:200],
    }
    return render(request, "payments/balance.html", context)
