"""The demo company's customer care: Mia's credit reviews of Nordwerk and Lyon Précision,
Lyon's mass order waiting for confirmation, which credit control blocks until Mia releases
it with a reason (the walk-through does that on the Credit control page), and Nordwerk as
Alice's key account with its plan, a visit now overdue and its sheet reviewed; the cause
categories of complaints, and Pacific Aero's complaint half-way through its steps; the
survey template, and Nordwerk's answer to the survey about its shipped mass order.

Idempotent like the rest of the demo: a review is added once per customer, the order once by
its customer PO number, the survey once for the order it names by its customer PO.
"""

import datetime
import secrets
from decimal import Decimal

from django.utils import timezone

from tracecode.customers.models import Customer
from tracecode.sales import services as sales
from tracecode.sales.demo import line
from tracecode.sales.models import Complaint, Order

from . import complaints, credit, services, surveys
from .models import (
    CauseCategory,
    ComplaintHandling,
    CreditAssessment,
    KeyAccount,
    Survey,
    SurveyAnswer,
    SurveyTemplate,
)

REVIEWS = {
    "RK888": {
        "level": "A", "limit": Decimal("800000"), "payment_terms": "T/T 60 days after B/L",
        "financial_state": "Audited accounts 2025 received: equity ratio 41 %, growing sales.",
        "credit_record": "Eleven years, always paid on time.",
        "background": "Tier-1 supplier to German car makers.",
    },
    "RK1038": {
        "level": "C", "limit": Decimal("30000"),
        "payment_terms": "30 % deposit, rest before shipment",
        "financial_state": "Young company, accounts not yet audited.",
        "credit_record": "One sample order, paid in 30 days.",
        "background": "Start-up for surgical instruments, Lyon, ISO 13485 certified.",
    },
}  # fmt: skip

BLOCKED_PO = "LPM-2026-051"
SURVEYED_PO = "NW-4500125530"  # Nordwerk's shipped mass order, tracecode/sales/demo.py


def load(users: dict, report) -> None:
    manager = users["mia"]
    today = timezone.localdate()
    for code, review in REVIEWS.items():
        customer = Customer.objects.filter(code=code).first()
        if customer is None or CreditAssessment.objects.filter(customer=customer).exists():
            continue
        values = {**review, "reviewed_on": today - datetime.timedelta(days=20),
                  "next_review_on": today + datetime.timedelta(days=160)}  # fmt: skip
        credit.assess(customer, user=manager, values=values)
        report.created.append(f"credit-review {code}")
    _blocked_order(report)
    _key_account(users, report)
    _complaints(users, report)
    _surveys(report)


def _blocked_order(report) -> None:
    """Lyon's first mass order: EUR 6,840, beyond its credit limit of CNY 30,000."""
    customer = Customer.objects.filter(code="RK1038").select_related("owner").first()
    project = customer and customer.projects.filter(name="MED-220").first()
    if project is None or Order.objects.filter(customer_po=BLOCKED_PO).exists():
        return
    spec = "PEEK natural, machined, laser marked UDI"
    order = sales.create_order(
        project,
        "mass",
        user=customer.owner,
        values={
            "customer_po": BLOCKED_PO,
            "delivery_date": timezone.localdate() + datetime.timedelta(days=45),
            "currency": "EUR",
            "incoterm": "DAP",
            "incoterm_place": "Lyon",
            "payment_terms": "30 % deposit, rest before shipment",
        },
        lines=[line("MED-220", 600, "11.40", spec)],
    )
    report.created.append(f"order {order.code} (blocked by credit control)")


def _key_account(users, report) -> None:
    """Nordwerk is Alice's key account: a visit every 8 weeks, the last one 10 weeks ago, so
    the next is overdue among her follow-ups; this year's plan is a quarter done."""
    customer = Customer.objects.filter(code="RK888").first()
    if customer is None or KeyAccount.objects.filter(customer=customer).exists():
        return
    alice, mia = users["alice"], users["mia"]
    today = timezone.localdate()
    account = services.designate(
        customer, user=mia, owner=alice, visit_weeks=8, return_visit_weeks=4
    )
    KeyAccount.objects.filter(pk=account.pk).update(since=today - datetime.timedelta(weeks=60))
    services.save_plan(
        account,
        user=alice,
        year=today.year,
        values={
            "goals": "Grow Nordwerk to CNY 1.5 m; win the SP2040 bracket series.",
            "actions": "Quarterly visits in Stuttgart; PPAP for SP2040 by June; "
            "a VMI stock of SP1003 in Hamburg.",
            "progress": "Q1 visit done; SP2040 samples approved.",
            "percent_done": 25,
        },
    )
    services.record_visit(
        customer,
        user=alice,
        kind="visit",
        date=today - datetime.timedelta(weeks=10),
        purpose="Quarterly business review in Stuttgart",
        outcome="SP2040 samples approved; forecast of 60k pcs for next year.",
    )
    services.review_sheet(customer, user=alice, note="Contacts and addresses checked.")
    report.created.append("key-account RK888")


