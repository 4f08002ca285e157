"""A satisfaction survey in Chromium: the order ships, the survey mail is read from a real
SMTP server on loopback, the contact opens the personal link without signing in, rates and
sends, and the rating appears on the customer's sheet."""

import datetime
import email
import email.policy
import re

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from playwright.sync_api import expect

from tracecode.care import surveys
from tracecode.care.tests.survey_helpers import shipped_order, template
from tracecode.mail import services as mail_services
from tracecode.mail.tests.test_outgoing_smtp import Collector, free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings, live_server):
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
    settings.PUBLIC_URL = live_server.url
    mail_services.forget_server_status()
    yield collector
    controller.stop()


def test_the_contact_answers_the_mailed_survey_and_the_rating_is_on_the_sheet(
    page, sign_in, smtp, alice, live_server
):
    template()
    order = shipped_order(alice)
    assert surveys.run(now=timezone.now() + datetime.timedelta(days=30)) == (1, 0)

    message = email.message_from_bytes(smtp.envelopes[0].content, policy=email.policy.default)
    assert message["To"] == "jonas@nordwerk.example"
    link = re.search(re.escape(live_server.url) + r"/survey/\S+/", message.get_content()).group(0)

    page.goto(link)  # nobody is signed in
    expect(page.locator("#order-code")).to_have_text(order.code)
    expect(page.locator("#customer-name")).to_have_text("Nordwerk Automotive GmbH")
    page.locator("fieldset").nth(0).get_by_text("5", exact=True).click()
    page.locator("fieldset").nth(1).get_by_text("4", exact=True).click()
    page.locator("textarea").fill("Faster samples, please")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator("#thanks")).to_be_visible()

    page.goto(link)
    expect(page.get_by_role("heading", name="This link does not open a survey")).to_be_visible()

    sign_in(alice)
    page.goto(order.project.customer.get_absolute_url())
    expect(page.locator("#survey-satisfaction")).to_contain_text("4.5 / 5")
