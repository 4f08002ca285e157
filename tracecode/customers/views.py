from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.codes.services import CodingError
from tracecode.core.concurrency import StaleEdit
from tracecode.core.paging import KeyedPaginator
from tracecode.core.refusals import refused, show_on_form, stale_edit

from . import services
from .countries import BadPhone, to_e164
from .duplicates import find_duplicates
from .forms import (
    CommunicationForm,
    ContactForm,
    CustomerFilterForm,
    CustomerForm,
    FollowUpForm,
    SharingForm,
)
from .history import display_value, field_label
from .models import Contact, Customer

PER_PAGE = 25


def _customers():
    return Customer.objects.select_related(
        "owner", "industry", "background", "source", "status", "created_by"
    )


def _filtered(request):
    form = CustomerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, services.filter_customers(request.user, data)


@login_required
def customer_list(request):
    form, customers = _filtered(request)
    page = KeyedPaginator(
        customers.prefetch_related(
            Prefetch("contacts", Contact.objects.filter(is_main=True), to_attr="main_contacts")
        ),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {"page": page, "filters": form, "query": request.GET.urlencode()}
    return render(request, "customers/list.html", context)


@login_required
def follow_ups(request):
    """My follow-ups: the signed-in user's due and overdue next steps, oldest first, then
    those coming up."""
    customers = services.follow_ups(request.user)
    upcoming = services.upcoming_follow_ups(request.user)
    return render(
        request, "customers/follow_ups.html", {"customers": customers, "upcoming": upcoming}
    )


def _require_writer(user):
    if not user.can_write:
        raise PermissionDenied


@login_required
def customer_create(request):
    _require_writer(request.user)
    duplicates = []
    form = CustomerForm(
        request.POST or None, user=request.user, creating=True, check_duplicates=True
    )
    if request.method == "POST" and form.is_valid():
        customer = form.save(commit=False)
        duplicates = find_duplicates(
            request.user,
            company_name=customer.company_name,
            email=customer.email,
            phone=customer.phone,
            website=customer.website,
        )
        if not duplicates or request.POST.get("confirm_duplicates"):
            try:
                services.create_customer(customer, user=request.user)
            except (CodingError, ValidationError) as error:
                show_on_form(form, error)
            else:
                messages.success(
                    request,
                    _("Customer %(code)s created.") % {"code": customer.code},
                )
                return redirect(customer)
    return render(
        request,
        "customers/form.html",
        {"form": form, "duplicates": duplicates, "creating": True},
    )


@login_required
def duplicates(request):
    """The duplicate warning, refreshed as the user types (htmx)."""
    data = request.POST if request.method == "POST" else request.GET
    try:
        phone = to_e164(data.get("phone", ""), data.get("country", ""))
    except BadPhone:
        phone = ""
    found = find_duplicates(
        request.user,
        company_name=data.get("company_name", ""),
        email=data.get("email", ""),
        phone=phone,
        website=data.get("website", ""),
    )
    return render(request, "customers/_duplicates.html", {"duplicates": found, "live": True})


def _history_rows(customer):
    rows = []
    records = customer.changes.select_related("changed_by", "contact")[:200]
    for record in records:
        model = Contact if record.subject != customer.code else Customer
        if record.field == "main_contact":
            label = _("main contact")
            old, new = record.old_value or "—", record.new_value or "—"
        elif record.field:
            label = field_label(model, record.field)
            old = display_value(model, record.field, record.old_value)
            new = display_value(model, record.field, record.new_value)
        else:
            label, old, new = "", "", record.new_value
        rows.append(
            {
                "record": record,
                "action": record.get_action_display(),
                "is_contact": model is Contact,
                "label": label,
                "old": old,
                "new": new,
            }
        )
    return rows


@login_required
def customer_detail(request, code: str):
    """The Customer Information Sheet."""
    customer = visible_or_404(_customers(), request.user, code=code)
    return render(request, "customers/detail.html", _sheet_context(request, customer))


def _sheet_context(request, customer, **forms):
    user = request.user
    can_edit = Customer.objects.editable_by(user).filter(pk=customer.pk).exists()
    context = {
        "customer": customer,
        "sheet": services.sheet(customer),
        "contacts": customer.contacts.all(),
        "main_changes": customer.main_contact_changes.select_related("changed_by"),
        "log": customer.communications.select_related("contact", "created_by")[:200],
        "history": _history_rows(customer),
        "shares": customer.shared_with.order_by("username"),
        "can_edit": can_edit,
        "can_manage": services.can_manage(user, customer),
        "size_label": services.size_label(customer),
        "region_label": services.region_label(customer),
        "base_currency": settings.BASE_CURRENCY,
        **_projects(customer),
    }
    if can_edit:
        context["follow_up_form"] = forms.get("follow_up_form") or FollowUpForm(instance=customer)
        context["log_form"] = forms.get("log_form") or CommunicationForm(customer=customer)
    return context


# The sheet shows a bounded number of rows whatever the customer holds (a customer with 248
# orders took 300 ms to render them all): the newest projects, each with its newest orders;
# the rest are a link away (the projects list, a project's Everything page).
PROJECTS_SHOWN, ORDERS_SHOWN = 20, 8


def _projects(customer) -> dict:
    """The newest projects with their newest orders and counts, and how many projects."""
    # The orders are reached through the projects' relation: the customers app imports no app
    # above it.
    orders = customer.projects.model._meta.get_field("orders").related_model
    newest = orders.objects.order_by("-ordered_on", "-pk")[:ORDERS_SHOWN]
    projects = (
        customer.projects.annotate(order_count=Count("orders"))
        .prefetch_related(Prefetch("orders", queryset=newest, to_attr="newest_orders"))
        .order_by("-received_on", "-pk")
    )
    count = customer.projects.count()
    return {"projects": projects[:PROJECTS_SHOWN], "project_count": count,
            "more_projects": max(0, count - PROJECTS_SHOWN)}  # fmt: skip


@login_required
def customer_edit(request, code: str):
    customer = editable_or_404(_customers(), request.user, code=code)
    form = CustomerForm(request.POST or None, instance=customer, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_customer(
                form.save(commit=False),
                user=request.user,
                expected_version=form.cleaned_data["version"],
                fields=form.model_fields(),
            )
        except StaleEdit as stale:
            conflict = stale_edit(form, stale)
        else:
            messages.success(request, _("Saved."))
            return redirect(customer)
    return render(
        request,
        "customers/form.html",
        {"form": form, "customer": customer, "conflict": conflict},
    )


@login_required
@require_POST
def follow_up(request, code: str):
    """The next step, its due date and the business status, set on the sheet."""
    customer = editable_or_404(_customers(), request.user, code=code)
    form = FollowUpForm(request.POST, instance=customer)
    if form.is_valid():
        try:
            services.update_customer(
                form.save(commit=False),
                user=request.user,
                expected_version=form.cleaned_data["version"],
                fields=form.model_fields(),
            )
        except StaleEdit as stale:
            conflict = stale_edit(form, stale)
            return render(
                request,
                "customers/follow_up.html",
                {"form": form, "customer": stale.current, "conflict": conflict},
            )
        messages.success(request, _("Next step saved."))
        return redirect(customer.get_absolute_url() + "#follow-up")
    return render(request, "customers/follow_up.html", {"form": form, "customer": customer})


def _managed_or_403(request, code):
    customer = editable_or_404(_customers(), request.user, code=code)
    if not services.can_manage(request.user, customer):
        raise PermissionDenied
    return customer


@login_required
def sharing(request, code: str):
    customer = _managed_or_403(request, code)
    form = SharingForm(request.POST or None, customer=customer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_sharing(
                customer,
                user=request.user,
                owner=form.cleaned_data["owner"],
                shared_with=form.cleaned_data["shared_with"],
            )
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Owner and sharing saved."))
            if not Customer.objects.visible_to(request.user).filter(pk=customer.pk).exists():
                return redirect("customers:list")
            return redirect(customer)
    return render(request, "customers/sharing.html", {"form": form, "customer": customer})


@login_required
@require_POST
def archive(request, code: str):
    customer = _managed_or_403(request, code)
    services.archive_customer(customer, user=request.user)
    messages.success(request, _("%(code)s is archived.") % {"code": customer.code})
    return redirect(customer)


@login_required
@require_POST
def restore(request, code: str):
    customer = _managed_or_403(request, code)
    services.restore_customer(customer, user=request.user)
    messages.success(request, _("%(code)s is current again.") % {"code": customer.code})
    return redirect(customer)


@login_required
def delete(request, code: str):
    customer = _managed_or_403(request, code)
    figures = services.customer_figures(customer)
    if request.method == "POST":
        try:
            services.delete_customer(customer, user=request.user)
        except services.HasOrders as error:
            refused(request, error)
            return redirect(customer)
        messages.success(
            request,
            _("%(code)s is deleted; its code stays used.") % {"code": customer.code},
        )
        return redirect("customers:list")
    return render(
        request, "customers/delete.html", {"customer": customer, "has_orders": figures.has_orders}
    )


@login_required
def contact_create(request, code: str):
    customer = editable_or_404(_customers(), request.user, code=code)
    form = ContactForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        try:
            services.add_contact(
                contact,
                customer=customer,
                user=request.user,
                main=form.cleaned_data.get("make_main", False),
            )
        except CodingError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                _("Contact %(code)s %(name)s added.")
                % {"code": contact.code, "name": contact.name},
            )
            return redirect(customer.get_absolute_url() + "#contacts")
    return render(request, "customers/contact_form.html", {"form": form, "customer": customer})


def _contact_or_404(request, code, contact_code, editable=True):
    find = editable_or_404 if editable else visible_or_404
    return find(
        Contact.objects.select_related("customer"),
        request.user,
        code=contact_code,
        customer__code=code,
    )


@login_required
def contact_edit(request, code: str, contact_code: str):
    contact = _contact_or_404(request, code, contact_code)
    customer = contact.customer
    form = ContactForm(request.POST or None, instance=contact, customer=customer)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(
                form.save(commit=False),
                user=request.user,
                expected_version=form.cleaned_data["version"],
                fields=form.model_fields(),
            )
        except StaleEdit as stale:
            conflict = stale_edit(form, stale)
        else:
            messages.success(request, _("Contact %(code)s saved.") % {"code": contact.code})
            return redirect(customer.get_absolute_url() + "#contacts")
    return render(
        request,
        "customers/contact_form.html",
        {"form": form, "customer": customer, "contact": contact, "conflict": conflict},
    )


@login_required
@require_POST
def contact_main(request, code: str, contact_code: str):
    contact = _contact_or_404(request, code, contact_code)
    services.make_main_contact(contact, user=request.user)
    messages.success(request, _("%(name)s is now the main contact.") % {"name": contact.name})
    return redirect(contact.customer.get_absolute_url() + "#contacts")


@login_required
def log_entry(request, code: str):
    """Add an entry to the communication log (the sheet holds the short form)."""
    customer = editable_or_404(_customers(), request.user, code=code)
    form = CommunicationForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        services.log_communication(form.save(commit=False), customer=customer, user=request.user)
        messages.success(request, _("Logged."))
        return redirect(customer.get_absolute_url() + "#log")
    return render(request, "customers/log_form.html", {"form": form, "customer": customer})
