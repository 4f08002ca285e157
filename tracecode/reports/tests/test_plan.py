"""Targets per salesperson and month, plan against result, and closed months kept as they were."""

from decimal import Decimal

import pytest

from tracecode.leads import services as leads
from tracecode.leads.models import Lead
from tracecode.reports import figures, services
from tracecode.reports.models import MonthClose
from tracecode.sales.models import Order

from .helpers import TODAY, confirmed, customer, d, project, rows_by

pytestmark = pytest.mark.django_db

OCTOBER = d("2026-10-01")


def target(manager, person, value="1000", new=1, leads_=2, month=OCTOBER):
    return services.set_target(person, month, user=manager, order_value=Decimal(value),
                               new_customers=new, leads_followed=leads_)  # fmt: skip


def followed_lead(person, on):
    lead = leads.report_lead(Lead(company_name="Hanse Pumpen GmbH", product="Housings",
                                  expected_value=Decimal(1000), expected_month=OCTOBER,
                                  probability=50), user=person)  # fmt: skip
    return lead


def test_a_month_sets_each_salespersons_result_against_their_target(manager, alice, bob):
    target(manager, alice, "1000", new=1)
    target(manager, bob, "500", new=2)
    first = project(customer(alice, "First-time buyer"))
    confirmed(first, d("2026-10-05"), "800", "CNY")
    old = project(customer(alice, "Old friend"))
    confirmed(old, d("2026-05-01"), "100", "CNY")
    confirmed(old, d("2026-10-20"), "400", "CNY")
    confirmed(project(customer(bob)), d("2026-11-01"), "999", "CNY")  # November
    rows = rows_by(figures.plan_against_result(manager, OCTOBER).table("plan"), "username")
    assert (rows["alice"]["order_value"], rows["alice"]["order_value_rate"]) == (
        Decimal("1200.00"), Decimal("120.0"))  # fmt: skip
    assert (rows["alice"]["new_customers"], rows["alice"]["new_customers_target"]) == (1, 1)
    assert (rows["bob"]["order_value"], rows["bob"]["order_value_rate"]) == (
        Decimal(0),
        Decimal("0.0"),
    )
    total = figures.plan_against_result(manager, OCTOBER).table("plan").total
    assert total["order_value_target"] == Decimal("1500.00")


def test_a_sales_person_sees_only_their_own_row(manager, alice, bob):
    target(manager, alice)
    target(manager, bob)
    rows = figures.plan_against_result(alice, OCTOBER).table("plan")
    assert [r["username"] for r in rows.rows] == ["alice"] and rows.total is None


def test_leads_followed_count_the_leads_with_a_result_that_month(manager, alice):
    lead = followed_lead(alice, OCTOBER)
    leads.accept(lead, user=manager, assigned_to=alice, plan="Call", follow_up_due=OCTOBER)
    leads.record_result(lead, user=alice, note="Called", on=d("2026-10-03"))
    leads.record_result(lead, user=alice, note="Called again", on=d("2026-10-09"))
    rows = rows_by(figures.plan_against_result(manager, OCTOBER).table("plan"), "username")
    assert rows["alice"]["leads_followed"] == 1


def test_a_closed_month_keeps_its_figures_when_later_records_change(manager, alice):
    target(manager, alice, "1000")
    order = confirmed(project(customer(alice)), d("2026-10-05"), "800", "CNY")
    services.close_month(OCTOBER, user=manager, today=TODAY)
    Order.objects.filter(pk=order.pk).update(total=Decimal("300"))  # corrected later
    report = figures.plan_against_result(manager, OCTOBER)
    row = rows_by(report.table("plan"), "username")["alice"]
    assert row["order_value"] == Decimal("800.00") and row["order_value_rate"] == Decimal("80.0")
    corrections = report.table("corrections").rows
    assert corrections == [{"salesperson": "Alice", "figure": "Order value",
                            "closed": "800.00", "now": "300.00"}]  # fmt: skip
    assert "Closed on" in report.notes[0]


def test_a_closed_months_targets_no_longer_change(manager, alice):
    target(manager, alice, "1000")
    services.close_month(OCTOBER, user=manager, today=TODAY)
    with pytest.raises(services.PlanRefused, match="closed"):
        target(manager, alice, "5")
    with pytest.raises(services.PlanRefused, match="already closed"):
        services.close_month(OCTOBER, user=manager, today=TODAY)


def test_only_a_manager_sets_targets_and_closes_a_month_that_is_over(manager, alice):
    with pytest.raises(services.NotAManager):
        target(alice, alice)
    with pytest.raises(services.NotAManager):
        services.close_month(OCTOBER, user=alice, today=TODAY)
    with pytest.raises(services.PlanRefused, match="not over"):
        services.close_month(d("2026-11-01"), user=manager, today=TODAY)
    assert not MonthClose.objects.exists()
    with pytest.raises(services.PlanRefused, match="negative"):
        target(manager, alice, "-1")
