import datetime
from decimal import Decimal

from django.utils import timezone

from tracecode.leads import services
from tracecode.leads.models import Lead


def today() -> datetime.date:
    return timezone.localdate()


def report(user, customer=None, **values) -> Lead:
    """A lead about a prospect (or `customer`), reported by `user`."""
    fields = {
        "product": "Pump housings",
        "expected_value": Decimal("45000"),
        "currency": "EUR",
        "expected_month": today().replace(day=1),
        "probability": 40,
    }
    if customer is None:
        fields.update(
            company_name="Hanse Pumpen GmbH",
            country="DE",
            contact_name="Frau Petersen",
            email="einkauf@hanse-pumpen.example",
        )
    fields.update(values)
    return services.report_lead(Lead(customer=customer, **fields), user=user)  # fmt: skip


def accepted(lead, manager, follower=None) -> Lead:
    return services.accept(lead, user=manager, assigned_to=follower or lead.reported_by,
                           plan="Call the buyer, send the capability list.",
                           follow_up_due=today())  # fmt: skip
