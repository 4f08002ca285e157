import datetime

import pytest
from django.db import connection, transaction

from tracecode.codes import services
from tracecode.codes.models import CodeEntry, Counter, CounterChange
from tracecode.codes.services import CodingError

from .helpers import give, load

pytestmark = pytest.mark.django_db


def test_the_reko_preset_is_in_force_by_default():
    assert list(services.schemes()) == [
        "customer", "contact", "project", "quotation", "order", "complaint",
    ]  # fmt: skip


def test_the_first_customer_gets_RK001_and_the_next_RK002():
    assert give("customer") == "RK001"
    assert give("customer") == "RK002"


def test_projects_count_per_customer():
    a, b = give("customer"), give("customer")
    assert give("project", parent=a) == "RK001-1"
    assert give("project", parent=a) == "RK001-2"
    assert give("project", parent=b) == "RK002-1"


def test_second_sample_order_gets_S2_and_the_first_mass_order_M1():
    project = give("project", parent=give("customer"))
    assert give("order", parent=project, fields={"kind": "S"}) == "RK001-1-S1"
    assert give("order", parent=project, fields={"kind": "S"}) == "RK001-1-S2"
    assert give("order", parent=project, fields={"kind": "M"}) == "RK001-1-M1"


def test_a_rolled_back_save_gives_its_number_back():
    give("customer")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert services.allocate("customer").code == "RK002"
        raise RuntimeError("the record failed to save")
    assert give("customer") == "RK002"
    assert list(CodeEntry.objects.values_list("code", flat=True).order_by("code")) == [
        "RK001",
        "RK002",
    ]


def test_a_cancelled_code_stays_used():
    give("customer")
    services.cancel("RK001", reason="duplicate enquiry")
    assert give("customer") == "RK002"
    entry = CodeEntry.objects.get(code="RK001")
    assert entry.is_cancelled and entry.cancel_reason == "duplicate enquiry"


def test_nothing_new_is_numbered_under_a_cancelled_parent():
    customer = give("customer")
    services.cancel(customer)
    with pytest.raises(CodingError, match="cancelled"):
        give("project", parent=customer)


def test_a_parent_must_be_a_registered_code():
    with pytest.raises(CodingError, match="RK404 is not a registered code"):
        give("project", parent="RK404")


def test_a_wrong_table_value_says_which_field_and_why():
    project = give("project", parent=give("customer"))
    with pytest.raises(CodingError) as error:
        give("order", parent=project, fields={"kind": "X"})
    assert error.value.field == "kind"
    assert "'X' is not in table kind" in str(error.value)


def test_preview_uses_nothing_up():
    give("customer")
    assert services.preview("customer") == "RK002"
    assert services.preview("customer") == "RK002"
    assert give("customer") == "RK002"


def test_a_full_fixed_serial_is_an_error_naming_scheme_and_scope():
    load('[scheme.tiny]\npattern = "T{YYYY}-{serial:1}"\n')
    day = datetime.date(2026, 11, 22)
    for n in range(1, 10):
        assert give("tiny", date=day) == f"T2026-{n}"
    with pytest.raises(CodingError) as error:
        give("tiny", date=day)
    assert "tiny" in str(error.value) and "YYYY=2026" in str(error.value)
    assert Counter.objects.get(scheme="tiny").last == 9  # the failed one took nothing
    assert give("tiny", date=datetime.date(2027, 1, 1)) == "T2027-1"  # a new year, a new scope


def test_a_widening_scheme_grows_a_digit_instead():
    load('[scheme.wide]\npattern = "W{serial:1}"\non_overflow = "widen"\n')
    codes = [give("wide") for _ in range(10)]
    assert codes[-2:] == ["W9", "W10"]


def test_quotations_by_month_count_per_month():
    load('[scheme.bj]\npattern = "BJ{YYYY}{MM}{serial:4}"\n')
    november, december = datetime.date(2026, 11, 3), datetime.date(2026, 12, 1)
    assert give("bj", date=november) == "BJ2026110001"
    assert give("bj", date=november) == "BJ2026110002"
    assert give("bj", date=december) == "BJ2026120001"


def test_set_next_moves_forward_only_and_is_recorded(administrator):
    give("customer")
    assert (
        services.set_next("customer", 1038, user=administrator, reason="continue the old list")
        == "RK1038"
    )
    assert give("customer") == "RK1038"
    with pytest.raises(CodingError, match="only moves forward"):
        services.set_next("customer", 5, user=administrator)
    change = CounterChange.objects.get()
    assert (change.old_last, change.new_last, change.changed_by) == (1, 1037, administrator)


def test_a_registered_code_never_changes():
    give("customer")
    entry = CodeEntry.objects.get(code="RK001")
    entry.code = "RK999"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        CodeEntry.objects.filter(code="RK001").update(code="RK999")
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        CodeEntry.objects.all().delete()


def test_the_database_itself_refuses_to_change_a_code():
    give("customer")
    with (
        pytest.raises(Exception, match="never changes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE codes_codeentry SET code = 'RK999' WHERE code = 'RK001'")
    assert CodeEntry.objects.filter(code="RK001").exists()


def test_a_record_keeps_its_code(alice):
    from tracecode.customers.models import Customer

    customer = services.create_with_code(
        Customer(company_name="Nordwerk Automotive GmbH", owner=alice), "customer"
    )
    assert customer.code == "RK001"
    assert CodeEntry.objects.get(code="RK001").record_type == "customers.customer"
    customer = Customer.objects.get(pk=customer.pk)
    customer.code = "RK002"
    with pytest.raises(PermissionError):
        customer.save()
