"""`{% load records %}`: a record page's timeline, and groups of the Everything tree."""

from django import template

from tracecode.records import tree

register = template.Library()


@register.inclusion_tag("records/_timeline.html", takes_context=True)
def timeline(context, code, limit=200):
    """`{% timeline order.code %}`: mails, chats … filed under the code and below, by date."""
    user = context["request"].user
    return {
        "code": code,
        "moments": tree.timeline(code, user, limit=limit),
        "actions": [k.actions for k in tree.registry.every_kind() if k.actions],
        "can_write": getattr(user, "can_write", False),
        "request": context["request"],
    }
