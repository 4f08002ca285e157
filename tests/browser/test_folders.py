"""The client folder framework in Chromium: files dropped or chosen on a project are filed and
named by its code, found from the header box by number and by the words inside them, and
downloaded as the project's folder; another sales user finds and reaches nothing of it."""

import base64
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tracecode.files.models import StoredFile
from tracecode.sales.documents import render_pdf
from tracecode.sales.tests.factories import line, make_customer, make_order, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAWING_WORD = "Quenchomatic"  # printed inside the drawing PDF only, never in its name
PI_WORD = "Galvanoflex"  # the order line's specification, printed on the PI

# A DataTransfer holding one file, as the browser builds it when a file is dropped.
DATA_TRANSFER = """([name, type, data]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type }));
    return transfer;
}"""


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def today() -> str:
    return timezone.localdate().isoformat()


def drop(page, name: str, content_type: str, data: bytes) -> None:
    """Drag a file from the desktop and drop it on the panel's drop zone."""
    transfer = page.evaluate_handle(
        DATA_TRANSFER, [name, content_type, base64.b64encode(data).decode()]
    )
    zone = page.locator(".tc-drop")
    zone.dispatch_event("dragenter", {"dataTransfer": transfer})
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    expect(zone).to_have_class(re.compile(r"\bborder-primary\b"))
    zone.dispatch_event("drop", {"dataTransfer": transfer})
    expect(zone).not_to_have_class(re.compile(r"\bborder-primary\b"))


def search_menu(page, query: str):
    """Type `query` into the header box; the drop-down once it answers for that query."""
    page.get_by_label("Search", exact=True).fill(query)
    menu = page.locator("#search-suggestions")
    expect(menu.locator("#search-option-all")).to_have_attribute(
        "href", re.compile(re.escape(quote(query, safe="/")) + "$")
    )
    return menu


def uploads_of(page) -> list[str]:
    """The upload requests the page sends from now on."""
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/upload/" in request.url else 0)
    return sent


@pytest.fixture
def nordwerk(alice):
    """Alice's customer with a project and a sample order ready for its PI."""
    customer = make_customer(alice)
    project = make_project(customer, name="SP1003")
    order = make_order(
        project, lines=[line(specification=f"Zinc die-cast housing, {PI_WORD} black e-coat")]
    )
    return customer, project, order


