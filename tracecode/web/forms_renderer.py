"""The form renderer: Django's templates, but select boxes written in Python.

Django renders each <option> of a select box through a template of its own; the country box
of the customers list (250 countries) took 4 ms of a 30 ms page that way, on every request.
The markup written here is the same as the templates' (tests/test_form_renderer.py compares
them); any other widget, and a select box whose options use another template, goes through
the templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


def select(widget: dict) -> str | None:
    """The markup of django/forms/widgets/select.html for this widget context, or None when
    an option has a template of its own."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"  # the template's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{_text(value)}"')
    return "".join(out)


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it is safe already."""
    return conditional_escape(value if isinstance(value, SafeData) else str(value))
