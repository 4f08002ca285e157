"""The leads app's kinds in the record registry: the lead (its own code, under its customer
once it has one) and its history, filed under the lead's code and the enquiry it became.

Registered from LeadsConfig.ready(). A lead about a prospect has no customer yet: the search
index then shows it to managers only (its customer decides who finds it there); its reporter
and follower find it on the Leads page and by its code on the Everything page.
"""

from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry
from tracecode.codes.registry import Row

from .models import Lead, LeadEvent

STATE_KEYS = {"reported": "draft", "accepted": "confirmed", "rejected": "cancelled",
              "converted": "won", "lost": "lost"}  # fmt: skip


def lead_row(lead: Lead) -> Row:
    details = [lead.product, lead.value_text, f"{lead.probability}%"]
    if lead.project_id:
        details.append(_("became %(code)s") % {"code": lead.project.code})
    return Row(
        title=lead.who,
        url=lead.get_absolute_url(),
        code=lead.code,
        date=lead.reported_on,
        state=lead.get_state_display(),
        state_key=STATE_KEYS.get(lead.state, ""),
        details=details,
        badge=_("lead"),
    )


def lead_entries(lead: Lead):
    yield {
        "kind": "lead",
        "code": lead.code,
        "title": f"{lead.who} · {lead.product}",
        "text": " ".join(
            [lead.company_name, lead.contact_name, lead.email, lead.product, lead.details]
        ),
        "customer": lead.customer_id,
        "url": lead.get_absolute_url(),
        "date": lead.reported_on,
        "parents": registry.lineage(lead),
    }


def event_row(event: LeadEvent) -> Row:
    who = event.by.get_full_name() or event.by.username if event.by_id else ""
    details = [who] if who else []
    return Row(
        title=f"{_('Lead')} {event.lead.code}: {event.get_action_display()}",
        url=event.lead.get_absolute_url(),
        code=event.lead.code,
        date=event.at,
        badge=_("lead"),
        details=[*details, event.note[:200]] if event.note else details,
    )


def register() -> None:
    registry.register(
        registry.Kind(
            "lead", Lead, _("Order leads"), position=15, parent="customer", row=lead_row,
            entries=lead_entries, date="reported_on", related=("customer", "project"),
            entries_queryset=lambda: Lead.objects.select_related("customer"),
        )
    )  # fmt: skip
    registry.register(
        registry.Filed(
            "lead_event", LeadEvent, _("Lead history"), position=16,
            code_path="lead__filings__code", date="at", row=event_row,
            timeline="records/_timeline_row.html", related=("lead__project", "by"),
        )
    )  # fmt: skip
