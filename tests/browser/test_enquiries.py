"""Enquiries in Chromium: in the demo company a mail from an unknown German buyer with a PDF
drawing becomes customer RK…, project RK…-1 with the drawing filed, and a reply with the
code in its subject, in three clicks; a website submission (in Chinese) waits, is accepted
and acknowledged, the acknowledgement read from a real SMTP server on loopback; spam gets no
code."""

import email
import email.policy
import re

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from tracecode.codes.models import CodeEntry
from tracecode.customers.models import Customer
from tracecode.enquiries import services
from tracecode.enquiries.demo import drawing_pdf
from tracecode.enquiries.models import AssignmentRule, Enquiry
from tracecode.enquiries.tests.translations import install_pending
from tracecode.files.models import StoredFile
from tracecode.mail import services as mail_services
from tracecode.mail.defaults import seed
from tracecode.mail.models import MailTemplate
from tracecode.mail.tests.test_outgoing_smtp import Collector, free_port
from tracecode.sales.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    install_pending()
    seed(MailTemplate)  # transactional tests start from empty tables


@pytest.fixture
def smtp(settings):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "sales@reko-parts.example"
    mail_services.forget_server_status()
    yield collector
    controller.stop()


def sent(smtp, number=0):
    return email.message_from_bytes(smtp.envelopes[number].content, policy=email.policy.default)


def test_an_unknown_buyers_mail_becomes_customer_project_and_reply_in_three_clicks(
    page, sign_in, smtp
):
    from django.contrib.auth import get_user_model

    from tracecode.web.demo import load_demo

    report = load_demo()
    mia = get_user_model().objects.get(username="mia")
    mia.set_password("correct horse battery staple")
    mia.save()
    sign_in(mia)
    page.goto("/mail/unfiled/")
    row = page.get_by_role("listitem").filter(has_text="Anfrage: Drehteile Flansch FL-220")

    row.get_by_role("link", name="New enquiry").click()  # 1
    expect(page.get_by_label("Company name")).to_have_value("Hoffmann Antriebstechnik GmbH")
    expect(page.get_by_label("Contact", exact=True)).to_have_value("Markus Hoffmann")
    page.get_by_role("button", name="Create customer and project").click()  # 2

    customer = Customer.objects.get(company_name="Hoffmann Antriebstechnik GmbH")
    project = f"{customer.code}-1"
    assert re.fullmatch(r"RK\d+", customer.code)
    expect(page.get_by_role("alert").first).to_contain_text(
        f"Customer {customer.code} and project {project}."
    )
    expect(page.get_by_label("Subject")).to_have_value(
        f"Re: [{project}] Anfrage: Drehteile Flansch FL-220, 2.000 Stück"
    )
    page.get_by_role("button", name="Send").click()  # 3

    expect(page.get_by_role("alert").first).to_contain_text(f"Mail sent and filed under {project}.")
    out = sent(smtp)
    assert out["Subject"] == f"Re: [{project}] Anfrage: Drehteile Flansch FL-220, 2.000 Stück"
    assert f"Our reference is {project}" in out.get_content()
    assert smtp.envelopes[0].rcpt_tos == ["m.hoffmann@hoffmann-antriebstechnik.de"]
    drawing = StoredFile.objects.get(code=project, document_type="Drawing")
    assert drawing.original_name == "FL-220 rev B.pdf"
    assert Project.objects.get(code=project).customer.owner.username == "bob"  # DE: bob's
    page.goto(f"/sales/projects/{project}/")
    expect(page.get_by_role("link", name=drawing.stored_name)).to_be_visible()
    assert report.users


def test_a_website_enquiry_waits_is_accepted_and_acknowledged(
    browser, live_server, page, sign_in, administrator, alice, smtp, tmp_path
):
    services.set_form_enabled(True, user=administrator)
    AssignmentRule.objects.create(kind="country", country="CN", assignee=alice)
    drawing = tmp_path / "支架 BR-7.pdf"
    drawing.write_bytes(drawing_pdf("BR-7 bracket"))
    codes = CodeEntry.objects.count()

    visitor = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    visitor.goto("/enquiries/form/?lang=zh-hans")
    expect(visitor.get_by_role("heading", name="向我们发送询价")).to_be_visible()
    visitor.get_by_label("公司").fill("深圳华联医疗器械有限公司")
    visitor.get_by_label("您的姓名").fill("王磊")
    visitor.get_by_label("邮箱").fill("wanglei@szhl-med.example")
    visitor.get_by_label("国家").select_option("CN")
    visitor.get_by_label("零件或产品").fill("BR-7 支架")
    visitor.get_by_label("数量（件）").fill("5000")
    visitor.get_by_label("图纸").set_input_files(str(drawing))
    visitor.get_by_role("button", name="发送询价").click()
    expect(visitor.get_by_text("感谢您的询价。")).to_be_visible()
    visitor.context.close()

    enquiry = Enquiry.objects.get()
    assert (enquiry.status, enquiry.project, enquiry.assigned_to) == ("pending", None, alice)
    assert CodeEntry.objects.count() == codes  # no code until someone accepts it

    sign_in(alice)
    page.get_by_role("button", name="简体中文").click()
    page.get_by_role("link", name="询盘", exact=True).click()
    page.get_by_role("link", name=re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")).click()
    expect(page.get_by_test_id("enquiry-status")).to_contain_text("等待")
    page.get_by_role("button", name="接受并确认").click()

    project = Project.objects.get()
    expect(page.get_by_role("alert").first).to_contain_text(project.code)
    out = sent(smtp)
    assert out["Subject"] == f"[{project.code}] 您的询价：BR-7 支架"
    assert f"我们的编号是 {project.code}" in out.get_content()
    assert smtp.envelopes[0].rcpt_tos == ["wanglei@szhl-med.example"]
    assert StoredFile.objects.get(code=project.code).document_type == "Drawing"
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.first_reply_at is not None) == ("accepted", True)


def test_spam_gets_no_code(browser, live_server, administrator, settings):
    services.set_form_enabled(True, user=administrator)
    settings.ENQUIRY_FORM_PER_ADDRESS = 2
    codes = CodeEntry.objects.count()
    robot = browser.new_context(base_url=live_server.url).new_page()

    def submit(honeypot: str = ""):
        robot.goto("/enquiries/form/")
        robot.get_by_label("Company").fill("Cheap SEO Ltd")
        robot.get_by_label("Your name").fill("Bot")
        robot.get_by_label("Email").fill("bot@seo.example")
        robot.get_by_label("Country").select_option("US")
        robot.get_by_label("Part or product").fill("Backlinks")
        if honeypot:
            robot.locator("input[name=website]").fill(honeypot, force=True)
        robot.get_by_role("button", name="Send the enquiry").click()

    submit(honeypot="http://seo.example")
    expect(robot.get_by_text("Thank you for your enquiry.")).to_be_visible()
    assert not Enquiry.objects.exists()
    submit()  # a person's post within the limit is kept, waiting, without a code
    submit()  # the third from the same address within the hour
    expect(robot.get_by_text("Too many enquiries from here")).to_be_visible()
    assert Enquiry.objects.count() == 1
    assert Enquiry.objects.get().project is None
    assert CodeEntry.objects.count() == codes
    robot.context.close()
