"""Pages of order leads: the list, reporting one, and its page with the moves it allows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import visible_or_404
from tracecode.codes.services import CodingError
from tracecode.core.concurrency import StaleEdit

from . import services
from .forms import ConvertForm, LeadForm, PlanForm, ReasonForm, ResultForm
from .models import Lead

PER_PAGE = 25
TABS = [
    ("open", gettext_lazy("Open"), [Lead.State.REPORTED, Lead.State.ACCEPTED]),
    ("reported", gettext_lazy("To evaluate"), [Lead.State.REPORTED]),
    ("accepted", gettext_lazy("Following up"), [Lead.State.ACCEPTED]),
    ("converted", gettext_lazy("Became enquiries"), [Lead.State.CONVERTED]),
    ("closed", gettext_lazy("Rejected or lost"), [Lead.State.REJECTED, Lead.State.LOST]),
    ("all", gettext_lazy("All"), None),
]


def _lead(request, code: str) -> Lead:
    return visible_or_404(
        Lead.objects.select_related("customer", "project", "reported_by", "assigned_to",
                                    "decided_by", "source"),
        request.user, code=code,
    )  # fmt: skip


@login_required
def lead_list(request):
    tab = request.GET.get("tab") or "open"
    states = next((s for key, _label, s in TABS if key == tab), None)
    if tab not in {key for key, _label, _s in TABS}:
        raise Http404
    leads = Lead.objects.visible_to(request.user).select_related(
        "customer", "reported_by", "assigned_to", "project"
    )
    if states is not None:
        leads = leads.filter(state__in=states)
    if request.GET.get("mine"):
        leads = leads.filter(assigned_to=request.user)
    page = Paginator(leads.order_by("-reported_on", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    tabs = [(key, str(label)) for key, label, _s in TABS]
    return render(request, "leads/list.html", {"page": page, "tabs": tabs, "tab": tab})


@login_required
def lead_create(request):
    if not request.user.can_write:
        raise PermissionDenied
    form = LeadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.report_lead(form.save(commit=False), user=request.user)
        except (services.LeadRefused, CodingError) as error:
            field = getattr(error, "field", None)
            form.add_error(field if field in form.fields else None, str(error))
        else:
            messages.success(request, _("Lead %(code)s reported.") % {"code": lead.code})
            return redirect(lead)
    return render(request, "leads/form.html", {"form": form, "lead": None})


@login_required
def lead_edit(request, code: str):
    lead = _lead(request, code)
    if not services.may_edit(request.user, lead):
        raise PermissionDenied
    form = LeadForm(request.POST or None, instance=lead, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_lead(
                form.instance,
                user=request.user,
                version=form.cleaned_data["version"],
                fields=form.model_fields,
            )
        except StaleEdit:
            form.add_error(
                None,
                _(
                    "Someone else saved this lead since you opened it: "
                    "open it again and repeat your change."
                ),
            )
        except services.LeadRefused as error:
            form.add_error(None, error.message)
        else:
            return redirect(lead)  # fmt: skip
    return render(request, "leads/form.html", {"form": form, "lead": lead})


def _forms(request, lead, bound=None) -> dict:
    """The form of each move the user may make now; `bound` replaces one with its errors."""
    user = request.user
    allowed = services.allowed_moves(user, lead)
    plan_initial = {"assigned_to": lead.assigned_to.username if lead.assigned_to else None,
                    "plan": lead.plan, "follow_up_due": lead.follow_up_due}  # fmt: skip
    makers = {
        "accept": lambda: PlanForm(initial=plan_initial, prefix="accept"),
        "reject": lambda: ReasonForm(prefix="reject"),
        "plan": lambda: PlanForm(initial=plan_initial, prefix="plan"),
        "result": lambda: ResultForm(prefix="result"),
        "convert": lambda: ConvertForm(prefix="convert", user=user,
                                       initial={"customer": lead.customer.code
                                                if lead.customer else None}),
        "lose": lambda: ReasonForm(prefix="lose"),
    }  # fmt: skip
    forms = {action: makers[action]() for action in allowed}
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


def _detail(request, lead, bound=None, status=200):
    context = {
        "lead": lead,
        "events": lead.events.select_related("by").order_by("at", "pk"),
        "moves": [
            (action, services.MOVES[action].label, form)
            for action, form in _forms(request, lead, bound).items()
        ],
        "may_edit": services.may_edit(request.user, lead),
        "orders": services.won_orders(lead).order_by("confirmed_on") if lead.project_id else [],
    }
    return render(request, "leads/detail.html", context, status=status)


@login_required
def lead_detail(request, code: str):
    return _detail(request, _lead(request, code))


FORMS = {"accept": PlanForm, "reject": ReasonForm, "plan": PlanForm, "result": ResultForm,
         "convert": ConvertForm, "lose": ReasonForm}  # fmt: skip


@login_required
@require_POST
def lead_move(request, code: str, action: str):
    lead = _lead(request, code)
    if action not in FORMS:
        raise Http404
    if not services.may(request.user, lead, action):
        raise PermissionDenied
    kwargs = {"user": request.user} if action == "convert" else {}
    form = FORMS[action](request.POST, prefix=action, **kwargs)
    if not form.is_valid():
        return _detail(request, lead, (action, form), status=422)
    data = form.cleaned_data
    try:
        if action in ("accept", "plan"):
            move = services.accept if action == "accept" else services.plan
            extra = {"note": data.get("note", "")} if action == "accept" else {}
            move(lead, user=request.user, assigned_to=data["assigned_to"], plan=data["plan"],
                 follow_up_due=data["follow_up_due"], **extra)  # fmt: skip
        elif action == "reject":
            services.reject(lead, user=request.user, reason=data["reason"])
        elif action == "lose":
            services.lose(lead, user=request.user, reason=data["reason"])
        elif action == "result":
            services.record_result(lead, user=request.user, note=data["note"],
                                   follow_up_due=data.get("follow_up_due"))  # fmt: skip
        else:
            services.convert(lead, user=request.user, customer=data.get("customer"),
                             create_anyway=data.get("create_anyway", False))  # fmt: skip
    except services.NotAllowed:
        raise PermissionDenied from None
    except (services.LeadRefused, CodingError) as error:
        field = getattr(error, "field", None)
        form.add_error(field if field in form.fields else None, str(error))
        return _detail(request, _lead(request, code), (action, form), status=409)
    if action == "convert":
        lead.refresh_from_db()
        messages.success(request, _("Lead %(code)s became enquiry %(project)s.")
                         % {"code": lead.code, "project": lead.project.code})  # fmt: skip
    return redirect("leads:detail", code=lead.code)
