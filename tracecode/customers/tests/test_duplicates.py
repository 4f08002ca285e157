"""Before a customer is created, a warning names those that look the same: same email, same
company mail domain (not public providers), same phone, same website or a very similar name."""

import pytest

from tracecode.customers.duplicates import company_key, find_duplicates, mail_domain
from tracecode.customers.models import Customer

from .factories import new_contact, new_customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nordwerk Automotive GmbH", "NORDWERK AUTOMOTIVE G.m.b.H."),
        ("Osaka Kiki Seisakusho Co., Ltd.", "Osaka Kiki Seisakusho Co Ltd"),
        ("Milano Motori S.p.A.", "Milano Motori SpA"),
        ("Pacific Aero Components Inc.", "Pacific Aero Components, LLC"),
        ("Lyon Précision Médicale SARL", "Lyon Precision Medicale"),
        ("深圳华联医疗器械有限公司", "深圳华联医疗器械股份有限公司"),
    ],
)
def test_names_differing_in_case_punctuation_and_legal_form_match(a, b):
    assert company_key(a) == company_key(b)


def test_public_mail_providers_say_nothing_about_the_company():
    assert mail_domain("hans.mueller@gmail.com") == ""
    assert mail_domain("sales@qq.com") == ""
    assert mail_domain("einkauf@nordwerk-automotive.de") == "nordwerk-automotive.de"


def test_each_kind_of_likeness_is_found_and_said(alice):
    nordwerk = new_customer(
        alice, email="info@nordwerk-automotive.de", phone="+49711123456",
        website="https://www.nordwerk-automotive.de",
    )  # fmt: skip
    new_contact(nordwerk, alice, email="j.weber@nordwerk-automotive.de")

    def reasons(**typed):
        found = find_duplicates(alice, **typed)
        return found[0].reasons if found else []

    assert reasons(email="info@nordwerk-automotive.de") == ["same email"]
    assert reasons(email="j.weber@nordwerk-automotive.de") == ["same email"]
    assert reasons(email="k.braun@nordwerk-automotive.de") == [
        "same mail domain @nordwerk-automotive.de"
    ]
    assert reasons(phone="+49711123456") == ["same phone"]
    assert reasons(website="nordwerk-automotive.de/en/") == ["same website"]
    assert reasons(company_name="Nordwerk Automotiv GmbH") == ["similar company name"]
    assert reasons(email="someone@gmail.com", company_name="Bayern Fluidtechnik") == []


def test_only_customers_the_user_may_see_are_named(alice, bob):
    new_customer(alice, email="info@nordwerk-automotive.de")
    assert find_duplicates(bob, email="x@nordwerk-automotive.de") == []


def test_the_warning_appears_as_the_user_types(client_of, alice):
    new_customer(alice, "Lyon Précision Médicale SARL", email="achats@lyon-precision.fr")
    client = client_of(alice)
    form = client.get("/customers/new/").content.decode()
    assert 'hx-post="/customers/duplicates/"' in form
    page = client.post("/customers/duplicates/", {"email": "qualite@lyon-precision.fr"})
    html = page.content.decode()
    assert "may already be in the archive" in html and 'href="/customers/RK001/"' in html
    assert client.post("/customers/duplicates/", {"email": "a@gmail.com"}).content.strip() == b""


def test_on_submit_the_warning_holds_the_save_until_confirmed(client_of, alice):
    new_customer(alice, "Lyon Précision Médicale SARL", email="achats@lyon-precision.fr")
    client = client_of(alice)
    data = {"company_name": "LPM Lyon", "country": "FR", "email": "qualite@lyon-precision.fr"}
    response = client.post("/customers/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "same mail domain @lyon-precision.fr" in page
    assert 'name="confirm_duplicates"' in page
    assert Customer.objects.count() == 1
    response = client.post("/customers/new/", {**data, "confirm_duplicates": "1"})
    assert response.status_code == 302 and Customer.objects.count() == 2


@pytest.mark.parametrize("website", ["http://[", "https://[::1", "//a:b:c]", "http://x:99999999"])
def test_a_website_that_is_no_address_finds_nothing_and_breaks_nothing(alice, client_of, website):
    new_customer(alice, website="https://nordwerk-automotive.de")
    assert find_duplicates(alice, website=website) == []
    response = client_of(alice).get("/api/customers/duplicates", {"website": website})
    assert response.status_code == 200 and response.json() == []
