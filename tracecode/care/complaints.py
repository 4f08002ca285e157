"""Complaints handled to the end: the steps as data, one function that records a step, the
recurrence flag and the 8D report.

    content confirmed → cause analysis → corrective action → customer told (when, how)
      → preventive action → verification (the complaint is then closed)

Each step is recorded once, with who and when, and only after the one before it; the
steps also fill in the complaint's own fields (cause analysis, corrective action, result
told), so sales' lists and statistics read them as before. A complaint of the same customer
about the same part, or with the same cause category, received within 12 months before it
is a recurrence.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.core.pdf import letterhead, render_pdf
from tracecode.sales import services as sales
from tracecode.sales.models import Complaint

from .models import ComplaintHandling, ComplaintStep

S = ComplaintStep.Step


@dataclass(frozen=True)
class StepRule:
    step: str
    label: str
    label_zh: str  # the 8D report is printed with both languages' labels
    discipline: str  # where it stands in an 8D report
    fields: tuple[str, ...] = ()  # what it asks for besides its text; all required


STEPS = [
    StepRule(S.CONTENT, gettext_lazy("Content confirmed"), "问题描述", "D2"),
    StepRule(S.ANALYSIS, gettext_lazy("Cause analysis"), "原因分析", "D4", ("category",)),
    StepRule(S.CORRECTIVE, gettext_lazy("Corrective action"), "纠正措施", "D5/D6"),
    StepRule(
        S.TOLD, gettext_lazy("Customer told"), "告知客户", "D6", ("told_on", "told_how")
    ),  # fmt: skip
    StepRule(S.PREVENTIVE, gettext_lazy("Preventive action"), "预防措施", "D7"),
    StepRule(S.VERIFIED, gettext_lazy("Verification"), "效果验证", "D8"),
]
RULES = {rule.step: rule for rule in STEPS}
RECURRENCE_WINDOW = datetime.timedelta(days=365)


class StepRefused(Exception):
    """A step recorded out of order, or again; the message says which step comes next."""

    code = "step_out_of_order"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def handling_of(complaint) -> ComplaintHandling:
    """The complaint's handling, made on first use with the order's first part number."""
    handling = ComplaintHandling.objects.filter(complaint=complaint).first()
    if handling is not None:
        return handling
    first_line = complaint.order.lines.order_by("pk").first()
    handling, _created = ComplaintHandling.objects.get_or_create(
        complaint=complaint, defaults={"part_number": first_line.part_number if first_line else ""}
    )
    return handling


def next_step(handling) -> StepRule | None:
    """The step to record now, None once all are done."""
    done = {s.step for s in handling.steps.all()}
    return next((rule for rule in STEPS if rule.step not in done), None)


def may_handle(user, complaint) -> bool:
    return Complaint.objects.editable_by(user).filter(pk=complaint.pk).exists()


def record_step(complaint, step: str, *, user, text: str, category=None, told_on=None,
                told_how: str = "", part_number: str | None = None) -> ComplaintStep:  # fmt: skip
    """Record `step` of the complaint's handling with who and when; refused out of order."""
    if not may_handle(user, complaint):
        raise PermissionDenied
    if step not in RULES:
        raise StepRefused(_("There is no step called “%(step)s”.") % {"step": step})
    with transaction.atomic():
        handling = ComplaintHandling.objects.select_for_update().get(pk=handling_of(complaint).pk)
        expected = next_step(handling)
        if expected is None or expected.step != step:
            raise StepRefused(_refusal(complaint, step, expected))
        values = {"category": category, "told_on": told_on, "told_how": told_how}
        missing = [name for name in RULES[step].fields if not values[name]]
        if not (text or "").strip():
            missing.insert(0, "text")
        if missing:
            raise ValidationError({name: [_("This step needs it.")] for name in missing})
        if told_on and told_on > timezone.localdate():
            raise ValidationError({"told_on": [_("The customer is told on a day that has come.")]})
        recorded = ComplaintStep.objects.create(
            handling=handling, step=step, text=text.strip(), told_on=told_on,
            told_how=told_how or "", by=user,
        )  # fmt: skip
        _fill_in_complaint(handling, recorded, category, part_number, user)
    return recorded


def _refusal(complaint, step, expected) -> str:
    label = RULES[step].label
    if expected is None:
        return _("Complaint %(number)s is handled to the end: every step is recorded.") % {
            "number": complaint.number
        }
    if STEPS.index(RULES[step]) < STEPS.index(expected):
        return _("“%(step)s” of %(number)s is already recorded.") % {
            "step": label,
            "number": complaint.number,
        }
    return _("“%(step)s” comes after “%(next)s”, which is not recorded yet.") % {
        "step": label,
        "next": expected.label,
    }


def _fill_in_complaint(handling, step, category, part_number, user) -> None:
    """The complaint's own fields follow its steps; the last step closes it."""
    complaint = handling.complaint
    if step.step == S.CONTENT and part_number is not None:
        handling.part_number = part_number.strip()
        handling.save(update_fields=["part_number"])
    elif step.step == S.ANALYSIS:
        handling.category = category
        handling.save(update_fields=["category"])
        complaint.cause_analysis = step.text
        complaint.save(update_fields=["cause_analysis"])
    elif step.step == S.CORRECTIVE:
        complaint.corrective_action = step.text
        complaint.save(update_fields=["corrective_action"])
    elif step.step == S.TOLD:
        complaint.result, complaint.result_told_on = step.text, step.told_on
        complaint.save(update_fields=["result", "result_told_on"])
    elif step.step == S.VERIFIED and complaint.is_open:
        sales.close_complaint(complaint, user=user, closed_on=timezone.localdate())


def recurrences(complaint) -> list[Complaint]:
    """Earlier complaints of the same customer within 12 months, about the same part or with
    the same cause category."""
    handling = handling_of(complaint)
    since = complaint.received_on - RECURRENCE_WINDOW
    earlier = (
        Complaint.objects.filter(
            order__project__customer=complaint.order.project.customer_id,
            received_on__gte=since,
            received_on__lte=complaint.received_on,
        )
        .exclude(pk=complaint.pk)
        .select_related("handling__category")
    )
    found = []
    for other in earlier:
        theirs = getattr(other, "handling", None)
        if theirs is None:
            continue
        same_part = handling.part_number and theirs.part_number == handling.part_number
        same_cause = handling.category_id and theirs.category_id == handling.category_id
        if same_part or same_cause:
            found.append(other)
    return found


def report_pdf(complaint) -> bytes:
    """The 8D report of the complaint as PDF, every heading in English and Chinese."""
    handling = handling_of(complaint)
    steps = {s.step: s for s in handling.steps.select_related("by")}
    order = complaint.order
    context = {
        "company": letterhead(),
        "title": "8D REPORT",
        "title_zh": "8D 报告",
        "complaint": complaint,
        "order": order,
        "customer": order.project.customer,
        "handling": handling,
        "rows": [(rule, steps.get(rule.step)) for rule in STEPS],
        "recurrences": recurrences(complaint),
        "today": timezone.localdate(),
    }
    with translation.override("en"):  # English beside the Chinese labels, as on the PI
        return render_pdf(render_to_string("care/8d.html", context))
