"""Creating and editing a customer in the browser form: what was typed stays, and each bad
field says what is wrong."""

import pytest
from django.utils.translation import override

from tracecode.customers.countries import country_choices, country_name, to_e164
from tracecode.customers.models import Customer

from .factories import industry, new_customer

pytestmark = pytest.mark.django_db


def test_bad_phone_email_country_and_url_keep_what_was_typed(client_of, alice):
    data = {
        "company_name": "Lyon Précision Médicale SARL",
        "country": "ZZ",
        "email": "achats@lyon-precision",
        "website": "http://exa mple",
        "phone": "04 72 00",
    }
    response = client_of(alice).post("/customers/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"country", "email", "website"}
    page = response.content.decode()
    assert 'value="Lyon Précision Médicale SARL"' in page
    assert 'value="achats@lyon-precision"' in page
    assert 'aria-invalid="true"' in page
    assert not Customer.objects.exists()


def test_a_phone_is_read_with_the_customers_country(client_of, alice):
    bad = client_of(alice).post(
        "/customers/new/", {"company_name": "Lyon SARL", "country": "FR", "phone": "04 72 00"}
    )
    assert "valid phone number" in bad.context["form"].errors["phone"][0]
    assert 'value="04 72 00"' in bad.content.decode()
    client_of(alice).post(
        "/customers/new/", {"company_name": "Lyon SARL", "country": "FR", "phone": "04 72 00 11 22"}
    )
    assert Customer.objects.get().phone == "+33472001122"


def test_a_phone_without_country_code_needs_the_country():
    with pytest.raises(ValueError):
        to_e164("0711 123456", "")
    assert to_e164("+49 711 123456", "") == "+49711123456"
    assert to_e164("138 0013 8000", "CN") == "+8613800138000"


def test_countries_are_named_and_sorted_in_the_readers_language():
    with override("en"):
        names = [name for _, name in country_choices()]
        assert names.index("Germany") < names.index("Japan") < names.index("United States")
        assert country_name("DE") == "Germany"
    with override("zh-hans"):
        assert country_name("DE") == "德国"
        names = [name for _, name in country_choices()]
        # 德国 (de) before 法国 (fa) before 日本 (ri) before 意大利 (yi): by pinyin
        assert (
            names.index("德国") < names.index("法国") < names.index("日本") < names.index("意大利")
        )


def test_an_nda_needs_its_date(client_of, alice):
    response = client_of(alice).post(
        "/customers/new/", {"company_name": "Milano Motori", "country": "IT", "nda_signed": "on"}
    )
    assert response.context["form"].errors["nda_date"] == ["Give the date the NDA was signed."]


def test_a_class_set_by_hand_needs_a_reason(client_of, alice):
    response = client_of(alice).post(
        "/customers/new/", {"company_name": "Milano Motori", "country": "IT", "class_override": "A"}
    )
    assert "class_override_reason" in response.context["form"].errors


def test_the_form_groups_the_fields_as_the_sheet_does(client_of, alice):
    page = client_of(alice).get("/customers/new/").content.decode()
    for group in ["Basic information", "Business follow-up", "Cooperation",
                  "Classification and credit"]:  # fmt: skip
        assert group in page
    assert page.index("Basic information") < page.index("Business follow-up")


def test_lists_offer_entries_an_administrator_added(client_of, alice):
    from tracecode.customers.models import Industry

    industry()
    Industry.objects.create(code="robotics", name="Robotics", name_zh="机器人")
    Industry.objects.filter(code="marine").update(active=False)
    page = client_of(alice).get("/customers/new/").content.decode()
    assert "Robotics" in page and "Marine" not in page


def test_editing_saves_and_goes_back_to_the_sheet(client_of, alice):
    customer = new_customer(alice, "Milano Motori S.p.A.", country="IT")
    client = client_of(alice)
    page = client.get("/customers/RK001/edit/").content.decode()
    assert 'name="version" value="1"' in page
    response = client.post(
        "/customers/RK001/edit/",
        {"company_name": "Milano Motori S.p.A.", "country": "IT", "city": "Torino",
         "version": "1"},
    )  # fmt: skip
    assert response.status_code == 302 and response.url == customer.get_absolute_url()
    customer.refresh_from_db()
    assert customer.city == "Torino" and customer.version == 2


def test_a_viewer_cannot_open_the_forms(client_of, alice, viewer):
    new_customer(alice, shared_with=[viewer])
    client = client_of(viewer)
    assert client.get("/customers/new/").status_code == 403
    assert client.get("/customers/RK001/edit/").status_code == 403
    assert client.post("/customers/RK001/log/", {"summary": "x"}).status_code == 403


def test_the_edit_form_starts_from_the_saved_list_entries(client_of, alice):
    from tracecode.customers.models import BusinessStatus

    new_customer(
        alice, industry=industry("medical"), status=BusinessStatus.objects.get(code="paused")
    )
    page = client_of(alice).get("/customers/RK001/edit/").content.decode()
    assert '<option value="medical" selected>' in page
    assert '<option value="paused" selected>' in page
    sheet = client_of(alice).get("/customers/RK001/").content.decode()
    assert '<option value="paused" selected>' in sheet  # the next-step form on the sheet
