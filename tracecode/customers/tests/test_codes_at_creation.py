"""A customer gets its code when it is created, from the `customer` scheme in force, and
nobody can change it afterwards. Companies with CRM-style codes get them by configuration."""

import pytest

from tracecode.codes import services as codes
from tracecode.codes.models import CodeEntry
from tracecode.customers.models import Customer, Industry

from .factories import new_customer

pytestmark = pytest.mark.django_db

# The seeds' CRM rule (01-02-01-001) and province/city rule (ZJHZ-D0001), loaded as the
# customer and contact schemes of a company that uses them.
CRM_SCHEMES = """
[scheme.customer]
label = "CRM customer"
pattern = "{region}-{industry}-{size}-{serial:3}"

[scheme.customer.tables.region]
"01" = { label = "East China", label_zh = "华东地区" }
"02" = { label = "North China", label_zh = "华北地区" }

[scheme.customer.tables.industry]
"01" = { label = "Manufacturing", label_zh = "制造业" }
"02" = { label = "Finance", label_zh = "金融业" }

[scheme.customer.tables.size]
"01" = { label = "Large enterprise", label_zh = "大型企业" }
"02" = { label = "Small or medium enterprise", label_zh = "中小型企业" }

[scheme.contact]
label = "CRM contact"
parent = "customer"
pattern = "{parent}-{serial:3}"
"""

PROVINCE_CITY_SCHEME = """
[scheme.customer]
label = "Customer"
pattern = "{province:initials:2}{city:initials:2}-{attribute}{serial:4}"

[scheme.customer.tables.attribute]
D = { label = "Direct customer", label_zh = "直接客户" }
Z = { label = "Intermediary", label_zh = "中间商" }
"""


def crm_industries():
    """The company numbers its industry list as its CRM scheme's table does."""
    Industry.objects.create(code="01", name="Manufacturing", name_zh="制造业")
    Industry.objects.create(code="02", name="Finance", name_zh="金融业")


def form(**fields):
    data = {"company_name": "Huadong Securities Co., Ltd.", "country": "CN"}
    data.update(fields)
    return data


def test_the_first_customer_gets_RK001_through_the_form(client_of, alice):
    response = client_of(alice).post("/customers/new/", form(company_name="Nordwerk GmbH"))
    customer = Customer.objects.get()
    assert customer.code == "RK001"
    assert response.url == "/customers/RK001/"
    assert CodeEntry.objects.get(code="RK001").record_type == "customers.customer"


