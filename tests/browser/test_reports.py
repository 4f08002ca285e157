"""The manager's view in Chromium: every chart is drawn and shows the numbers of its table,
in English and Chinese, for a sales person and a manager; a lead goes from reported to an
order; a month closes with its plan against result."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from tracecode.reports import figures, services
from tracecode.reports.tests.helpers import confirmed, customer, pay, project, shipped
from tracecode.reports.tests.translations import install_pending
from tracecode.sales import services as sales
from tracecode.sales.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each chart draws, against the table beside it, read in the page itself.
CHARTS = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = Chart.getChart(canvas);
  const spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
  const table = document.querySelector(`table[data-table="${spec.table}"]`);
  const cells = (column) => Array.from(
    table.querySelectorAll(`tbody td[data-column="${column}"]`));
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) painted++;
  return {
    id: canvas.dataset.chart,
    drawn: chart !== undefined,
    painted,
    labels: chart ? chart.data.labels : [],
    data: chart ? chart.data.datasets.map((set) => set.data) : [],
    tableLabels: cells(spec.label_column).map((td) => td.textContent.trim()),
    tableData: spec.datasets.map((set) => cells(set.column).map(
      (td) => td.dataset.value === "" ? null : Number(td.dataset.value))),
    shown: spec.datasets.map((set) => cells(set.column).map((td) => td.textContent.trim())),
  };
})"""


def today():
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.BASE_CURRENCY = "CNY"
    settings.EXCHANGE_RATES = {"USD": "7.10", "EUR": "7.75"}
    install_pending()


@pytest.fixture
def company(alice, bob, manager):
    """A few months of both salespeople's business: orders, payments, late shipments, a lost
    enquiry, a complaint with its cause, targets."""
    mine = customer(alice, "Nordwerk Automotive GmbH", source="trade-show")
    theirs = customer(bob, "Osaka Kiki Seisakusho Co., Ltd.", country="JP", source="referral")
    for n, (who, amount, currency) in enumerate([(mine, "1200", "EUR"), (theirs, "900", "USD"),
                                                 (mine, "800", "EUR")]):  # fmt: skip
        sp = project(who, f"SP{n}", received=days(-100 + n))
        order = confirmed(sp, days(-90 + 20 * n), amount, currency,
                          delivery_date=days(-60 + 20 * n), payment_due_on=days(10))  # fmt: skip
        order = shipped(order, days(-58 + 20 * n + 3 * n))
        pay(order, Decimal(amount) / 2, days(-50 + 20 * n))
    lost = project(mine, "SP-LOST", received=days(-40))
    Project.objects.filter(pk=lost.pk).update(status="lost", lost_reason="Price")
    complained = confirmed(project(theirs, "SP-C"), days(-30), "300", "USD")
    sales.open_complaint(complained, user=bob, values={
        "received_on": days(-20), "content": "Burrs", "cause": "process"})  # fmt: skip
    for person, value in ((alice, "20000"), (bob, "15000")):
        services.set_target(person, today(), user=manager, order_value=Decimal(value),
                            new_customers=1, leads_followed=1)  # fmt: skip


def signed_in(browser, live_server, user, language="en"):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#user-menu")).to_be_visible()
    if language == "zh":
        page.locator("button[lang='zh-hans']").click()
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.refused = refused
    return page


def check_charts(page, path: str) -> list[dict]:
    page.goto(path)
    page.wait_for_function("() => typeof Chart !== 'undefined'")
    charts = page.evaluate(CHARTS)
    assert charts, f"{path}: no chart"
    for chart in charts:
        where = f"{path} {chart['id']}"
        assert chart["drawn"] and chart["painted"] > 500, where
        assert chart["labels"] == chart["tableLabels"], where
        assert chart["data"] == chart["tableData"], where
        for values, texts in zip(chart["tableData"], chart["shown"], strict=True):
            for value, text in zip(values, texts, strict=True):
                if value is None:
                    assert text == "—", where
                else:
                    assert float(text.replace(",", "").rstrip("%")) == pytest.approx(value), where
    assert page.refused == [], page.refused
    return charts


