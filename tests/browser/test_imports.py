"""Moving in, as a new user does it: download the customer template, fill 200 rows in a
spreadsheet (some with their old codes, most without, three with mistakes), preview, import
the good rows, fix the three in the error file, import them, and find customers by their
codes in the header box."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tracecode.customers.lists import seed_app_lists
from tracecode.customers.models import Customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_CODES = [f"RK{700 + n}" for n in range(50)]


@pytest.fixture(autouse=True)
def _tasks_at_once(settings, tmp_path):
    """The task worker's work done at once, in the request that leaves it."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def fill(path, rows) -> None:
    """Write rows under the header of the template's first sheet, by header."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [str(c.value or "").removesuffix(" *") for c in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet.cell(number, header.index(name) + 1).value = value
    book.save(path)


def customers() -> list[dict]:
    rows = []
    for n in range(200):
        row = {"Company name": f"Moving In Customer {n:03d}", "Country": "Germany",
               "City": "Stuttgart"}  # fmt: skip
        if n < len(OLD_CODES):
            row["Code"] = OLD_CODES[n]
        rows.append(row)
    rows[60]["Country"] = "Atlantis"  # not a country
    rows[61]["Company name"] = None  # required
    rows[62]["Code"] = "RK-62"  # breaks the customer scheme
    return rows


def upload(page, path, *, keep_good=False):
    page.goto("/imports/")
    page.get_by_label("What the file holds").select_option("customers")
    page.locator("#id_file").set_input_files(path)
    if keep_good:
        page.get_by_label("When some rows fail, import the good ones").check()
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Preview: nothing is saved yet")).to_be_visible()


def counts(page) -> dict:
    found = page.get_by_test_id("import-counts")
    return {name: found.locator(f'[data-count="{name}"]').inner_text()
            for name in ("new", "updated", "unchanged", "failed")}  # fmt: skip


def test_a_new_user_moves_200_customers_in(page, sign_in, manager, tmp_path):
    seed_app_lists()
    page.set_default_timeout(90_000)  # 200 rows checked in the request, on a busy machine
    sign_in(manager)
    page.goto("/imports/")
    with page.expect_download() as download:
        page.locator('tr[data-kind="customers"]').get_by_role("link", name=".xlsx").first.click()
    template = tmp_path / "customers.xlsx"
    download.value.save_as(template)
    book = load_workbook(template)
    assert "Instructions" in book.sheetnames
    fill(template, customers())

    upload(page, template)
    assert counts(page) == {"new": "197", "updated": "0", "unchanged": "0", "failed": "3"}
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("Atlantis")
    expect(problems).to_contain_text("RK-62")
    expect(page.get_by_test_id("preview")).to_contain_text("RK700")
    assert not Customer.objects.exists()  # a preview saves nothing

    with page.expect_download() as download:
        page.get_by_test_id("failing-file").click()
    errors = tmp_path / "errors.xlsx"
    download.value.save_as(errors)

    page.get_by_role("button", name="Import the 197 good rows").click()
    expect(page.get_by_role("status")).to_contain_text("Imported.")
    assert Customer.objects.count() == 197

    book = load_workbook(errors)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "Error" and sheet.max_row == 4
    for row in range(2, 5):
        name = sheet.cell(row, header.index("Company name *") + 1)
        country = sheet.cell(row, header.index("Country *") + 1)
        code = sheet.cell(row, header.index("Code") + 1)
        name.value = name.value or "Moving In Customer 061"
        if country.value == "Atlantis":
            country.value = "DE"
        if code.value == "RK-62":
            code.value = "RK1962"
    book.save(errors)

    upload(page, errors)
    assert counts(page) == {"new": "3", "updated": "0", "unchanged": "0", "failed": "0"}
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Imported.")
    assert Customer.objects.count() == 200

    new_one = Customer.objects.get(company_name="Moving In Customer 150").code
    for code, name in (("RK700", "000"), ("RK1962", "062"), (new_one, "150")):
        box = page.get_by_label("Search", exact=True)
        box.fill(code)
        expect(page.locator("#search-suggestions")).to_contain_text(f"Moving In Customer {name}")
        box.press("Enter")
        expect(page.locator("main")).to_contain_text(f"Moving In Customer {name}")
    page.goto("/search/?q=RK1962")
    expect(page).to_have_url(re.compile(r"/(customers/RK1962/|search/\?q=RK1962)$"))


def test_a_sales_user_imports_an_orders_workbook_in_chinese(
    page, sign_in, alice, tmp_path, live_server
):
    from django.utils import translation

    from tracecode.imports import sheets
    from tracecode.imports.tests.translations import install_pending
    from tracecode.sales.models import Order
    from tracecode.sales.tests.factories import make_customer, make_project

    install_pending()
    project = make_project(make_customer(alice))
    page.set_default_timeout(90_000)
    sign_in(alice)
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page.goto("/imports/")
    with page.expect_download() as download:
        page.locator('tr[data-kind="orders"]').get_by_role("link", name=".xlsx").first.click()
    path = tmp_path / "orders.xlsx"
    download.value.save_as(path)

    kind = sheets.get("orders")
    with translation.override("zh-hans"):
        labels = {c.key: str(c.label) for c in [*kind.columns, *kind.lines.columns]}
    book = load_workbook(path)
    orders, lines = book.worksheets[0], book.worksheets[1]
    assert [s.title for s in book.worksheets][:2] == ["订单", "订单明细"]

    def put(sheet, row, values):
        header = [str(c.value or "").removesuffix(" *") for c in sheet[1]]
        for key, value in values.items():
            sheet.cell(row, header.index(labels[key]) + 1).value = value

    put(orders, 2, {"ref": "A", "project": project.code, "kind": "样品订单",
                    "delivery_date": "2030-03-01"})  # fmt: skip
    put(lines, 2, {"order": "A", "part_number": "SP-1", "quantity": 500, "unit_price": 2.5})
    put(lines, 3, {"order": "A", "part_number": "SP-2", "quantity": "五百", "unit_price": 3})
    book.save(path)

    def upload():
        page.goto("/imports/")
        page.locator("#id_kind").select_option("orders")
        page.locator("#id_file").set_input_files(path)
        page.locator("form[enctype] button[type=submit]").click()
        expect(page.get_by_role("heading", name="预览：尚未保存任何内容")).to_be_visible()

    upload()
    expect(page.get_by_test_id("problems")).to_contain_text("五百")
    expect(page.locator('[data-count="failed"]')).to_have_text("1")
    put(lines, 3, {"quantity": 500})
    book.save(path)
    upload()
    problems = page.get_by_test_id("problems")
    assert not problems.count(), problems.inner_text()
    expect(page.locator('[data-count="new"]')).to_have_text("1")
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已导入。")
    order = Order.objects.get(project=project)
    assert order.lines.count() == 2
    box = page.locator("#header-search")
    box.fill(order.code)
    expect(page.locator("#search-suggestions")).to_contain_text(order.code)
