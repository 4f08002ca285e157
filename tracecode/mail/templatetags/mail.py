"""`{% load mail %}{% mail_timeline code %}`: a record page's mails and chat messages."""

from django import template

from tracecode.mail import services

register = template.Library()


@register.inclusion_tag("mail/_timeline.html", takes_context=True)
def mail_timeline(context, code, limit=200):
    user = context["request"].user
    return {
        "code": code,
        "timeline": services.timeline_for(code, user, limit=limit),
        "can_write": getattr(user, "can_write", False),
        "request": context["request"],
    }
