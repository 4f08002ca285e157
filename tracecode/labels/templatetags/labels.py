"""`{% load labels %}{% labels_menu record %}`: the labels a record can have, as a button."""

from django import template
from django.urls import reverse

from tracecode.labels import sources

register = template.Library()


@register.inclusion_tag("labels/_menu.html")
def labels_menu(record, size="sm"):
    choices = [
        (source.title, reverse("labels:print", args=[source.name, source.key(record)]))
        for source in sources.for_record(record)
    ]
    return {"choices": choices, "size": size, "id": f"labels-{id(record)}"}


@register.simple_tag
def label_url(source_name, record):
    """The print page of one label source for `record`: `{% label_url "lot" lot %}`."""
    source = sources.source(source_name)
    return reverse("labels:print", args=[source.name, source.key(record)])
