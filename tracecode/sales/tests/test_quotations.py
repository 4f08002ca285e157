"""Quotations in the browser: lines with quantity tiers, issued as PDF revisions, answered."""

import pytest

from tracecode.sales.models import Project, Quotation

from .factories import days, make_customer, make_project, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project(alice):
    return make_project(make_customer(alice, name="Pacific Aero Components Inc."), name="BRKT-77")


def quotation_data(**extra):
    data = {
        "quoted_on": today().isoformat(),
        "valid_until": days(30).isoformat(),
        "currency": "USD",
        "incoterm": "DAP",
        "incoterm_place": "Wichita, KS",
        "lead_time": "6 weeks after PO",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": "BRKT-77",
        "lines-0-quantity": "20",
        "lines-0-unit": "pcs",
        "lines-0-unit_price": "48.00",
        "lines-1-item": "BRKT-77",
        "lines-1-quantity": "400",
        "lines-1-unit": "pcs",
        "lines-1-unit_price": "38.50",
        "lines-2-item": "",
        "lines-2-unit": "pcs",
    }
    data.update(extra)
    return data


def test_a_quotation_with_tiers_is_issued_and_accepted(client_of, alice, project):
    client = client_of(alice)
    response = client.post(f"/sales/projects/{project.code}/quotations/new/", quotation_data())
    quotation = Quotation.objects.get()
    assert response["Location"] == f"/sales/quotations/{quotation.code}/"
    assert [str(q) for q in quotation.lines.values_list("quantity", flat=True)] == [
        "20.000",
        "400.000",
    ]
    client.post(f"/sales/quotations/{quotation.code}/issue/")
    client.post(f"/sales/quotations/{quotation.code}/issue/")
    assert list(quotation.revisions.values_list("number", flat=True)) == [2, 1]
    pdf = client.get(f"/sales/quotations/{quotation.code}/revisions/1/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    client.post(f"/sales/quotations/{quotation.code}/status/", {"status": "accepted"})
    quotation.refresh_from_db()
    assert quotation.status == "accepted"
    assert Project.objects.get(pk=project.pk).status == "quoting"
    page = client.get(f"/sales/quotations/{quotation.code}/edit/", follow=True).content.decode()
    assert "no longer changed" in page


def test_a_quotation_cannot_expire_before_its_date(client_of, alice, project):
    response = client_of(alice).post(
        f"/sales/projects/{project.code}/quotations/new/",
        quotation_data(valid_until=days(-1).isoformat()),
    )
    assert "A quotation cannot expire before its date." in response.content.decode()
    assert not Quotation.objects.exists()


def test_an_empty_quotation_is_not_sent(client_of, alice, project):
    client = client_of(alice)
    data = quotation_data(**{"lines-TOTAL_FORMS": "0"})
    client.post(f"/sales/projects/{project.code}/quotations/new/", data)
    quotation = Quotation.objects.get()
    page = client.post(f"/sales/quotations/{quotation.code}/issue/", follow=True).content.decode()
    assert "add at least one line before sending the quotation" in page
    assert not quotation.revisions.exists()


def test_a_lost_project_needs_a_reason(client_of, alice, project):
    client = client_of(alice)
    url = f"/sales/projects/{project.code}/move/lose/"
    page = client.post(url, {"lose-lost_reason": ""})
    assert page.status_code == 422 and "Say why the project was lost." in page.content.decode()
    assert Project.objects.get(pk=project.pk).status == project.status
    client.post(url, {"lose-lost_reason": "Price: 15% above the incumbent"})
    lost = Project.objects.get(pk=project.pk)
    assert lost.status == "lost" and lost.lost_reason == "Price: 15% above the incumbent"
    history = client.get(f"/sales/projects/{project.code}/").content.decode()
    assert "Lost: Price: 15% above the incumbent" in history


def test_quotations_through_the_api_keep_their_revisions(client, alice, project, token_of):
    headers = {"Authorization": token_of(alice)}
    created = client.post(
        "/api/sales/quotations",
        {
            "project": project.code,
            "valid_until": days(30).isoformat(),
            "lines": [{"item": "BRKT-77", "quantity": "20", "unit_price": "48"}],
        },
        content_type="application/json",
        headers=headers,
    ).json()
    code = created["code"]
    client.post(f"/api/sales/quotations/{code}/issue", headers=headers)
    patched = client.patch(
        f"/api/sales/quotations/{code}",
        {
            "version": created["version"],
            "lines": [{"item": "BRKT-77", "quantity": "20", "unit_price": "46"}],
        },
        content_type="application/json",
        headers=headers,
    )
    assert patched.status_code == 409  # issuing moved the version on
    current = client.get(f"/api/sales/quotations/{code}", headers=headers).json()
    patched = client.patch(
        f"/api/sales/quotations/{code}",
        {
            "version": current["version"],
            "lines": [{"item": "BRKT-77", "quantity": "20", "unit_price": "46"}],
        },
        content_type="application/json",
        headers=headers,
    )
    assert patched.status_code == 200 and patched.json()["lines"][0]["unit_price"] == "46.0000"
    client.post(f"/api/sales/quotations/{code}/issue", headers=headers)
    revisions = client.get(f"/api/sales/quotations/{code}", headers=headers).json()["revisions"]
    assert [r["number"] for r in revisions] == [1, 2]
