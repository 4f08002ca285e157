"""A survey template, and an order that has shipped to a customer with a main contact."""

from tracecode.care.models import SurveyQuestion, SurveyTemplate
from tracecode.customers.tests.factories import new_contact
from tracecode.sales.tests.factories import make_customer, make_order, make_project, move

QUESTIONS = [
    ("How satisfied are you with the quality?", "您对质量满意吗？", "rating"),
    ("How satisfied are you with our delivery?", "您对交期满意吗？", "rating"),
    ("What should we do better?", "我们应如何改进？", "text"),
]


def template():
    made = SurveyTemplate.objects.create(name="After delivery")
    for position, (en, zh, kind) in enumerate(QUESTIONS):
        SurveyQuestion.objects.create(template=made, position=position, text_en=en,
                                      text_zh=zh, kind=kind)  # fmt: skip
    return made


def shipped_order(owner, name="Nordwerk Automotive GmbH"):
    customer = make_customer(owner, name=name)
    new_contact(customer, owner, name="Jonas Braun", email="jonas@nordwerk.example")
    order = make_order(make_project(customer))
    return move(order, "confirm", "start_production", "finish_production", "ship")
