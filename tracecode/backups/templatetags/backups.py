"""`{% backup_warning %}`: the banner every administrator sees when the backups are late."""

from django import template

from tracecode.backups import services

register = template.Library()


@register.inclusion_tag("backups/_warning.html", takes_context=True)
def backup_warning(context):
    user = context.get("user")
    if user is None or not getattr(user, "is_administrator", False):
        return {"warning": ""}
    return {"warning": services.warning()}
