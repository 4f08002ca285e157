"""Exports of any length: a list longer than TRACECODE_EXPORT_DIRECT_ROWS is written to a file
by the task worker, read a chunk at a time, while its page (and the API) shows how far it got;
then the file is downloaded. It holds what its author may see, and only its author sees it."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tracecode.imports import progress, services, sheets, writing
from tracecode.imports.models import ExportRun
from tracecode.testing.factories import line, make_order, make_project, new_customer
from tracecode.testing.translations import install_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def short(settings):
    settings.EXPORT_DIRECT_ROWS = 2


def customers_of(user, *names):
    return [new_customer(user, name) for name in names]


def rows_of(content: bytes, sheet=0) -> list[list]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in book.worksheets[sheet].iter_rows(values_only=True)]


def test_a_short_list_downloads_at_once(client_of, alice, lists):
    customers_of(alice, "Nordwerk GmbH", "Pacific Aero Inc.")
    response = client_of(alice).post(reverse("imports:export_start"),
                                     {"kind": "customers", "fmt": "xlsx", "query": ""})  # fmt: skip
    assert response["Content-Disposition"].startswith("attachment")
    assert len(rows_of(response.content)) == 3
    assert not ExportRun.objects.exists()


def test_a_long_list_is_written_in_the_background_then_downloaded(
    client_of, alice, bob, short, lists, django_capture_on_commit_callbacks
):
    customers_of(alice, "Nordwerk GmbH", "Pacific Aero Inc.", "Hamburg Marine KG")
    customers_of(bob, "Bob Secret Trading")
    client = client_of(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:export_start"),
                               {"kind": "customers", "fmt": "xlsx", "query": ""})  # fmt: skip
    run = ExportRun.objects.get()
    assert response.url == reverse("imports:export_run", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "3 of 3 rows" in page and 'hx-trigger="every 1s"' not in page
    assert reverse("imports:export_file", args=[run.pk]) in page
    content = b"".join(client.get(reverse("imports:export_file", args=[run.pk])).streaming_content)
    names = [r[1] for r in rows_of(content)[1:]]
    assert sorted(names) == ["Hamburg Marine KG", "Nordwerk GmbH", "Pacific Aero Inc."]


def test_bob_cannot_see_or_download_alices_export(
    client_of, alice, bob, administrator, short, lists, django_capture_on_commit_callbacks
):
    customers_of(alice, "Alice Secret GmbH", "Alice Two GmbH", "Alice Three GmbH")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_export(alice, "customers", "", "csv")
    for user in (bob, administrator):
        client = client_of(user)
        for name in ("imports:export_run", "imports:export_file"):
            assert client.get(reverse(name, args=[run.pk])).status_code == 404
    # bob's own export of the same list holds none of alice's customers
    with django_capture_on_commit_callbacks(execute=True):
        his = services.start_export(bob, "customers", "", "csv")
    his.refresh_from_db()
    assert his.status == "done" and his.total == 0
    with his.file.open("rb") as file:
        assert b"Alice" not in file.read()


def test_the_list_filter_goes_with_the_export(
    client_of, alice, short, lists, django_capture_on_commit_callbacks
):
    customers_of(alice, "Nordwerk GmbH", "Nordsee Fisch AG", "Nordic Steel AB", "Pacific Aero")
    with django_capture_on_commit_callbacks(execute=True):
        client_of(alice).post(reverse("imports:export_start"),
                              {"kind": "customers", "fmt": "csv", "query": "q=Nord"})  # fmt: skip
    run = ExportRun.objects.get()
    with run.file.open("rb") as file:
        text = file.read().decode("utf-8-sig")
    assert run.total == 3 and "Nordsee Fisch AG" in text and "Pacific Aero" not in text


@pytest.mark.django_db(
    transaction=True
)  # PostgreSQL: the progress is written by a connection of its own
def test_the_page_shows_the_progress_while_the_worker_writes(client_of, manager, lists):
    run = services.start_export(manager, "customers", "", "xlsx", enqueue=False)
    progress.started(run)
    ExportRun.objects.filter(pk=run.pk).update(
        total=9000, started_at=timezone.now() - datetime.timedelta(seconds=10)
    )
    publish = progress.Publisher(run)
    try:
        publish(done=3000, total=9000)
        page = client_of(manager).get(reverse("imports:export_run", args=[run.pk]),
                                      HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
        assert "3000 of 9000 rows" in page and "rows a second" in page
        assert 'hx-trigger="every 1s"' in page  # it keeps asking until the file is written
        assert reverse("imports:export_file", args=[run.pk]) not in page
    finally:
        publish.close()
    assert client_of(manager).get(reverse("imports:export_file", args=[run.pk])).status_code == 404


def test_a_link_to_a_long_list_offers_to_write_it_in_the_background(client_of, alice, short, lists):
    install_pending("pages2")
    customers_of(alice, "Nordwerk GmbH", "Pacific Aero Inc.", "Hamburg Marine KG")
    response = client_of(alice).get(reverse("imports:export", args=["customers", "xlsx"]),
                                    HTTP_ACCEPT_LANGUAGE="zh-hans")  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and 'action="/imports/exports/"' in page
    assert "此列表共有 3 行" in page and "生成 .xlsx 文件" in page  # in the reader's language


def test_orders_and_their_lines_are_read_a_chunk_at_a_time(
    monkeypatch, alice, short, lists, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(writing, "CHUNK", 2)
    project = make_project(new_customer(alice, "Nordwerk GmbH"), alice)
    for number in range(5):
        make_order(project, user=alice, lines=[line(quantity=str(100 + number))])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_export(alice, "orders", "", "xlsx")
    run.refresh_from_db()
    with run.file.open("rb") as file:
        content = file.read()
    assert (run.status, run.total, run.done) == ("done", 5, 5)
    assert len(rows_of(content, 0)) == 6 and len(rows_of(content, 1)) == 6


def test_the_lines_of_an_export_are_read_with_their_orders_not_one_by_one(alice, lists):
    project = make_project(new_customer(alice, "Nordwerk GmbH"), alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            services.export(sheets.get("orders"), alice, {}, "xlsx")
        return len(captured)

    for _ in range(2):
        make_order(project, user=alice, lines=[line(), line(part="SP1004")])
    few = queries()
    for _ in range(4):
        make_order(project, user=alice, lines=[line(), line(part="SP1004")])
    assert queries() == few


def test_the_api_starts_polls_and_downloads_an_export(
    client, alice, bob, short, lists, token_of, django_capture_on_commit_callbacks
):
    customers_of(alice, "Nordwerk GmbH", "Nordsee Fisch AG", "Pacific Aero")
    auth = {"Authorization": token_of(alice)}
    direct = client.get("/api/imports/kinds/customers/export", headers=auth)
    assert direct.status_code == 409 and "/api/imports/exports" in direct.json()["error"]["message"]
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/api/imports/exports", json.dumps(
            {"kind": "customers", "format": "xlsx", "query": {"q": "Nord"}}
        ), "application/json", headers=auth)  # fmt: skip
    assert started.status_code == 202, started.content
    number = started.json()["id"]
    shown = client.get(f"/api/imports/exports/{number}", headers=auth).json()
    assert (shown["status"], shown["total"], shown["percent"]) == ("done", 2, 100)
    assert shown["query"] == {"q": "Nord"}
    download = client.get(shown["file_url"], headers=auth)
    assert len(rows_of(b"".join(download.streaming_content))) == 3
    listed = client.get("/api/imports/exports", headers=auth).json()
    assert [e["id"] for e in listed["items"]] == [number]
    bobs = {"Authorization": token_of(bob)}
    assert client.get(f"/api/imports/exports/{number}", headers=bobs).status_code == 404
    assert client.get(shown["file_url"], headers=bobs).status_code == 404
    assert client.get("/api/imports/exports", headers=bobs).json()["count"] == 0


def test_the_api_refuses_what_cannot_be_exported(client, alice, token_of, lists):
    auth = {"Authorization": token_of(alice)}
    for body, status in (({"kind": "nothing"}, 404), ({"kind": "customers", "format": "pdf"}, 422),
                         ({"kind": "customers", "query": ["q"]}, 422), ([], 422)):  # fmt: skip
        answer = client.post("/api/imports/exports", json.dumps(body), "application/json",
                             headers=auth)  # fmt: skip
        assert answer.status_code == status, (body, answer.content)
    run = services.start_export(alice, "customers", "", "xlsx", enqueue=False)
    answer = client.get(f"/api/imports/exports/{run.pk}/file", headers=auth)
    assert answer.status_code == 409  # not written yet
