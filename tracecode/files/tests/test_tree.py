"""A customer's or project's whole tree: as a .zip, and mirrored into a folder by sync."""

import io
import os
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from tracecode.files import services, tree
from tracecode.files.folders import folder_of
from tracecode.files.models import StoredFile
from tracecode.sales import services as sales
from tracecode.sales.tests.factories import make_customer, make_project

from .factories import pdf, upload

pytestmark = pytest.mark.django_db


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def filed(alice, customer, project, order):
    """An NDA on the customer, a drawing on the project, a PO and a PI on the order."""
    services.store(customer, upload("NDA.pdf", pdf()), user=alice, document_type="NDA")
    services.store(project, upload("SP1003 rev B.pdf", pdf()), user=alice)
    services.store(order, upload("PO 4711.pdf", pdf()), user=alice)
    sales.generate_document(order, "PI", user=alice)
    return customer, project, order


def names_in(response) -> list[str]:
    data = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_the_project_zip_is_laid_out_as_the_framework(client_of, alice, filed):
    customer, project, order = filed
    c = f"{customer.code} Nordwerk Automotive GmbH"
    p = f"{c}/{project.code} SP1003 housing"
    response = client_of(alice).get(f"/files/of/{project.code}/zip/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert sorted(names_in(response)) == sorted(
        [
            f"{c}/Information sheet/{customer.code} Information sheet "
            f"{timezone.localtime(customer.updated_at).date().isoformat()}.pdf",
            f"{p}/Drawing/{project.code} Drawing {today()}.pdf",
            f"{p}/{order.code}/Purchase order/{order.code} Purchase order {today()}.pdf",
            f"{p}/{order.code}/PI/{order.code} PI {today()}.pdf",
            f"{p}/{order.code}/PI/{order.code} PI {today()}.xlsx",
        ]
    )


def test_the_customer_zip_adds_the_customer_level_folder(client_of, alice, filed):
    customer = filed[0]
    names = names_in(client_of(alice).get(f"/files/of/{customer.code}/zip/"))
    assert f"{folder_of(customer)}/NDA/{customer.code} NDA {today()}.pdf" in names
    assert len(names) == 6


def test_the_information_sheet_carries_the_customer(customer):
    item = tree.information_sheet(customer)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(item.make())).pages)
    assert customer.code in text and "Nordwerk Automotive GmbH" in text


def test_another_customers_files_never_enter_the_zip(alice, filed):
    other = make_project(make_customer(alice, name="Other GmbH"), alice)
    services.store(other, upload("x.pdf", pdf()), user=alice)
    paths = [item.path for item in tree.items(filed[1])]
    assert not any("Other GmbH" in path for path in paths)


def test_sync_mirrors_the_tree_and_is_idempotent(alice, filed, tmp_path, capsys):
    customer, project, order = filed
    target = tmp_path / "shared"
    call_command("folders", "sync", str(target))
    assert "6 written, 0 unchanged, 0 removed" in capsys.readouterr().out
    drawing = target / folder_of(project) / "Drawing" / f"{project.code} Drawing {today()}.pdf"
    assert drawing.read_bytes().startswith(b"%PDF")

    call_command("folders", "sync", str(target))
    assert "0 written, 6 unchanged, 0 removed" in capsys.readouterr().out

    # A new version appears; a file a person put there stays; a vanished one goes.
    services.store(project, upload("SP1003 rev B.pdf", pdf("rev C")), user=alice)
    mine = target / folder_of(customer) / "my notes.txt"
    mine.write_text("mine")
    po = StoredFile.objects.get(document_type="Purchase order")
    po.file.delete(save=False)
    po.delete()
    call_command("folders", "sync", str(target))
    assert "1 written, 5 unchanged, 1 removed" in capsys.readouterr().out
    assert mine.read_text() == "mine"
    assert not (target / folder_of(order) / "Purchase order").exists()


def test_sync_of_one_customer_and_an_unknown_one(alice, filed, tmp_path, capsys):
    from django.core.management.base import CommandError

    call_command("folders", "sync", str(tmp_path / "one"), "--customer", filed[0].code)
    assert "6 written" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no customer RK9999"):
        call_command("folders", "sync", str(tmp_path / "x"), "--customer", "RK9999")


def test_everything_goes_through_the_storage_api(
    s3_server, s3_bucket, s3_storage, alice, project, tmp_path
):
    """Nothing reads the local disk directly: a bucket of a real S3 server works."""
    stored = services.store(project, upload("SP1003.pdf", pdf()), user=alice)
    assert not os.path.exists(tmp_path / "files")
    assert s3_server.keys(s3_bucket, s3_storage) == [f"{s3_storage}/{stored.file.name}"]
    archive = zipfile.ZipFile(tree.zip_file(project))
    assert stored.file.name in archive.namelist()
    tree.sync(str(tmp_path / "mirror"), [project.customer])
    assert (tmp_path / "mirror" / stored.file.name).exists()
