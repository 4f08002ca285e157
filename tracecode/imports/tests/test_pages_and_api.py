"""The way in, in the browser, the API and the command: a template in the user's language with
its instructions and drop-downs, an upload previewed before anything is saved, the failing
rows as a file with an Error column, headers mapped once and remembered, the import kept and
undone, and nothing of alice's shown to bob."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from tracecode.customers.models import ChangeRecord, Customer
from tracecode.customers.tests.factories import new_customer
from tracecode.imports.models import HeaderMapping, ImportRun

from .helpers import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Company name", "Country", "Industry"]
GOOD = [["", "Nordwerk Automotive GmbH", "DE", "Automotive"],
        ["RK888", "Pacific Aero Inc.", "US", ""]]  # fmt: skip
BAD = ["", "Hamburg Marine KG", "Atlantis", ""]


def upload(client, rows, *, name="customers.xlsx", keep_good=False, kind="customers"):
    data = xlsx(("Customers", [HEADER, *rows])) if name.endswith(".xlsx") else rows
    post = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    if keep_good:
        post["keep_good"] = "on"
    return client.post(reverse("imports:index"), post)


def test_the_template_speaks_the_users_language_and_offers_drop_downs(client_of, manager, lists):
    client = client_of(manager)
    response = client.get(reverse("imports:template", args=["customers"]),
                          HTTP_ACCEPT_LANGUAGE="zh-hans")  # fmt: skip
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "公司名称 *" in header and "国家 *" in header
    assert any(s.title == "说明" for s in book.worksheets)
    country = header.index("国家 *") + 1
    validated = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    letters = {str(v.sqref).split(":")[0].rstrip("0123456789") for v in validated}
    from openpyxl.utils import get_column_letter

    assert get_column_letter(country) in letters


def test_preview_fix_the_failing_rows_import_and_undo(
    client_of, manager, lists, django_capture_on_commit_callbacks
):
    client = client_of(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, [*GOOD, BAD])
    run = ImportRun.objects.get()
    assert response.url == reverse("imports:run", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "Preview: nothing is saved yet" in page
    run.refresh_from_db()
    assert (run.new, run.updated, run.unchanged, run.failed) == (2, 0, 0, 1)
    assert not Customer.objects.exists()
    assert "Atlantis" in page

    # all or nothing: refused while a row fails
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[run.pk]))
    assert not Customer.objects.exists()

    errors = load_workbook(
        io.BytesIO(client.get(reverse("imports:failing", args=[run.pk])).content)
    )
    rows = list(errors.worksheets[0].values)
    assert rows[0][0] == "Error" and rows[1][2] == "Hamburg Marine KG"
    assert "Country" in rows[1][0] and len(rows) == 2

    # fixed in the error file and uploaded again, together with the good rows
    fixed = [[*GOOD[0]], [*GOOD[1]], ["", "Hamburg Marine KG", "DE", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, fixed)
    second = ImportRun.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])
    assert (second.new, second.failed) == (3, 0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[second.pk]))
    second.refresh_from_db()
    assert second.committed and second.undoable
    assert Customer.objects.get(code="RK888").company_name == "Pacific Aero Inc."
    history = ChangeRecord.objects.get(customer__code="RK888", action="imported")
    assert history.new_value == f"customers.xlsx (import {second.pk})"
    assert "Imported." in client.get(reverse("imports:run", args=[second.pk])).content.decode()

    client.post(reverse("imports:undo", args=[second.pk]))
    second.refresh_from_db()
    assert second.stage == ImportRun.Stage.UNDONE
    assert not Customer.objects.exists()


def test_the_good_rows_are_kept_when_the_user_says_so(
    client_of, manager, lists, django_capture_on_commit_callbacks
):
    client = client_of(manager)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, [*GOOD, BAD])
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[run.pk]), {"keep_good": "1"})
    run.refresh_from_db()
    assert run.committed and (run.new, run.failed) == (2, 1)
    assert Customer.objects.count() == 2


def test_an_unknown_header_is_mapped_once_and_remembered(
    client_of, manager, lists, django_capture_on_commit_callbacks
):
    client = client_of(manager)
    data = csv_bytes([["客户名", "Country"], ["Nordwerk GmbH", "DE"]], encoding="gb18030")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, data, name="old.csv")
    run = ImportRun.objects.get()
    assert run.stage == ImportRun.Stage.MAPPING and run.unknown_headers
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Which columns are these?" in page and "客户名" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:mapping", args=[run.pk]), {"h0": "company_name"})
    run.refresh_from_db()
    assert (run.stage, run.new) == (ImportRun.Stage.PREVIEW, 1)
    assert HeaderMapping.objects.get().column == "company_name"
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, data, name="old-again.csv")
    assert ImportRun.objects.first().new == 1  # no question asked the second time


def test_bob_sees_neither_alices_imports_nor_her_records_in_exports(
    client_of, alice, bob, lists, django_capture_on_commit_callbacks
):
    new_customer(alice, "Alice Secret Customer GmbH")
    client = client_of(alice)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, [["", "Alice Second GmbH", "DE", ""]])
    run = ImportRun.objects.get()
    client = client_of(bob)
    for name in ("imports:run", "imports:failing", "imports:file"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:commit", args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:undo", args=[run.pk])).status_code == 404
    for fmt in ("xlsx", "csv"):
        exported = client.get(reverse("imports:export", args=["customers", fmt])).content
        assert b"Alice" not in exported
    csv_text = client_of(alice).get(reverse("imports:export", args=["customers", "csv"]))
    assert "Alice Secret Customer GmbH" in csv_text.content.decode("utf-8-sig")
    assert "customers.xlsx" not in client_of(bob).get(reverse("imports:index")).content.decode()


def test_the_api_previews_imports_and_undoes(
    client, alice, bob, administrator, token_of, lists, django_capture_on_commit_callbacks
):
    auth = {"Authorization": token_of(alice)}
    data = xlsx(("Customers", [HEADER, ["", "Nordwerk GmbH", "DE", ""]]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/imports/",
            {"kind": "customers", "file": SimpleUploadedFile("c.xlsx", data)},
            headers=auth,
        )
    assert response.status_code == 202, response.content
    number = response.json()["id"]
    shown = client.get(f"/api/imports/{number}", headers=auth).json()
    assert (shown["stage"], shown["new"], shown["failed"]) == ("preview", 1, 0)
    assert client.get(f"/api/imports/{number}", headers={"Authorization": token_of(bob)}
                      ).status_code == 404  # fmt: skip
    admin = {"Authorization": token_of(administrator)}
    assert client.get(f"/api/imports/{number}", headers=admin).status_code == 200
    refused = client.post(f"/api/imports/{number}/import", "{}", "application/json", headers=admin)
    assert refused.status_code == 403  # an administrator looks; alice goes on with it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/imports/{number}/import", json.dumps({}),
                               "application/json", headers=auth)  # fmt: skip
    assert response.status_code == 202
    assert Customer.objects.get().owner == alice
    undone = client.post(f"/api/imports/{number}/undo", headers=auth)
    assert undone.json()["undone"] == 1, undone.content
    assert not Customer.objects.exists()
    kinds = {k["name"]: k for k in client.get("/api/imports/kinds", headers=auth).json()}
    assert kinds["customers"]["may_import"] and not kinds["materials"]["may_import"]


def test_the_command_imports_a_file_and_writes_the_failing_rows(tmp_path, administrator, lists):
    source = tmp_path / "customers.csv"
    source.write_bytes(csv_bytes([HEADER, *GOOD, BAD], encoding="gbk"))
    errors = tmp_path / "errors.xlsx"
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "customers", str(source), "--errors", str(errors), stdout=out,
                     stderr=out)  # fmt: skip
    assert not Customer.objects.exists()
    assert load_workbook(errors).worksheets[0]["A1"].value == "Error"
    call_command("import", "customers", str(source), "--keep-good", stdout=out, stderr=out)
    assert sorted(Customer.objects.values_list("code", flat=True)) == ["RK001", "RK888"]


def test_the_demo_company_shows_one_finished_import(settings, client_of):
    from tracecode.customers.models import Contact
    from tracecode.web.demo import load_demo

    settings.DEMO_PASSWORD = "demo-pass-123"
    report = load_demo()
    run = ImportRun.objects.get()
    assert (run.committed, run.new, run.failed, run.user.username) == (True, 4, 0, "mia")
    assert Contact.objects.get(name="王芳").customer.code == "RK1036"
    page = client_of(run.user).get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Imported." in page and "Jonas Weber" in page
    load_demo()
    assert ImportRun.objects.count() == 1 and any("import" in line for line in report.created)
