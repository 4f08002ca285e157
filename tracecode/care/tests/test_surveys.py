"""Satisfaction surveys: mailed after shipping (a real SMTP server on loopback), answered once
through the personal link without signing in, reminded, rate-limited, leaking nothing for a
wrong or expired link, feeding the sheet and the report."""

import datetime
import email
import email.policy
import re

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from tracecode.care import surveys
from tracecode.care.models import Survey
from tracecode.mail import services as mail_services
from tracecode.mail.tests.test_outgoing_smtp import Collector, free_port

from .survey_helpers import shipped_order, template

pytestmark = pytest.mark.django_db


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
    settings.PUBLIC_URL = "http://testserver"
    mail_services.forget_server_status()
    yield collector
    controller.stop()


def later(days):
    return timezone.now() + datetime.timedelta(days=days)


def link_in(smtp, number=-1) -> str:
    message = email.message_from_bytes(smtp.envelopes[number].content, policy=email.policy.default)
    return re.search(r"http://testserver(/survey/\S+/)", message.get_content()).group(1)


def answers(questions, *ratings, text="Faster samples"):
    data = {}
    for question, rating in zip(questions, ratings, strict=False):
        data[f"q{question.pk}"] = str(rating)
    data[f"q{questions[-1].pk}"] = text
    return data


def test_a_survey_is_mailed_the_set_days_after_shipping_to_the_main_contact(alice, smtp, settings):
    settings.SURVEY_DAYS_AFTER = 14
    template()
    order = shipped_order(alice)
    assert surveys.run(now=later(13)) == (0, 0)
    assert surveys.run(now=later(15)) == (1, 0)
    assert smtp.envelopes[0].rcpt_tos == ["jonas@nordwerk.example"]
    assert order.code in smtp.envelopes[0].content.decode()
    assert surveys.run(now=later(16)) == (0, 0)  # one survey per order


def test_the_link_takes_one_answer_and_shows_only_order_code_and_customer_name(alice, smtp, client):
    questions = list(template().questions.all())
    order = shipped_order(alice)
    surveys.send(order)
    link = link_in(smtp)
    page = client.get(link).content.decode()
    assert order.code in page and "Nordwerk Automotive GmbH" in page
    assert "2.35" not in page and "SP1003" not in page and "alice" not in page.lower()
    answered = client.post(link, answers(questions, 5, 4))
    assert answered.status_code == 200 and "Thank you" in answered.content.decode()
    survey = Survey.objects.get()
    assert survey.rating == 4.5 and survey.answered_at
    assert client.post(link, answers(questions, 1, 1)).status_code == 404
    assert Survey.objects.get().rating == 4.5


def test_a_rating_out_of_range_is_asked_again(alice, smtp, client):
    questions = list(template().questions.all())
    surveys.send(shipped_order(alice))
    answer = client.post(link_in(smtp), answers(questions, 9, 4))
    assert answer.status_code == 422 and "Choose 1 to 5." in answer.content.decode()
    assert Survey.objects.get().answered_at is None


def test_a_wrong_or_expired_link_shows_the_same_nothing(alice, smtp, client):
    template()
    order = shipped_order(alice)
    surveys.send(order)
    link = link_in(smtp)
    wrong = client.get("/survey/not-a-real-token-at-all/")
    Survey.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = client.get(link)
    assert wrong.status_code == expired.status_code == 404
    assert wrong.content == expired.content
    assert order.code.encode() not in expired.content
    assert b"Nordwerk" not in expired.content


def test_a_reminder_mails_a_new_link_and_the_old_one_stops(alice, smtp, client, settings):
    settings.SURVEY_REMIND_DAYS = 7
    template()
    surveys.send(shipped_order(alice))
    first = link_in(smtp)
    assert surveys.run(now=later(8)) == (0, 1)
    second = link_in(smtp)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert surveys.run(now=later(20)) == (0, 0)  # one reminder only


def test_the_public_page_is_rate_limited_per_address(alice, smtp, client, settings):
    settings.SURVEY_RATE_LIMIT = 3
    template()
    surveys.send(shipped_order(alice))
    link = link_in(smtp)
    codes = [client.get(link).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_answers_feed_the_sheet_and_the_report(alice, bob, smtp, client, client_of):
    questions = list(template().questions.all())
    order = shipped_order(alice)
    surveys.send(order)
    client.post(link_in(smtp), answers(questions, 4, 3))
    sheet = client_of(alice).get(order.project.customer.get_absolute_url()).content.decode()
    assert 'id="survey-satisfaction">3.5 / 5' in sheet
    row = surveys.report(alice)[0]
    assert (row["customer"], row["salesperson"], row["answers"]) == (
        order.project.customer.code, "alice", 1)  # fmt: skip
    assert surveys.report(bob) == []
    assert (
        order.project.customer.code
        in client_of(alice).get("/care/surveys/report/").content.decode()
    )


def test_surveys_through_the_api(alice, bob, smtp, client, token_of):
    questions = list(template().questions.all())
    order = shipped_order(alice)

    def call(user, method, path):
        return getattr(client, method)(f"/api/care/{path}", {}, content_type="application/json",
                                       headers={"Authorization": token_of(user)})  # fmt: skip

    assert call(bob, "post", f"orders/{order.code}/survey").status_code == 404
    made = call(alice, "post", f"orders/{order.code}/survey")
    assert made.status_code == 201, made.content
    client.post(link_in(smtp), answers(questions, 5, 5, text="All good"))
    listed = call(alice, "get", "surveys").json()
    assert listed["items"][0]["rating"] == "5.00"
    assert listed["items"][0]["answers"][2]["text"] == "All good"
    assert call(bob, "get", "surveys").json()["count"] == 0
    assert call(alice, "get", "surveys/report").json()["items"][0]["average"] == "5.00"
    assert call(bob, "get", "surveys/report").json()["count"] == 0
