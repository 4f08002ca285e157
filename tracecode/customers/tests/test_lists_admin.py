"""Industries, customer sources, backgrounds and business statuses are lists an administrator
extends in the admin site; they start with SPEC §3's values in English and Chinese."""

import pytest
from django.utils.translation import override

from tracecode.customers.lists import seed_app_lists
from tracecode.customers.models import BusinessStatus, CustomerSource, Industry

pytestmark = pytest.mark.django_db


def test_the_lists_start_with_the_specs_values_in_both_languages():
    seed_app_lists()
    assert {"automotive", "medical", "aerospace"} <= set(
        Industry.objects.values_list("code", flat=True)
    )
    assert set(BusinessStatus.objects.values_list("code", flat=True)) == {
        "following-up", "order-placed", "paused", "lost-contact",
    }  # fmt: skip
    source = CustomerSource.objects.get(code="trade-show")
    with override("en"):
        assert str(source) == "Trade show"
    with override("zh-hans"):
        assert str(source) == "展会"


def test_an_administrator_adds_an_industry(client_of, administrator):
    response = client_of(administrator).post(
        "/admin/customers/industry/add/",
        {"code": "robotics", "name": "Robotics", "name_zh": "机器人", "position": "5",
         "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Industry.objects.get(code="robotics").name_zh == "机器人"


def test_customers_are_read_only_in_the_admin(client_of, administrator):
    client = client_of(administrator)
    assert client.get("/admin/customers/customer/add/").status_code == 403


def test_sales_users_do_not_get_into_the_admin(client_of, alice):
    response = client_of(alice).get("/admin/customers/industry/")
    assert response.status_code == 302 and "/admin/login/" in response.url