def test_alices_drawings_and_pi_are_filed_found_zipped_and_hidden_from_bob(
    page, sign_in, alice, bob, nordwerk
):
    customer, project, order = nordwerk
    p, s1 = project.code, order.code
    drawing_pdf = render_pdf(f"<h1>SP1003 rev B</h1><p>Surface {DRAWING_WORD} treated.</p>")
    spec_txt = "SP1003 surface finish: black e-coat, 15-25 µm.\n".encode()
    sign_in(alice)
    page.goto(f"/sales/projects/{p}/")
    page.evaluate("window.notReloaded = true")
    panel = page.locator(".tc-files")
    status = panel.locator(".tc-upload-status")
    expect(panel.locator(".tc-files-list")).to_contain_text("No files yet.")
    expect(page.get_by_label("Document type")).to_have_value("Drawing")

    # The drawing, chosen with the file input; its upload held back to watch its progress.
    held = []
    page.route(f"**/files/of/{p}/upload/", lambda route: held.append(route))
    page.get_by_label("Drop files here, or choose them").set_input_files(
        {"name": "SP1003 rev B.pdf", "mimeType": "application/pdf", "buffer": drawing_pdf}
    )
    page.get_by_label("Description").fill("Customer drawing, rev B")
    page.get_by_role("button", name="Upload").click()
    expect(status.locator("li")).to_have_count(1)
    expect(status.locator("li progress")).to_be_visible()
    expect(status).to_contain_text("SP1003 rev B.pdf")
    for _ in range(500):
        if held:
            break
        page.wait_for_timeout(20)
    held[0].continue_()
    page.unroute(f"**/files/of/{p}/upload/")
    drawing_name = f"{p} Drawing {today()}.pdf"
    expect(status.locator("li.text-success")).to_have_text(f"SP1003 rev B.pdf → {drawing_name}")
    expect(status.locator("progress")).to_have_count(0)
    listed = panel.locator(".tc-files-list")
    expect(listed.get_by_role("link", name=drawing_name)).to_be_visible()
    expect(listed).to_contain_text("Customer drawing, rev B")

    # A specification, dragged from the desktop onto the drop zone.
    page.get_by_label("Document type").select_option("Specification")
    page.get_by_label("Description").fill("")
    drop(page, "SP1003 finish.txt", "text/plain", spec_txt)
    spec_name = f"{p} Specification {today()}.txt"
    expect(status.locator("li.text-success")).to_have_text(f"SP1003 finish.txt → {spec_name}")
    expect(listed.get_by_role("link", name=spec_name)).to_be_visible()
    expect(listed.get_by_role("link", name=drawing_name)).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert sorted(StoredFile.objects.values_list("original_name", flat=True)) == [
        "SP1003 finish.txt",
        "SP1003 rev B.pdf",
    ]

    # The PI of the sample order, generated on the order page.
    page.goto(f"/sales/orders/{s1}/")
    page.get_by_label("Document", exact=True).select_option("PI")
    page.get_by_role("button", name="Generate PDF and Excel").click()
    expect(page.locator("[data-document='PI-1-pdf']")).to_be_visible()

    # Found by number from the header box: the project, its drawing and the order's PI.
    menu = search_menu(page, p)
    expect(menu).to_contain_text(drawing_name)
    expect(menu).to_contain_text(f"PI {s1} v1")
    menu = search_menu(page, s1)
    expect(menu).to_contain_text(f"PI {s1} v1")
    # … and by words inside the PDFs, which their names do not carry.
    menu = search_menu(page, DRAWING_WORD)
    expect(menu.get_by_role("option", name=re.compile(re.escape(drawing_name)))).to_be_visible()
    expect(menu).not_to_contain_text(f"PI {s1}")
    menu = search_menu(page, PI_WORD)
    expect(menu.get_by_role("option", name=re.compile(rf"PI {s1} v1"))).to_be_visible()
    expect(menu).not_to_contain_text(drawing_name)
    menu = search_menu(page, "Nordwerk Automotive")
    expect(menu).to_contain_text(f"PI {s1} v1")
    menu = search_menu(page, "SP1003 rev B")
    expect(menu).to_contain_text(drawing_name)
    drawing = StoredFile.objects.get(original_name="SP1003 rev B.pdf")
    expect(menu.get_by_role("option", name=re.compile(re.escape(drawing_name)))).to_have_attribute(
        "href", f"/files/{drawing.pk}/view/"
    )

    # The project's folder as a .zip, laid out as the client folder framework.
    page.goto(f"/sales/projects/{p}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Folder as .zip").click()
    assert download.value.suggested_filename == f"{p} SP1003 {today()}.zip"
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    top = f"{customer.code} Nordwerk Automotive GmbH"
    assert sorted(archive.namelist()) == [
        f"{top}/Information sheet/{customer.code} Information sheet {today()}.pdf",
        f"{top}/{p} SP1003/Drawing/{drawing_name}",
        f"{top}/{p} SP1003/{s1}/PI/{s1} PI {today()}.pdf",
        f"{top}/{p} SP1003/{s1}/PI/{s1} PI {today()}.xlsx",
        f"{top}/{p} SP1003/Specification/{spec_name}",
    ]
    assert archive.read(f"{top}/{p} SP1003/Drawing/{drawing_name}") == drawing_pdf
    assert archive.read(f"{top}/{p} SP1003/Specification/{spec_name}") == spec_txt
    pi = archive.read(f"{top}/{p} SP1003/{s1}/PI/{s1} PI {today()}.pdf")
    pi_text = "".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pi)).pages)
    assert "PROFORMA INVOICE" in pi_text and s1 in pi_text and PI_WORD in pi_text
    sheet = archive.read(f"{top}/Information sheet/{customer.code} Information sheet {today()}.pdf")
    assert "Nordwerk Automotive GmbH" in PdfReader(io.BytesIO(sheet)).pages[0].extract_text()

    # Bob, another salesman, finds nothing of it and reaches none of it.
    page.context.clear_cookies()
    sign_in(bob)
    for query in (p, s1, DRAWING_WORD, PI_WORD, drawing_name, "SP1003 rev B"):
        menu = search_menu(page, query)
        expect(menu).to_contain_text("Nothing found")
        for secret in (drawing_name, spec_name, s1, "Nordwerk"):
            expect(menu).not_to_contain_text(secret)
    for url in (
        f"/files/{drawing.pk}/",
        f"/files/{drawing.pk}/view/",
        f"/files/of/{p}/",
        f"/files/of/{p}/zip/",
        f"/files/of/{customer.code}/zip/",
        f"/sales/projects/{p}/",
    ):
        assert page.request.get(url).status == 404, url


