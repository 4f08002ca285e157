"""Adding a kind is one registration: a toy kind appears in search, on the Everything page, in
the folder .zip and on the timeline, with nothing else changed."""

import datetime
import io
import zipfile

import pytest
from django.apps import apps
from django.db import connection, models

from tracecode.accounts.visibility import VisibleQuerySet
from tracecode.codes import registry
from tracecode.files import services as files
from tracecode.records.tree import timeline
from tracecode.sales.tests.factories import make_customer, make_project, order_in
from tracecode.search import index
from tracecode.search.services import search

from .helpers import upload

pytestmark = pytest.mark.django_db(transaction=True)


def _sticker_row(sticker) -> registry.Row:
    return registry.Row(title=sticker.name, code=sticker.code, date=sticker.made_on)


def _sticker_entries(sticker):
    yield {
        "kind": "sticker",
        "code": sticker.code,
        "title": sticker.name,
        "text": "carton label",
        "customer": sticker.order.project.customer_id,
        "url": f"/everything/{sticker.code}/",
        "date": sticker.made_on,
        "parents": [*registry.lineage(sticker)],
    }


@pytest.fixture
def sticker_model(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    class Sticker(models.Model):
        customer_path = "order__project__customer"
        code = models.CharField(max_length=40, unique=True)
        name = models.CharField(max_length=100)
        order = models.ForeignKey("sales.Order", models.CASCADE, related_name="+")
        made_on = models.DateField()
        objects = VisibleQuerySet.as_manager()

        class Meta:
            app_label = "records"

        def __str__(self) -> str:
            return self.code

    with connection.schema_editor() as editor:
        editor.create_model(Sticker)
    registry.register(
        registry.Kind(
            "sticker", Sticker, "Stickers", position=45, parent="order", row=_sticker_row,
            entries=_sticker_entries, date="made_on", timeline="records/_timeline_row.html",
            folder=lambda sticker: sticker.name,
        )
    )  # fmt: skip
    yield Sticker
    registry.unregister("sticker")
    index.unregister(Sticker)
    with connection.schema_editor() as editor:
        editor.delete_model(Sticker)
    del apps.all_models["records"]["sticker"]
    apps.clear_cache()


def test_a_registered_toy_kind_is_found_everywhere(sticker_model, alice, bob, client_of):
    customer = make_customer(alice)
    order = order_in("confirmed", make_project(customer))
    sticker = sticker_model.objects.create(
        code="STK-0001", name="Carton label A", order=order, made_on=datetime.date(2026, 12, 3)
    )
    files.store(sticker, upload("label artwork.pdf"), user=alice, document_type="Other")

    hits = [hit for group in search(alice, "STK-0001").groups for hit in group.hits]
    assert ("sticker", "STK-0001") in [(hit.kind, hit.code) for hit in hits]
    assert search(bob, "STK-0001").groups == []
    below = [
        (hit.kind, hit.code) for group in search(alice, order.code).groups for hit in group.hits
    ]
    assert ("sticker", "STK-0001") in below and ("file", "STK-0001") in below

    page = client_of(alice).get(f"/everything/{order.code}/").content.decode()
    assert "Stickers" in page and "Carton label A" in page and "STK-0001 Other" in page
    page = client_of(alice).get("/everything/STK-0001/").content.decode()
    assert order.code in page and customer.code in page and "label artwork.pdf" in page
    assert client_of(bob).get("/everything/STK-0001/").status_code == 404

    archive = client_of(alice).get(f"/files/of/{customer.code}/zip/")
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert any("/STK-0001 Carton label A/Other/STK-0001 Other" in name for name in names), names

    moments = timeline(customer.code, alice)
    assert [m.item.code for m in moments if m.kind.name == "sticker"] == ["STK-0001"]
    sheet = client_of(alice).get(f"/sales/orders/{order.code}/").content.decode()
    assert "Carton label A" in sheet
