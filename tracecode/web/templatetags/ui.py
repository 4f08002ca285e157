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


@register.filter
def is_choice_list(field) -> bool:
    """Checkboxes or radio buttons, one per choice."""
    return isinstance(field.field.widget, forms.RadioSelect)  # CheckboxSelectMultiple too


@register.filter
def options(field):
    """The choices of a list of checkboxes or radio buttons, each a Bootstrap check input."""
    css = "form-check-input is-invalid" if field.errors else "form-check-input"
    for option in field.subwidgets:
        option.data["attrs"]["class"] = css
    return field.subwidgets


class TitleNode(template.Node):
    child_nodelists = ("nodelist",)  # so that the {% block title %} inside is overridable

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        page = self.nodelist.render(context).strip()
        return f"{page} · Tracecode" if page else "Tracecode"


@register.tag
def titled(parser, token):
    """`{% titled %}{% block title %}{% endblock %}{% endtitled %}`: "Home · Tracecode", or
    "Tracecode" alone when the page gives no title."""
    nodelist = parser.parse(("endtitled",))
    parser.delete_first_token()
    return TitleNode(nodelist)
