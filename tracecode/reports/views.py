"""The report pages, their .xlsx, and the plan against result with targets and closing.

Each page is the `figures` function of its report, filtered by ReportFilterForm; its charts
draw the tables beside them (data through json_script, drawn by static/tracecode/charts.js).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.customers.countries import country_name

from . import exports, figures, services
from .forms import MonthForm, ReportFilterForm, TargetForm
from .models import MonthClose, Target


def filter_lines(form: ReportFilterForm, name: str) -> list[tuple[str, str]]:
    """What the report was narrowed by, in words (page header when printed, .xlsx)."""
    f = form.filters()
    lines = []
    if name != "receivables":
        lines.append((_("Period"), f"{f.date_from.isoformat()} – {f.date_to.isoformat()}"))
    data = form.cleaned_data if form.is_bound else {}
    if data.get("salesperson"):
        lines.append((_("Salesperson"), figures.person(data["salesperson"])))
    if f.market:
        lines.append((_("Market"), dict(ReportFilterForm.MARKET)[f.market]))
    if f.country:
        lines.append((_("Country"), country_name(f.country)))
    if data.get("industry"):
        lines.append((_("Industry"), str(data["industry"])))
    if f.currency:
        lines.append((_("Currency"), f.currency))
    if name == "dormant":
        lines.append((_("Quiet for months"), str(f.months)))
    return lines


def _form(request) -> ReportFilterForm:
    return ReportFilterForm(request.GET or None)


@login_required
def index(request):
    reports = [(name, title, reverse("reports:report", args=[name]))
               for name, title in figures.TITLES.items()]  # fmt: skip
    return render(request, "reports/index.html", {"reports": reports})


@login_required
def report_page(request, name: str):
    if name not in figures.REPORTS:
        raise Http404
    form = _form(request)
    if form.is_bound and not form.is_valid():
        result, specs = None, []
    else:
        result = figures.report(name, request.user, form.filters())
        specs = figures.chart_specs(result.tables, result.charts)
    context = {
        "name": name,
        "title": figures.TITLES[name],
        "report": result,
        "charts": specs,
        "filters": form,
        "lines": filter_lines(form, name) if result else [],
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/report.html", context)


@login_required
def report_export(request, name: str):
    if name not in figures.REPORTS:
        raise Http404
    form = _form(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Correct the filters first."))
        return redirect("reports:report", name=name)
    result = figures.report(name, request.user, form.filters(), limit=None)
    return exports.response(result, filter_lines(form, name), name)


# --- plan against result ---------------------------------------------------------------------


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise Http404 from None


@login_required
def plan(request):
    form = MonthForm(request.GET or None)
    month = form.chosen()
    return redirect("reports:plan_month", month=f"{month:%Y-%m}")


@login_required
def plan_month(request, month: str):
    month = _month(month)
    result = figures.plan_against_result(request.user, month)
    closed = MonthClose.objects.filter(month=month).exists()
    may_manage = request.user.can_write and request.user.sees_everything
    target_forms = []
    if may_manage and not closed:
        targets = {t.salesperson_id: t for t in Target.objects.filter(month=month)}
        for each in figures.salespeople(request.user, extra_ids=list(targets)):
            target = targets.get(each.pk)
            initial = {"order_value": target.order_value if target else 0,
                       "new_customers": target.new_customers if target else 0,
                       "leads_followed": target.leads_followed if target else 0}  # fmt: skip
            target_forms.append((each, TargetForm(initial=initial, prefix=each.username)))
    today = timezone.localdate()
    context = {
        "report": result,
        "charts": figures.chart_specs(result.tables, result.charts),
        "month": month,
        "previous": figures.month_start(month, 1),
        "next": figures.month_start(month, -1),
        "closed": closed,
        "may_close": may_manage and not closed and month < today.replace(day=1),
        "target_forms": target_forms,
        "month_form": MonthForm(initial={"month": month}),
    }
    return render(request, "reports/plan.html", context)


@login_required
def plan_export(request, month: str):
    month = _month(month)
    result = figures.plan_against_result(request.user, month)
    return exports.response(result, [(_("Month"), f"{month:%Y-%m}")], f"plan-{month:%Y-%m}")


@login_required
@require_POST
def save_targets(request, month: str):
    month = _month(month)
    if not (request.user.can_write and request.user.sees_everything):
        raise PermissionDenied
    saved, problems = 0, []
    for each in figures.salespeople(request.user):
        form = TargetForm(request.POST, prefix=each.username)
        if not any(f"{each.username}-{k}" in request.POST for k in form.fields):
            continue
        if not form.is_valid():
            problems.append(
                f"{figures.person(each)}: "
                + "; ".join(
                    f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()
                )
            )
            continue  # fmt: skip
        try:
            services.set_target(each, month, user=request.user, **form.cleaned_data)
            saved += 1
        except services.PlanRefused as error:
            problems.append(error.message)
    for problem in problems:
        messages.error(request, problem)
    if saved:
        messages.success(request, _("Targets saved for %(n)s people.") % {"n": saved})
    return redirect("reports:plan_month", month=f"{month:%Y-%m}")


@login_required
@require_POST
def close(request, month: str):
    month = _month(month)
    try:
        services.close_month(month, user=request.user)
    except services.NotAManager:
        raise PermissionDenied from None
    except services.PlanRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(month)s is closed: its plan against result is kept as it is now.")
            % {"month": figures.month_label(month)},
        )
    return redirect("reports:plan_month", month=f"{month:%Y-%m}")