CAUSE_CATEGORIES = [
    ("Operator", "人员"), ("Machine or tooling", "设备或模具"), ("Material", "材料"),
    ("Process or method", "工艺或方法"), ("Measurement or inspection", "测量或检验"),
    ("Environment", "环境"), ("Drawing or specification", "图纸或规格"),
    ("Packaging or transport", "包装或运输"), ("Supplier", "供应商"),
    ("Surface treatment", "表面处理"),
]  # fmt: skip


def _complaints(users, report) -> None:
    """The administrator's cause categories; Pacific Aero's open complaint about anodising
    colour is confirmed and analysed, its corrective action still to come."""
    for name, name_zh in CAUSE_CATEGORIES:
        _category, created = CauseCategory.objects.get_or_create(
            name=name, defaults={"name_zh": name_zh}
        )
        if created:
            report.created.append(f"cause-category {name}")
    complaint = Complaint.objects.filter(
        order__project__customer__code="RK1037", closed_on=None
    ).first()
    if complaint is None or ComplaintHandling.objects.filter(complaint=complaint).exists():
        return
    bob = users["bob"]
    complaints.record_step(
        complaint, "content", user=bob, part_number="PA-BRK-220",
        text="12 of 400 brackets of lot 2611-B darker than the master sample; photos filed.",
    )  # fmt: skip
    complaints.record_step(
        complaint, "analysis", user=bob,
        category=CauseCategory.objects.get(name="Surface treatment"),
        text="The anodiser changed the dye bath on 2 Nov without telling us; the first "
        "rack after the change ran 4 minutes longer.",
    )  # fmt: skip
    report.created.append(f"complaint-handling {complaint.number}")


SURVEY_QUESTIONS = [
    ("How satisfied are you with the quality of the parts?", "您对零件质量满意吗？", "rating"),
    ("How satisfied are you with our delivery time?", "您对交货期满意吗？", "rating"),
    ("How satisfied are you with our communication?", "您对我们的沟通满意吗？", "rating"),
    ("What should we do better?", "我们应如何改进？", "text"),
]


def _surveys(report) -> None:
    """The survey template the admin keeps, and Nordwerk's answer about its shipped order."""
    template, created = SurveyTemplate.objects.get_or_create(name="After delivery 交货后")
    if created:
        for position, (en, zh, kind) in enumerate(SURVEY_QUESTIONS):
            template.questions.create(position=position, text_en=en, text_zh=zh, kind=kind)
        report.created.append("survey-template After delivery")
    # Named by its customer PO: the first shipped order would be another one once later
    # demos ship more of Nordwerk's orders, and a second run would survey that one too.
    order = Order.objects.filter(project__customer__code="RK888", customer_po=SURVEYED_PO).first()
    if order is None or order.surveys.exists():
        return
    now = timezone.now()
    survey = Survey.objects.create(
        order=order, template=template, email=surveys.recipient(order) or "buyer@example.com",
        token_hash=secrets.token_hex(32), sent_at=now - datetime.timedelta(days=3),
        expires_at=now + datetime.timedelta(days=27), answered_at=now - datetime.timedelta(days=1),
    )  # fmt: skip
    ratings = iter([5, 4, 4])
    note = "Send the ETA a day earlier, please."
    rows = [
        SurveyAnswer(survey=survey, question=q, rating=next(ratings), text="")
        if q.kind == "rating"
        else SurveyAnswer(survey=survey, question=q, text=note)
        for q in template.questions.all()
    ]
    SurveyAnswer.objects.bulk_create(rows)
    survey.rating = Decimal(13) / 3
    survey.save(update_fields=["rating"])
    report.created.append(f"survey {order.code}")
