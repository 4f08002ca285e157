"""A new record's form is built once per import and bound again to each row (base.bound_again):
whatever the rows hold, good or bad, the form bound again says exactly what a form built for
that row alone says: the same errors, the same cleaned values."""

import datetime

import pytest
from django import forms
from django.db import models, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracecode.customers.forms import CommunicationForm, ContactForm, CustomerForm
from tracecode.imports import engine
from tracecode.imports.kinds import base
from tracecode.imports.kinds.sales import _project_form, lines_formset
from tracecode.sales.forms import (
    OrderForm,
    OrderLineFormSet,
    PaymentForm,
    QuotationForm,
    QuotationLineFormSet,
    formset_data,
)
from tracecode.sales.tests.factories import make_customer

pytestmark = pytest.mark.django_db

WORDS = st.sampled_from(["", " ", "x", "Nordwerk", "不锈钢法兰", "0711 7654321", "+49 711 1000000",
                         "a@b.example", "not an email", "12", "-3", "2.5", "1e9", "2026-03-09",
                         "09/03/2026", "yesterday", "RK001", "RK999", "alice", "nobody", "DE",
                         "ZZ", "usd", "USD", "FOB", "pcs", "true", "no"])  # fmt: skip


def forms_of(user, manager, customer):
    """(form class, its arguments) as the imports build new records' forms."""
    return [
        (CustomerForm, {"user": user, "creating": True}),
        (CustomerForm, {"user": manager, "creating": True}),  # with its owner chosen by name
        (ContactForm, {"customer": customer}),
        (CommunicationForm, {"customer": customer}),
        (_project_form(user), {}),
        (QuotationForm, {}),
        (OrderForm, {"kind": "sample"}),
        (OrderForm, {"kind": "mass"}),
        (PaymentForm, {}),
    ]


def values_for(field: forms.Field, draw):
    """What a cell may hold for `field`: one of its choices, or any word."""
    choices = [str(value) for value, _label in getattr(field, "choices", [])][:30]
    if choices and not isinstance(field, forms.ModelChoiceField) and draw(st.booleans()):
        value = draw(st.sampled_from(choices))
    else:
        value = draw(WORDS)
    if isinstance(field, forms.MultipleChoiceField):
        return [value] if value else []
    return value


def said(form) -> tuple:
    """What a checked form says: its errors, or its cleaned values (records by id)."""
    if not form.is_valid():
        return ("errors", form.errors.get_json_data())
    cleaned = {}
    for name, value in form.cleaned_data.items():
        if isinstance(value, models.Model):
            value = (type(value).__name__, value.pk)
        elif isinstance(value, models.QuerySet):
            value = sorted(value.values_list("pk", flat=True))
        cleaned[name] = value
    return ("valid", cleaned)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_form_bound_again_says_what_a_new_one_says(data, alice, manager, lists):
    with transaction.atomic():
        customer = make_customer(alice, "Nordwerk Automotive GmbH", country="DE")
        context = engine.Context(user=alice, source="test")
        for form_class, kwargs in forms_of(alice, manager, customer):
            defaults = base.new_values(form_class, context, **kwargs)
            fields = form_class(**kwargs).fields
            for _row in range(3):  # the first row builds the form, the next ones reuse it
                row = dict(defaults)
                for name in data.draw(st.sets(st.sampled_from(sorted(fields)), max_size=6)):
                    row[name] = values_for(fields[name], data.draw)
                again = base.bound_again(form_class, dict(row), context, **kwargs)
                alone = form_class(dict(row), **kwargs)
                assert said(again) == said(alone), (form_class.__name__, row)
        transaction.set_rollback(True)


def test_a_row_gets_its_own_record_and_errors(alice, lists):
    context = engine.Context(user=alice, source="test")
    defaults = base.new_values(CustomerForm, context, user=alice, creating=True)
    kwargs = {"user": alice, "creating": True}
    good = base.bound_again(CustomerForm, {**defaults, "company_name": "Kowa Seiki K.K.",
                                           "country": "JP"}, context, **kwargs)  # fmt: skip
    bad = base.bound_again(CustomerForm, {**defaults, "company_name": "", "country": "JP"},
                           context, **kwargs)  # fmt: skip
    assert good.is_valid() and not bad.is_valid()
    assert good.instance is not bad.instance and good.instance.company_name == "Kowa Seiki K.K."
    assert list(bad.errors) == ["company_name"] and not good.errors
    assert good.cleaned_data["company_name"] == "Kowa Seiki K.K."
    assert isinstance(good.cleaned_data.get("first_contact_on", datetime.date.today()),
                      datetime.date | type(None))  # fmt: skip


def lines_said(formset) -> tuple:
    if not formset.is_valid():
        return ("errors", [dict(e) for e in formset.errors], list(formset.non_form_errors()))
    return ("valid", [said_values(line) for line in formset.lines()])


def said_values(values: dict) -> dict:
    return {k: (type(v).__name__, v.pk) if isinstance(v, models.Model) else v
            for k, v in values.items()}  # fmt: skip


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_lines_bound_again_say_what_new_forms_say(data, alice, lists):
    with transaction.atomic():
        customers = [make_customer(alice, name) for name in ("Nordwerk GmbH", "Kowa K.K.")]
        context = engine.Context(user=alice, source="test")
        for page_formset in (OrderLineFormSet, QuotationLineFormSet):
            again_class = lines_formset(page_formset, context)
            alone_class = lines_formset(page_formset)
            fields = page_formset.form(customer=customers[0]).fields
            for _order in range(3):  # the first builds each customer's line form
                customer = data.draw(st.sampled_from(customers))
                lines = []
                for _line in range(data.draw(st.integers(1, 4))):
                    names = data.draw(st.sets(st.sampled_from(sorted(fields)), max_size=5))
                    lines.append({n: values_for(fields[n], data.draw) for n in names})
                posted = formset_data(lines)
                kwargs = {"prefix": "lines", "form_kwargs": {"customer": customer}}
                again = again_class(dict(posted), **kwargs)
                alone = alone_class(dict(posted), **kwargs)
                assert lines_said(again) == lines_said(alone), (page_formset, lines)
        transaction.set_rollback(True)