def test_a_crm_scheme_gives_01_02_01_001_through_the_form(client_of, alice):
    codes.load_scheme_file(CRM_SCHEMES)
    crm_industries()
    client = client_of(alice)
    page = client.get("/customers/new/").content.decode()
    assert "East China" in page  # the region select offers the scheme's table
    response = client.post("/customers/new/", form(region="01", industry="02", size="01"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Customer.objects.get().code == "01-02-01-001"
    client.post(
        "/customers/new/",
        form(company_name="Bank of Ningbo", region="01", industry="02", size="01"),
    )
    client.post(
        "/customers/new/", form(company_name="Beijing Tools", region="02", industry="01", size="02")
    )
    assert sorted(Customer.objects.values_list("code", flat=True)) == [
        "01-02-01-001", "01-02-01-002", "02-01-02-001",
    ]  # fmt: skip


def test_a_crm_customers_contacts_get_the_customer_code_and_a_serial(client_of, alice):
    codes.load_scheme_file(CRM_SCHEMES)
    crm_industries()
    client = client_of(alice)
    client.post("/customers/new/", form(region="01", industry="02", size="01"))
    client.post("/customers/01-02-01-001/contacts/new/", {"name": "Wang Lei"})
    client.post("/customers/01-02-01-001/contacts/new/", {"name": "Zhao Min"})
    contacts = Customer.objects.get().contacts.order_by("code")
    assert [c.code for c in contacts] == ["01-02-01-001-001", "01-02-01-001-002"]


def test_a_province_city_scheme_gives_ZJHZ_D0001_through_the_form(client_of, alice):
    codes.load_scheme_file(PROVINCE_CITY_SCHEME)
    client = client_of(alice)
    page = client.get("/customers/new/").content.decode()
    assert 'name="code_attribute"' in page and "Direct customer" in page
    response = client.post(
        "/customers/new/", form(province="浙江", city="杭州", code_attribute="D")
    )
    assert response.status_code == 302
    customer = Customer.objects.get()
    assert customer.code == "ZJHZ-D0001"
    assert customer.code_values == {"attribute": "D"}


def test_a_crm_scheme_gives_its_codes_through_the_api(client, alice, token_of):
    codes.load_scheme_file(CRM_SCHEMES)
    crm_industries()
    body = {"company_name": "Huadong Securities", "country": "CN", "region": "01",
            "industry": "02", "size": "01"}  # fmt: skip
    response = client.post(
        "/api/customers/", body, content_type="application/json",
        headers={"Authorization": token_of(alice)},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "01-02-01-001"


def test_a_province_city_scheme_gives_its_codes_through_the_api(client, alice, token_of):
    codes.load_scheme_file(PROVINCE_CITY_SCHEME)
    body = {"company_name": "杭州西湖精密机械有限公司", "country": "CN", "province": "浙江",
            "city": "杭州", "code_values": {"attribute": "Z"}}  # fmt: skip
    response = client.post(
        "/api/customers/", body, content_type="application/json",
        headers={"Authorization": token_of(alice)},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "ZJHZ-Z0001"


def test_a_missing_coding_field_is_a_field_error_and_nothing_is_saved(client_of, alice):
    codes.load_scheme_file(CRM_SCHEMES)
    crm_industries()
    response = client_of(alice).post("/customers/new/", form(region="01", size="01"))
    assert response.status_code == 200
    assert response.context["form"].errors["industry"]
    assert not Customer.objects.exists() and not CodeEntry.objects.exists()


def test_a_list_entry_outside_the_scheme_table_is_shown_on_its_field(client_of, alice):
    codes.load_scheme_file(CRM_SCHEMES)
    from .factories import industry

    industry("automotive")  # the seeded list: its codes are not CRM table values
    response = client_of(alice).post(
        "/customers/new/", form(region="01", industry="automotive", size="01")
    )
    errors = response.context["form"].errors["industry"]
    assert "'automotive' is not in table industry" in errors[0]
    assert not Customer.objects.exists() and not CodeEntry.objects.exists()


def test_initials_that_cannot_be_read_are_422_in_the_api(client, alice, token_of):
    codes.load_scheme_file(PROVINCE_CITY_SCHEME)
    body = {"company_name": "X", "country": "CN", "province": "浙", "city": "杭州",
            "code_values": {"attribute": "D"}}  # fmt: skip
    response = client.post(
        "/api/customers/", body, content_type="application/json",
        headers={"Authorization": token_of(alice)},
    )  # fmt: skip
    assert response.status_code == 422
    assert "province" in response.json()["error"]["fields"]
    assert not Customer.objects.exists()


def test_nobody_can_change_a_code(client, client_of, alice, administrator, token_of):
    customer = new_customer(alice)
    customer.code = "RK999"
    with pytest.raises(PermissionError):
        customer.save()
    api = client.patch(
        "/api/customers/RK001", {"code": "RK999", "version": 1},
        content_type="application/json", headers={"Authorization": token_of(alice)},
    )  # fmt: skip
    assert api.status_code == 422 and "code" in api.json()["error"]["fields"]
    page = client_of(alice).get("/customers/RK001/edit/").content.decode()
    assert 'name="code"' not in page
    admin = client_of(administrator).get(f"/admin/customers/customer/{customer.pk}/change/")
    assert admin.status_code == 200 and 'name="code"' not in admin.content.decode()
    assert Customer.objects.get().code == "RK001"
