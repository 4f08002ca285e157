"""A new record saved with its next code: on PostgreSQL counter, registry entry and record go
in one statement; the codes, the registry and the errors are those of the checked path
(SQLite, and PostgreSQL whenever the registry refuses the code)."""

import pytest
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext, isolate_apps

from tracecode.codes import services
from tracecode.codes.models import CodeEntry, Counter
from tracecode.codes.services import CodingError

from .helpers import load


@pytest.fixture
def item_model(transactional_db):
    """A minimal record of its own (a code and a name): no signal, no save() of its own."""
    with isolate_apps("tracecode.codes"):

        class Item(models.Model):  # noqa: DJ008
            code = models.CharField(max_length=40, unique=True)
            name = models.CharField(max_length=100)

            class Meta:
                app_label = "codes"
                db_table = "codes_test_item"

    with connection.schema_editor() as editor:
        editor.create_model(Item)
    yield Item
    with connection.schema_editor() as editor:
        editor.delete_model(Item)


def test_a_record_alone_gets_the_next_code_in_one_round_trip(item_model):
    load('[scheme.item]\npattern = "IT{serial:3+}"\n')
    services.create_with_code(item_model(name="first"), "item")
    services.schemes()  # compiled and checked: what follows is the save alone
    with CaptureQueriesContext(connection) as queries:
        item = services.create_with_code(item_model(name="second"), "item")
    assert item.code == "IT002" and item.pk is not None
    assert item_model.objects.get(pk=item.pk).code == "IT002"
    entry = CodeEntry.objects.get(code="IT002")
    assert (entry.scheme, entry.serial, entry.record_type) == ("item", 2, "codes.item")
    if connection.vendor == "postgresql":
        assert len(queries) == 1, [q["sql"] for q in queries]


def test_a_code_that_does_not_fit_is_refused_and_nothing_is_written(item_model):
    load('[scheme.tiny]\npattern = "T{serial:1}"\n')
    for n in range(1, 10):
        assert services.create_with_code(item_model(name=str(n)), "tiny").code == f"T{n}"
    refused = item_model(name="tenth")
    with pytest.raises(CodingError) as error:
        services.create_with_code(refused, "tiny")
    assert "tiny" in str(error.value) and error.value.field == "serial"
    assert refused.pk is None and refused.code == ""
    assert item_model.objects.count() == 9 and CodeEntry.objects.count() == 9
    assert Counter.objects.get(scheme="tiny").last == 9


def test_a_code_already_in_the_registry_is_refused_and_nothing_is_written(item_model):
    load('[scheme.item]\npattern = "IT{serial:3+}"\n')
    CodeEntry.objects.create(code="IT002", scheme="other", serial=2)
    assert services.create_with_code(item_model(name="first"), "item").code == "IT001"
    with pytest.raises(CodingError, match="already registered"):
        services.create_with_code(item_model(name="second"), "item")
    assert list(item_model.objects.values_list("code", flat=True)) == ["IT001"]
    assert Counter.objects.get(scheme="item").last == 1


def test_a_record_saved_in_a_transaction_that_rolls_back_gives_its_number_back(item_model):
    load('[scheme.item]\npattern = "IT{serial:3+}"\n')
    with pytest.raises(RuntimeError), transaction.atomic():
        assert services.create_with_code(item_model(name="lost"), "item").code == "IT001"
        raise RuntimeError("the rest of the work failed")
    assert services.create_with_code(item_model(name="kept"), "item").code == "IT001"
    assert list(CodeEntry.objects.values_list("code", flat=True)) == ["IT001"]


def test_a_record_with_signals_gets_its_code_and_its_search_entry_together(alice):
    from tracecode.customers.models import Customer
    from tracecode.search.models import Entry

    customer = services.create_with_code(
        Customer(company_name="Nordwerk Automotive GmbH", owner=alice), "customer"
    )
    assert customer.code == "RK001"
    assert Entry.objects.filter(object_type="customers.customer", object_id=customer.pk,
                                code="RK001").exists()  # fmt: skip
