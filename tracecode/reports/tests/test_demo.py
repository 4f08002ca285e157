"""The demo company has a year of history for the reports, loaded once."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from tracecode.leads.models import Lead
from tracecode.reports import figures
from tracecode.reports.models import MonthClose, Target
from tracecode.sales.models import Complaint, Order, Project

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_believable_year_and_loads_once(settings, capsys):
    settings.DEMO_PASSWORD = "demo-pass-123"
    call_command("demo")
    capsys.readouterr()
    counts = (Order.objects.count(), Lead.objects.count(), Target.objects.count())
    call_command("demo")
    assert "Nothing new to add." in capsys.readouterr().out
    assert (Order.objects.count(), Lead.objects.count(), Target.objects.count()) == counts

    today = timezone.localdate()
    months = {figures.key_of(d) for d in Order.objects.exclude(confirmed_on=None)
              .values_list("confirmed_on", flat=True)}  # fmt: skip
    last_year = {figures.key_of(figures.month_start(today, back)) for back in range(12)}
    assert len(months & last_year) >= 10  # orders in (nearly) every month of the year
    assert Order.objects.filter(etd__gt=F("delivery_date")).exists()  # some shipped late
    assert Project.objects.filter(status="lost").exclude(lost_reason="").count() >= 4
    causes = set(Complaint.objects.exclude(cause="").values_list("cause", flat=True))
    assert len(causes) >= 3
    states = dict(Lead.objects.values_list("state").annotate(n=Count("pk")))
    assert {"reported", "accepted", "rejected", "converted", "lost"} <= set(states)
    assert MonthClose.objects.count() == 11
    assert Order.objects.filter(project__lead__isnull=False, confirmed_on__isnull=False).exists()
