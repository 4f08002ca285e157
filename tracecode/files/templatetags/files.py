"""`{% load files %}{% files_panel record %}`: a record's files, versions, upload and .zip."""

from django import template

from tracecode.files.views import panel_context

register = template.Library()


@register.inclusion_tag("files/_panel.html", takes_context=True)
def files_panel(context, record):
    return panel_context(context["request"], record)