PAGES = ["/", *(f"/reports/{name}/" for name in figures.REPORTS), "/reports/plan/"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_chart_is_drawn_with_its_tables_numbers(company, browser, live_server, alice,
                                                      manager, language):  # fmt: skip
    for user in (alice, manager):
        page = signed_in(browser, live_server, user, language)
        for path in PAGES:
            check_charts(page, path)
        page.goto("/reports/orders/")
        month = figures.month_label(today().replace(day=1))
        if language == "zh":
            assert "年" in page.locator("table[data-table='months']").inner_text()
            expect(page.get_by_role("heading", name="每月订单与回款")).to_be_visible()
        else:
            expect(page.locator("table[data-table='months']")).to_contain_text(month)
        page.context.close()


def test_alice_sees_her_figures_and_the_manager_the_team(company, browser, live_server, alice,
                                                         manager):  # fmt: skip
    page = signed_in(browser, live_server, alice)
    page.goto("/reports/pareto/")
    companies = page.locator("table[data-table='customers'] td[data-column='company']")
    expect(companies).to_have_text(["Nordwerk Automotive GmbH"])
    page.goto("/")
    expect(page.locator("table[data-table='people']")).to_have_count(0)
    page.context.close()
    page = signed_in(browser, live_server, manager)
    page.goto("/")
    people = page.locator("table[data-table='people'] tbody td[data-column='salesperson']")
    expect(people).to_have_text(["Alice", "Bob"])
    page.context.close()


def test_a_lead_goes_from_reported_to_an_order(browser, live_server, alice, manager):
    page = signed_in(browser, live_server, alice)
    page.goto("/leads/new/")
    page.get_by_label("Prospect's company").fill("Hanse Pumpen GmbH")
    page.get_by_label("Contact person").fill("Frau Petersen")
    page.get_by_label("Product or part").fill("PH-250")
    page.get_by_label("Expected order value").fill("45000")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Expected order month").fill(f"{today():%Y-%m}")
    page.get_by_label("Probability (%)").fill("40")
    page.get_by_role("button", name="Report the lead").click()
    expect(page.locator("#lead-state")).to_have_text("reported")
    code = page.locator("h1 .code").inner_text()

    boss = signed_in(browser, live_server, manager)
    boss.goto(f"/leads/{code}/")
    form = boss.locator("#move-accept")
    form.get_by_label("Followed up by").select_option("alice")
    form.get_by_label("Follow-up plan").fill("Visit Hamburg with the die-casting samples")
    form.get_by_label("Next follow-up").fill(days(7).isoformat())
    form.get_by_role("button", name="Accept").click()
    expect(boss.locator("#lead-state")).to_have_text("accepted, following up")
    boss.context.close()

    page.reload()
    form = page.locator("#move-result")
    form.get_by_label("What the follow-up brought").fill("Drawing PH-250 rev A received")
    form.get_by_role("button", name="Record a result").click()
    page.locator("#move-convert").get_by_role("button", name="Make it an enquiry").click()
    expect(page.locator("#lead-state")).to_have_text("became an enquiry")
    expect(page.locator("#lead-history")).to_contain_text("Drawing PH-250 rev A received")
    project_code = page.locator("dd a.code").last.inner_text()
    assert project_code.endswith("-1")

    page.goto(f"/sales/projects/{project_code}/orders/new/sample/")
    page.get_by_label("Customer's delivery date").fill(days(30).isoformat())
    page.locator("#id_lines-0-part_number").fill("PH-250")
    page.locator("#id_lines-0-quantity").fill("10")
    page.locator("#id_lines-0-unit_price").fill("120")
    page.get_by_role("button", name="Enter order").click()
    page.get_by_role("button", name="Confirm order", exact=True).click()
    expect(page.locator("#order-state")).to_have_text("confirmed")
    page.goto(f"/leads/{code}/")
    expect(page.locator("dl")).to_contain_text(f"{project_code}-S1")
    page.goto(f"/sales/projects/{project_code}/")
    expect(page.locator("[data-testid='timeline']")).to_contain_text(code)
    page.context.close()


def test_a_month_closes_with_its_plan_against_result(company, browser, live_server, manager):
    last = figures.month_start(today(), 1)
    page = signed_in(browser, live_server, manager)
    page.goto(f"/reports/plan/{last:%Y-%m}/")
    page.get_by_label("Alice: Order value").fill("1000")
    page.get_by_role("button", name="Save targets").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close the month").click()
    expect(page.get_by_text("closed", exact=True)).to_be_visible()
    expect(page.locator("#targets")).to_have_count(0)
    check_charts(page, f"/reports/plan/{last:%Y-%m}/")
    page.context.close()
