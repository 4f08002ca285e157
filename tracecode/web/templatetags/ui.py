"""Template helpers of the web shell."""

from django import forms, template

register = template.Library()

CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def widget(field):
    """Render a bound field's widget with Bootstrap's classes and its error state."""
    css = "form-check-input" if isinstance(field.field.widget, CHECKS) else "form-control"
    if (
        isinstance(field.field.widget, forms.Select)
        and not field.field.widget.allow_multiple_selected
    ):
        css = "form-select"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
