"""Labels, scanners and the watched folder, as people use them in the demo company."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tracecode.files.tests.factories import pdf
from tracecode.inbox import tasks
from tracecode.labels.tests.helpers import decoded, page_text
from tracecode.sales.tests.factories import make_customer, make_order, make_project
from tracecode.web.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORDER = "/sales/orders/RK888-1-M1/"


@pytest.fixture
def demo(settings, tmp_path, alice, bob):
    """The demo company; alice owns Nordwerk (RK888), bob does not see it."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.DEMO_PASSWORD = "demo-pass-123"
    load_demo()


def print_carton_sheet(page) -> bytes:
    """From the order page: Labels → Carton labels → A4 → Print; the PDF the new tab shows."""
    page.goto(ORDER)
    page.get_by_role("button", name="Labels").click()
    page.get_by_role("link", name="Carton labels").click()
    expect(page.get_by_label("Cartons")).to_have_value("12")  # 10 + 2 on the order's lines
    page.get_by_label("A4 sheet, 3 × 8 labels").check()
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Print labels (PDF)").click()
    tab = opened.value
    expect(tab).to_have_url(re.compile(r"/labels/cartons/RK888-1-M1/pdf\?size=a4&count=12"))
    # The tab shows the PDF in Chromium's viewer; the same address gives its bytes.
    answer = tab.request.get(tab.url)
    assert answer.headers["content-type"] == "application/pdf"
    tab.close()
    return answer.body()


def test_alice_prints_the_carton_labels_and_a_scanned_qr_opens_the_order(
    page, sign_in, alice, demo
):
    sign_in(alice)
    sheet = print_carton_sheet(page)
    assert "Carton 箱 1/12" in page_text(sheet) and "Carton 箱 12/12" in page_text(sheet)
    codes = decoded(sheet)[0]
    assert codes.count(("Code128", "RK888-1-M1")) == 12
    links = {text for kind, text in codes if kind == "QRCode"}
    assert links == {page.url.split("/labels/")[0] + "/go/RK888-1-M1"}

    page.goto(links.pop())  # what a phone does with the QR
    expect(page).to_have_url(re.compile(f"{ORDER}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("RK888-1-M1")


@pytest.fixture
def orders(alice):
    """A sample and a mass order of alice's customer (no demo: these tests are about keys)."""
    project = make_project(make_customer(alice), alice, name="SP1003")
    return make_order(project, "sample", user=alice), make_order(project, "mass", user=alice)


def test_a_scanned_label_of_another_users_customer_is_not_found(page, sign_in, bob, orders):
    sign_in(bob)
    hidden = page.goto(f"/go/{orders[0].code}")
    shown = page.content()
    unknown = page.goto("/go/RK9999-1-S9")
    assert hidden.status == unknown.status == 404
    assert same_page(shown) == same_page(page.content())


def same_page(html: str) -> str:
    """The page without what differs by request: the CSRF token and the address typed (the
    language switch returns to it)."""
    html = re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", html)
    return re.sub(r'name="next" value="[^"]*"', 'name="next"', html)


def test_a_scanner_typing_a_code_and_enter_on_any_page_opens_it(page, sign_in, alice, orders):
    sample, mass = orders
    sign_in(alice)
    page.goto("/customers/")
    page.keyboard.type(f"{mass.code.lower()}\n")  # a scanner: a burst of keys, then Enter
    expect(page).to_have_url(re.compile(f"{mass.get_absolute_url()}$"))

    page.goto("/sales/")
    page.keyboard.type(f"http://example.invalid/go/{sample.code}\n")  # a 2-D scanner, a QR
    expect(page).to_have_url(re.compile(f"{sample.get_absolute_url()}$"))

    page.goto("/customers/")
    page.keyboard.type(f"{mass.code}\n", delay=250)  # a person typing: nothing happens
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/customers/$"))


def test_enter_on_an_exact_code_in_the_search_box_opens_it(page, sign_in, alice, orders):
    sign_in(alice)
    box = page.get_by_label("Search", exact=True)
    box.fill(orders[0].code.lower())
    box.press("Enter")
    expect(page).to_have_url(re.compile(f"{orders[0].get_absolute_url()}$"))
    box = page.get_by_label("Search", exact=True)
    box.fill("Nordwerk")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Nordwerk"))


def test_a_pdf_dropped_into_the_inbox_appears_in_the_orders_files_panel(
    page, sign_in, alice, demo, settings, tmp_path
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings.INBOX_DIR, settings.INBOX_USER = str(inbox), "alice"
    settings.INBOX_SECONDS, settings.INBOX_QUIET_SECONDS = 30, 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    (inbox / "RK888-1-S1 inspection report.pdf").write_bytes(pdf("CMM report, 5 pcs"))

    tasks.schedule_scan(seconds=0)  # what `tracecode serve` does
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    sign_in(alice)
    page.goto("/sales/orders/RK888-1-S1/")
    panel = page.get_by_role("region", name="Files")
    expect(panel).to_contain_text("RK888-1-S1 QC report")
    expect(panel).to_contain_text("original name: RK888-1-S1 inspection report.pdf")
    assert (inbox / "filed" / "RK888-1-S1 inspection report.pdf").exists()
