"""Satisfaction surveys: mailed after an order ships, answered through a personal link
without signing in, reminded once, and counted into the customer's satisfaction.

The link carries a random token; only its SHA-256 is kept, so the database alone opens no
survey. A reminder mails a new link (the old one stops working). The public page shows the
order's code and the customer's name and nothing else; a wrong, expired or used token
gets the same answer as no survey at all, and each address may ask
settings.SURVEY_RATE_LIMIT times in ten minutes (counted in the database, so every app
server counts the same requests).
"""

import datetime
import hashlib
import secrets
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.sales.models import Order, OrderEvent, OrderState

from .models import Survey, SurveyAnswer, SurveyHit, SurveyTemplate

SHIPPED = [OrderState.SHIPPED, OrderState.ARRIVED, OrderState.RECONCILED, OrderState.PAID,
           OrderState.CLOSED]  # fmt: skip


class RateLimited(Exception):
    """Too many requests to the public page from one address."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link(token: str) -> str:
    return settings.PUBLIC_URL + reverse("survey", args=[token])


def recipient(order) -> str:
    """Where the survey goes: the customer's main contact, else the company address."""
    customer = order.project.customer
    contact = customer.contacts.filter(is_main=True).exclude(email="").first()
    return contact.email if contact else customer.email


def _mail(survey, token: str, reminder: bool = False) -> None:
    order = survey.order
    subject = (
        f"[{order.code}] How did we do? 请评价我们的服务" if not reminder
        else f"[{order.code}] Reminder: how did we do? 提醒：请评价我们的服务"
    )  # fmt: skip
    days = settings.SURVEY_VALID_DAYS
    body = (
        f"Dear {order.project.customer.company_name},\n\n"
        f"thank you for your order {order.code}. Please tell us in two minutes how we did:\n\n"
        f"{_link(token)}\n\n"
        f"The link is for you alone, takes one answer and works for {days} days.\n\n"
        f"感谢您的订单 {order.code}。请花两分钟评价我们的服务（链接仅供您使用，"
        f"可回答一次，{days} 天内有效）。\n\n{settings.COMPANY_NAME}\n"
    )
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [survey.email])
    mailers.default.send_messages([message])


def send(order, template=None, now=None) -> Survey:
    """Mail a new survey about `order` to its customer's main contact."""
    template = template or SurveyTemplate.objects.filter(active=True).order_by("pk").first()
    email = recipient(order)
    if template is None or not email:
        raise ValidationError(_("There is no survey template in use, or no address to mail."))
    token = secrets.token_urlsafe(32)
    now = now or timezone.now()
    survey = Survey.objects.create(
        order=order, template=template, email=email, token_hash=_hash(token), sent_at=now,
        expires_at=now + datetime.timedelta(days=settings.SURVEY_VALID_DAYS),
    )  # fmt: skip
    _mail(survey, token)
    return survey


def remind(survey, now=None) -> Survey:
    """Mail a new link to an unanswered survey; the old link stops working."""
    token = secrets.token_urlsafe(32)
    survey.token_hash = _hash(token)
    survey.reminded_at = now or timezone.now()
    survey.expires_at = survey.reminded_at + datetime.timedelta(days=settings.SURVEY_VALID_DAYS)
    survey.save(update_fields=["token_hash", "reminded_at", "expires_at"])
    _mail(survey, token, reminder=True)
    return survey


def due_orders(now=None):
    """Orders shipped at least SURVEY_DAYS_AFTER days ago without a survey."""
    now = now or timezone.now()
    shipped_before = now - datetime.timedelta(days=settings.SURVEY_DAYS_AFTER)
    shipped = OrderEvent.objects.filter(action="ship", at__lte=shipped_before).values("order_id")
    return (
        Order.objects.filter(pk__in=shipped, state__in=SHIPPED, surveys__isnull=True)
        .select_related("project__customer")
        .order_by("pk")
    )