def test_a_too_large_file_is_refused_before_it_is_sent(page, sign_in, alice, nordwerk, settings):
    settings.FILES_MAX_UPLOAD_BYTES = 1000
    _customer, project, _order = nordwerk
    sign_in(alice)
    page.goto(f"/sales/projects/{project.code}/")
    sent = uploads_of(page)
    page.get_by_label("Drop files here, or choose them").set_input_files(
        {"name": "SP1003 scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4" * 300}
    )
    page.get_by_role("button", name="Upload").click()
    refused = page.locator(".tc-upload-status li.text-danger")
    expect(refused).to_have_text(
        "SP1003 scan.pdf is larger than 1000 bytes, the most a file may be."
    )
    expect(page.locator(".tc-files-list")).to_contain_text("No files yet.")
    assert sent == []
    assert not StoredFile.objects.exists()


def test_empty_and_garbage_files_are_refused_and_the_good_one_is_stored(
    page, sign_in, alice, nordwerk
):
    _customer, project, _order = nordwerk
    sign_in(alice)
    page.goto(f"/sales/projects/{project.code}/")
    sent = uploads_of(page)
    page.get_by_label("Drop files here, or choose them").set_input_files(
        [
            {"name": "empty.pdf", "mimeType": "application/pdf", "buffer": b""},
            {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": bytes(range(256))},
            {"name": "SP1003 rev C.pdf", "mimeType": "application/pdf", "buffer": render_pdf("C")},
        ]
    )
    page.get_by_role("button", name="Upload").click()
    rows = page.locator(".tc-upload-status li")
    stored_name = f"{project.code} Drawing {today()}.pdf"
    expect(rows.nth(2)).to_have_text(f"SP1003 rev C.pdf → {stored_name}")
    expect(rows.nth(2)).to_have_class("text-success")
    expect(rows.nth(0)).to_have_class("text-danger")
    expect(rows.nth(0)).to_have_text("empty.pdf is empty.")
    expect(rows.nth(1)).to_have_class("text-danger")
    expect(rows.nth(1)).to_have_text(
        "broken.pdf “broken.pdf” is not a PDF file: its content is not a known file type."
    )
    listed = page.locator(".tc-files-list")
    expect(listed.get_by_role("link", name=stored_name)).to_be_visible()
    expect(listed).not_to_contain_text("broken.pdf")
    assert len(sent) == 2  # the empty file never left the browser
    assert list(StoredFile.objects.values_list("original_name", flat=True)) == ["SP1003 rev C.pdf"]


def test_a_file_with_a_name_of_thousands_of_characters_is_refused_beside_the_others(
    page, sign_in, alice, nordwerk
):
    _customer, project, _order = nordwerk
    long_name = "Inspection report " + "very " * 600 + "long.txt"
    sign_in(alice)
    page.goto(f"/sales/projects/{project.code}/")
    status = page.locator(".tc-files .tc-upload-status")
    page.get_by_label("Drop files here, or choose them").set_input_files(
        [
            {"name": long_name, "mimeType": "text/plain", "buffer": b"General tolerances"},
            {"name": "finish.txt", "mimeType": "text/plain", "buffer": b"Black e-coat"},
        ]
    )
    page.get_by_role("button", name="Upload").click()
    refused = status.locator("li.text-danger")
    expect(refused).to_contain_text("a file name is far too long")
    expect(status.locator("li.text-success")).to_contain_text("finish.txt →")
    assert list(StoredFile.objects.values_list("original_name", flat=True)) == ["finish.txt"]
