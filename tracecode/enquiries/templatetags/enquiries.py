"""`{% load enquiries %}{% unanswered_enquiries as found %}`: for the home page."""

from django import template

from tracecode.enquiries.models import Enquiry, reply_hours

register = template.Library()


@register.simple_tag(takes_context=True)
def unanswered_enquiries(context, limit: int = 8) -> dict:
    """The user's enquiries with no reply yet (a manager's: all), oldest first, and how many
    are overdue."""
    user = context["request"].user
    rows = Enquiry.objects.visible_to(user).unanswered()
    if not user.sees_everything:
        rows = rows.filter(assigned_to=user)
    return {
        "rows": list(rows.select_related("assigned_to", "project").order_by("received_at")[:limit]),
        "count": rows.count(),
        "overdue": rows.overdue().count(),
        "hours": reply_hours(),
    }
