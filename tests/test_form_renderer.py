"""The form renderer writes select boxes itself: the same markup as Django's templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from tracecode.customers.forms import CustomerFilterForm
from tracecode.web.forms_renderer import SELECT, FormRenderer

TEMPLATES = DjangoTemplates()


def both(widget, name, value, attrs=None):
    context = widget.get_context(name, value, attrs or {})
    return FormRenderer().render(SELECT, context), TEMPLATES.render(SELECT, context)


GROUPED = [
    ("", "---------"),
    ("Europe", [("DE", "Germany"), ("FR", "France <\"&'>")]),
    ("Asia", [("CN", "中国"), ("JP", mark_safe("<b>Japan</b>"))]),
    (3, "three"),
]


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        (forms.Select(choices=GROUPED), "FR", {"class": "form-select", "id": "id_x"}),
        (forms.Select(choices=GROUPED), None, {"required": True, "disabled": False}),
        (forms.Select(choices=GROUPED), 3, {"data-x": 'a"b<c'}),
        (forms.SelectMultiple(choices=GROUPED), ["DE", "CN"], {"class": "form-control"}),
        (forms.NullBooleanSelect(), True, {}),
        (forms.Select(choices=[]), "", {}),
    ],
)
def test_the_same_markup_as_the_templates(widget, value, attrs):
    fast, slow = both(widget, "x", value, attrs)
    assert fast == slow


@settings(max_examples=60, deadline=None)
@given(
    choices=st.lists(st.tuples(st.text(max_size=6), st.text(max_size=12)), max_size=6),
    chosen=st.text(max_size=6),
    attribute=st.text(max_size=8),
)
def test_the_same_markup_for_any_choices(choices, chosen, attribute):
    fast, slow = both(forms.Select(choices=choices), "y<", chosen, {"title": attribute})
    assert fast == slow


@pytest.mark.django_db
def test_the_customers_filter_renders_the_same_with_either_renderer():
    form = CustomerFilterForm(data={"country": "DE", "sort": "company"})
    for name in form.fields:
        field = form[name]
        if isinstance(field.field.widget, forms.Select):
            context = field.field.widget.get_context(field.html_name, field.value(), {})
            assert FormRenderer().render(SELECT, context) == TEMPLATES.render(SELECT, context)


def test_an_option_with_a_template_of_its_own_goes_through_the_templates():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    context = Fancy(choices=[("a", "A")]).get_context("z", "a", {})
    assert FormRenderer().render(SELECT, context) == TEMPLATES.render(SELECT, context)
