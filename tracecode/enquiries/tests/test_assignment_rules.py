"""New enquiries go to a salesperson by the administrator's rules: by country, by industry,
else in turn; nobody when no rule fits (managers assign)."""

import pytest

from tracecode.customers.tests.factories import industry
from tracecode.enquiries import services
from tracecode.enquiries.admin import AssignmentRuleForm
from tracecode.enquiries.models import AssignmentRule

from .factories import web_enquiry

pytestmark = pytest.mark.django_db


def test_a_country_rule_comes_first(alice, bob):
    AssignmentRule.objects.create(kind="turn", assignee=alice, position=100)
    AssignmentRule.objects.create(kind="country", country="DE", assignee=bob, position=10)
    assert web_enquiry(country="DE").assigned_to == bob
    assert web_enquiry(country="FR").assigned_to == alice


def test_an_industry_rule(alice, bob):
    medical = industry("medical")
    AssignmentRule.objects.create(kind="industry", industry=medical, assignee=bob)
    AssignmentRule.objects.create(kind="turn", assignee=alice, position=200)
    enquiry = web_enquiry(industry=medical)
    assert (enquiry.assigned_to, enquiry.rule.kind) == (bob, "industry")
    assert web_enquiry().assigned_to == alice


def test_in_turn_each_gets_the_next_one(alice, bob, manager):
    for position, user in enumerate([alice, bob, manager]):
        AssignmentRule.objects.create(kind="turn", assignee=user, position=position)
    assigned = [web_enquiry().assigned_to for _ in range(5)]
    assert assigned == [alice, bob, manager, alice, bob]


def test_looking_at_who_it_would_be_does_not_use_a_turn(alice, bob):
    AssignmentRule.objects.create(kind="turn", assignee=alice, position=1)
    AssignmentRule.objects.create(kind="turn", assignee=bob, position=2)
    assert services.pick_assignee("CA", advance=False)[0] == alice
    assert services.pick_assignee("CA", advance=False)[0] == alice
    assert web_enquiry().assigned_to == alice


def test_without_a_rule_that_fits_nobody_gets_it(alice, administrator):
    AssignmentRule.objects.create(kind="country", country="JP", assignee=alice)
    AssignmentRule.objects.create(kind="turn", assignee=alice, active=False)
    AssignmentRule.objects.create(kind="turn", assignee=administrator)  # not a salesperson
    enquiry = web_enquiry(country="CA")
    assert (enquiry.assigned_to, enquiry.rule) == (None, None)


def test_the_admin_form_checks_what_a_rule_needs(viewer, alice):
    assert not AssignmentRuleForm(
        {"kind": "country", "assignee": alice.pk, "position": 1}
    ).is_valid()
    form = AssignmentRuleForm({"kind": "turn", "assignee": viewer.pk, "position": 1})
    assert "Enquiries go to sales people and managers." in form.errors["assignee"]
    assert AssignmentRuleForm(
        {"kind": "country", "country": "DE", "assignee": alice.pk, "position": 1}
    ).is_valid()


def test_administrators_keep_the_rules_in_the_api(administrator, manager, alice, client, token_of):
    admin = {"Authorization": token_of(administrator)}
    made = client.post(
        "/api/enquiries/rules",
        {"kind": "country", "country": "de", "assignee": "alice"},
        "application/json",
        headers=admin,
    )
    assert made.status_code == 201
    assert made.json()["country"] == "DE"
    listed = client.get("/api/enquiries/rules", headers={"Authorization": token_of(manager)})
    assert [r["assignee"] for r in listed.json()] == ["alice"]
    sales = {"Authorization": token_of(alice)}
    assert client.get("/api/enquiries/rules", headers=sales).status_code == 403
    refused = client.post(
        "/api/enquiries/rules", {"kind": "turn", "assignee": "alice"}, "application/json",
        headers={"Authorization": token_of(manager)},
    )  # fmt: skip
    assert refused.status_code == 403
    bad = client.post(
        "/api/enquiries/rules", {"kind": "industry", "assignee": "ada"}, "application/json",
        headers=admin,
    )  # fmt: skip
    assert set(bad.json()["error"]["fields"]) == {"assignee", "industry"}
    rule = made.json()["id"]
    assert client.delete(f"/api/enquiries/rules/{rule}", headers=admin).status_code == 204