def run(now=None) -> tuple[int, int]:
    """Send the surveys that are due and the reminders; (sent, reminded)."""
    now = now or timezone.now()
    sent = 0
    for order in due_orders(now):
        if recipient(order):
            send(order, now=now)
            sent += 1
    remind_before = now - datetime.timedelta(days=settings.SURVEY_REMIND_DAYS)
    unanswered = Survey.objects.filter(
        answered_at=None, reminded_at=None, sent_at__lte=remind_before, expires_at__gt=now
    )
    reminded = 0
    for survey in unanswered.select_related("order__project__customer"):
        remind(survey, now=now)
        reminded += 1
    return sent, reminded


def count_hit(address: str | None) -> None:
    """Count one request to the public page, or refuse it with RateLimited."""
    since = timezone.now() - datetime.timedelta(minutes=10)
    with transaction.atomic():
        if SurveyHit.objects.filter(address=address or "", at__gte=since).count() >= (
            settings.SURVEY_RATE_LIMIT
        ):
            raise RateLimited
        SurveyHit.objects.create(address=address or "")
        SurveyHit.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=1)).delete()


def open_survey(token: str) -> Survey | None:
    """The survey the token opens now; None for a wrong, expired or answered one alike."""
    if not token or len(token) > 100:
        return None
    survey = (
        Survey.objects.filter(token_hash=_hash(token), answered_at=None,
                              expires_at__gt=timezone.now())
        .select_related("order__project__customer", "template")
        .first()
    )  # fmt: skip
    return survey


def answer(token: str, values: dict) -> Survey:
    """Record the one answer to the survey; ValidationError by question for a bad one,
    LookupError when the token opens nothing (anymore)."""
    with transaction.atomic():
        survey = open_survey(token)
        if survey is None:
            raise LookupError
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.answered_at is not None:
            raise LookupError
        errors, rows = {}, []
        for question in survey.template.questions.all():
            raw = (values.get(f"q{question.pk}") or "").strip()
            if question.kind == question.Kind.RATING:
                if raw not in {"1", "2", "3", "4", "5"}:
                    errors[f"q{question.pk}"] = [_("Choose 1 to 5.")]
                    continue
                rows.append(SurveyAnswer(survey=survey, question=question, rating=int(raw)))
            else:
                rows.append(SurveyAnswer(survey=survey, question=question, text=raw[:5000]))
        if errors:
            raise ValidationError(errors)
        SurveyAnswer.objects.bulk_create(rows)
        ratings = [row.rating for row in rows if row.rating]
        survey.rating = Decimal(sum(ratings)) / len(ratings) if ratings else None
        survey.answered_at = timezone.now()
        survey.save(update_fields=["rating", "answered_at"])
    return survey


def satisfaction(customer, today=None) -> dict:
    """The customer's satisfaction from the surveys answered in the last 12 months."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    answered = Survey.objects.filter(
        order__project__customer=customer, answered_at__date__gte=since
    ).exclude(rating=None)
    figures = answered.aggregate(average=Avg("rating"), answers=Count("pk"))
    average = figures["average"]
    return {
        "average": Decimal(average).quantize(Decimal("0.1")) if average is not None else None,
        "answers": figures["answers"],
    }


def report(user) -> list[dict]:
    """Average rating and number of answers per month, customer and salesperson (the
    customer's owner), of the surveys `user` may see; newest month first."""
    rows = (
        Survey.objects.visible_to(user)
        .exclude(rating=None)
        .values_list("answered_at", "order__project__customer__code",
                     "order__project__customer__company_name",
                     "order__project__customer__owner__username", "rating")
    )  # fmt: skip
    groups: dict[tuple, list] = defaultdict(list)
    for at, code, name, owner, rating in rows:
        month = timezone.localtime(at).strftime("%Y-%m")
        groups[(month, code, name, owner)].append(rating)
    result = [
        {"month": month, "customer": code, "company_name": name, "salesperson": owner,
         "answers": len(ratings),
         "average": (sum(ratings) / len(ratings)).quantize(Decimal("0.01"))}
        for (month, code, name, owner), ratings in groups.items()
    ]  # fmt: skip
    return sorted(result, key=lambda r: (r["month"], r["customer"]), reverse=True)
