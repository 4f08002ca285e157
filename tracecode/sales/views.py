"""The sales pages: projects, quotations, orders, documents, complaints, everything-about-a-code.

Views stay thin: they check visibility, validate with the forms and call services.py.
"""

import posixpath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.codes.services import CodingError
from tracecode.company.services import default_currency
from tracecode.core.concurrency import StaleEdit
from tracecode.core.paging import page_of
from tracecode.core.refusals import FormErrors, refused, show_on_form, stale_edit
from tracecode.core.workflow import IllegalTransition
from tracecode.customers.models import Customer
from tracecode.files import services as files

from . import lists, services, workflow
from .documents import DocumentError
from .forms import (
    BomLineFormSet,
    CheckpointForm,
    ComplaintForm,
    DocumentForm,
    InspectionForm,
    MaterialLotForm,
    OrderFilterForm,
    OrderForm,
    OrderLineFormSet,
    PaymentForm,
    ProjectFilterForm,
    ProjectForm,
    QuotationForm,
    QuotationLineFormSet,
    RepairForm,
    line_formset,
    transition_form,
)
from .models import (
    DOCUMENT_ORDER,
    Complaint,
    Document,
    MaterialLot,
    Order,
    Project,
    Quotation,
    QuotationRevision,
)


def lines_of(owner) -> list[dict]:
    fields = QuotationLineFormSet.form._meta.fields if isinstance(owner, Quotation) else None
    fields = fields or OrderLineFormSet.form._meta.fields
    rows = []
    for line in owner.lines.select_related("part"):
        row = model_to_dict(line, fields=fields)
        row["part"] = line.part.code if line.part else None  # parts are picked by code
        rows.append(row)
    return rows


def moves_of(record, url_name: str, code: str, **forms) -> list[dict]:
    """The moves a page offers for `record`: each with its form (`forms` replaces a blank one
    by one with errors to show), where it posts, and what its guards still miss."""
    flow = workflow.of(record)
    moves = []
    for move in flow.available(record):
        form = forms.get(f"move_{move.action}") or transition_form(move, record, prefix=move.action)
        moves.append(
            {
                "move": move,
                "form": form,
                "missing": flow.missing(record, move),
                "url": reverse(url_name, args=[code, move.action]),
                "confirm": CONFIRM.get((type(record), move.action), ""),
            }
        )
    return moves


# Moves that cannot be taken back, asked once more before they are made.
CONFIRM = {(Order, "cancel"): _lazy("Cancel this order? Its number stays used.")}


def move(request, record, action: str, page=None):
    """Make a move asked for on a page; its refusal as a message, bad details on the page."""
    try:
        moved = services.transition(
            record, action, user=request.user, data=request.POST, prefix=action
        )
    except IllegalTransition as error:
        refused(request, error)
    except FormErrors as error:
        if page is None:
            refused(request, error)
        else:
            messages.error(request, _("Check the details below."))
            return page(request, record, status=422, **{f"move_{action}": error.form})
    else:
        flow = workflow.of(moved)
        messages.success(
            request,
            _("%(code)s is now %(state)s.")
            % {"code": moved.code, "state": flow.state_label(flow.state_of(moved))},
        )
    return redirect(record)


# Projects ---------------------------------------------------------------------------------


@login_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    projects = lists.filter_projects(request.user, form.cleaned_data if form.is_valid() else {})
    page = page_of(request, projects, 50)
    return render(request, "sales/project_list.html", {"page": page, "form": form})


@login_required
def project_create(request):
    initial = {"currency": default_currency()}  # the company profile's
    if code := request.GET.get("customer"):
        initial["customer"] = Customer.objects.editable_by(request.user).filter(code=code).first()
    form = ProjectForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "customer"}
        try:
            project = services.create_project(
                form.cleaned_data["customer"], user=request.user, **values
            )
        except (CodingError, ValidationError) as error:
            refused(request, error)
        else:
            messages.success(
                request,
                _("Project %(code)s (%(name)s) created.")
                % {"code": project.code, "name": project.name},
            )
            return redirect(project)
    return render(request, "sales/project_form.html", {"form": form})


def project_page(request, project, status=200, **forms):
    """The project page; `forms` replaces a blank move form by one with errors to show."""
    can_edit = Project.objects.editable_by(request.user).filter(pk=project.pk).exists()
    context = {
        "project": project,
        "quotations": project.quotations.all(),
        "orders": project.orders.all(),
        "can_edit": can_edit,
        "kinds": Order.Kind.choices,
        "moves": moves_of(project, "sales:project_move", project.code, **forms),
        "events": list(workflow.PROJECT.history(project)),
    }
    return render(request, "sales/project_detail.html", context, status=status)


@login_required
def project_detail(request, code: str):
    project = visible_or_404(Project.objects.select_related("customer"), request.user, code=code)
    return project_page(request, project)


@login_required
@require_POST
def project_move(request, code: str, action: str):
    project = editable_or_404(Project.objects.select_related("customer"), request.user, code=code)
    return move(request, project, action, project_page)


@login_required
def project_edit(request, code: str):
    project = editable_or_404(Project.objects.select_related("customer"), request.user, code=code)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_project(
                form.instance, version=form.cleaned_data["version"], fields=form.model_fields
            )
        except StaleEdit as error:
            conflict = stale_edit(form, error)
        else:
            messages.success(request, _("Project %(code)s saved.") % {"code": project.code})
            return redirect(project)
    return render(
        request,
        "sales/project_form.html",
        {"form": form, "project": project, "conflict": conflict},
    )


# Quotations -------------------------------------------------------------------------------


@login_required
def quotation_create(request, code: str):
    project = editable_or_404(Project.objects.select_related("customer"), request.user, code=code)
    form = QuotationForm(request.POST or None, initial={"currency": project.currency})
    formset = line_formset(
        QuotationLineFormSet,
        [
            {
                "part": project.part.code if project.part else None,
                "item": project.name,
                "quantity": project.target_quantity,
                "unit": project.quantity_unit,
            }
        ],
        data=request.POST if request.method == "POST" else None,
        customer=project.customer,
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            quotation = services.create_quotation(
                project, user=request.user, values=form.cleaned_data, lines=formset.lines()
            )
        except (CodingError, ValidationError) as error:
            refused(request, error)
        else:
            messages.success(request, _("Quotation %(code)s created.") % {"code": quotation.code})
            return redirect(quotation)
    context = {"form": form, "formset": formset, "project": project, "offer": project.part}
    return render(request, "sales/quotation_form.html", context)


@login_required
def quotation_detail(request, code: str):
    quotation = visible_or_404(
        Quotation.objects.select_related("project__customer"), request.user, code=code
    )
    context = {
        "quotation": quotation,
        "project": quotation.project,
        "lines": quotation.lines.select_related("part"),
        "revisions": quotation.revisions.select_related("issued_by"),
        "events": list(workflow.QUOTATION.history(quotation)),
        "can_edit": Quotation.objects.editable_by(request.user).filter(pk=quotation.pk).exists(),
        "offer": next((line.part for line in quotation.lines.all() if line.part_id), None)
        or quotation.project.part,
    }
    latest = quotation.latest_revision
    if latest is not None and quotation.status == Quotation.Status.ACCEPTED:
        # *Create order* asks the quantity of each item: its price is the tier it reaches
        context["order_items"] = [
            {"item": item, "quantity": rows[0]["quantity"], "unit": rows[0]["unit"]}
            for item, rows in services.revision_tiers(latest).items()
        ]
    return render(request, "sales/quotation_detail.html", context)


@login_required
def quotation_edit(request, code: str):
    quotation = editable_or_404(
        Quotation.objects.select_related("project__customer"), request.user, code=code
    )
    if not quotation.is_editable:
        messages.error(request, _("An accepted or declined quotation is no longer changed."))
        return redirect(quotation)
    form = QuotationForm(request.POST or None, instance=quotation)
    formset = line_formset(
        QuotationLineFormSet,
        lines_of(quotation),
        data=request.POST if request.method == "POST" else None,
        customer=quotation.project.customer,
    )
    conflict = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.save_quotation(
                form.instance,
                version=form.cleaned_data["version"],
                fields=form.model_fields,
                lines=formset.lines(),
                user=request.user,
            )
        except StaleEdit as error:
            conflict = stale_edit(form, error)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Quotation %(code)s saved.") % {"code": quotation.code})
            return redirect(quotation)
    context = {
        "form": form,
        "formset": formset,
        "project": quotation.project,
        "quotation": quotation,
        "conflict": conflict,
        "offer": next((line.part for line in quotation.lines.all() if line.part_id), None)
        or quotation.project.part,
    }
    return render(request, "sales/quotation_form.html", context)


@login_required
@require_POST
def quotation_issue(request, code: str):
    quotation = editable_or_404(
        Quotation.objects.select_related("project__customer"), request.user, code=code
    )
    try:
        revision = services.issue_quotation(quotation, user=request.user)
    except (IllegalTransition, DocumentError) as error:
        refused(request, error)
    else:
        messages.success(
            request,
            _("%(code)s revision %(number)s issued; its PDF is kept.")
            % {"code": quotation.code, "number": revision.number},
        )
    return redirect(quotation)


@login_required
@require_POST
def quotation_status(request, code: str):
    quotation = editable_or_404(Quotation.objects, request.user, code=code)
    try:
        services.set_quotation_status(quotation, request.POST.get("status", ""), user=request.user)
    except (IllegalTransition, ValidationError) as error:
        refused(request, error)
    return redirect(quotation)


@login_required
def revision_download(request, code: str, number: int):
    revision = visible_or_404(
        QuotationRevision.objects, request.user, quotation__code=code, number=number
    )
    return files.response(revision.pdf, posixpath.basename(revision.pdf.name))


# Orders -----------------------------------------------------------------------------------


@login_required
def order_list(request):
    form = OrderFilterForm(request.GET or None)
    orders = lists.filter_orders(request.user, form.cleaned_data if form.is_valid() else {})
    page = page_of(request, orders, 50)
    return render(request, "sales/order_list.html", {"page": page, "form": form})


@login_required
def order_create(request, code: str, kind: str):
    project = editable_or_404(Project.objects.select_related("customer"), request.user, code=code)
    if kind not in Order.Kind.values:
        raise Http404
    form = OrderForm(request.POST or None, initial=services.order_initial(project, kind), kind=kind)
    formset = line_formset(
        OrderLineFormSet,
        [
            {
                "part": project.part.code if project.part else None,
                "part_number": project.name,
                "unit": project.quantity_unit,
            }
        ],
        data=request.POST if request.method == "POST" else None,
        customer=project.customer,
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            order = services.create_order(
                project, kind, user=request.user, values=form.cleaned_data, lines=formset.lines()
            )
        except (CodingError, ValidationError) as error:
            refused(request, error)
        else:
            messages.success(request, _("Order %(code)s entered.") % {"code": order.code})
            return redirect(order)
    context = {
        "form": form,
        "formset": formset,
        "project": project,
        "kind": kind,
        "kind_label": Order.Kind(kind).label,
    }
    return render(request, "sales/order_form.html", context)


def order_page(request, order, status=200, **forms):
    """The order page; `forms` replaces a blank form by one with errors to show."""
    moves = moves_of(order, "sales:order_move", order.code, **forms)
    done = {c.name: c for c in order.checkpoints.select_related("done_by")}
    checkpoints = [
        {"rule": rule, "done": done.get(name), "open": order.state in rule.states}
        for name, rule in workflow.CHECKPOINTS.items()
        if rule.applies_to(order)
    ]
    lots = order.material_lots.select_related("bom_line__material", "supplier", "inspected_by")
    context = {
        "order": order,
        "project": order.project,
        "customer": order.project.customer,
        "lines": order.lines.select_related("part"),
        "events": list(workflow.ORDER.history(order)),
        "moves": moves,
        "checkpoints": checkpoints,
        "checkpoint_form": CheckpointForm(),
        "payments": order.payments.select_related("recorded_by"),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "documents": order.documents.select_related("created_by").order_by(
            DOCUMENT_ORDER, "-version"
        ),
        "document_form": DocumentForm(),
        "complaints": order.complaints.all(),
        "bom_lines": order.bom_lines.select_related("material", "supplier"),
        "lots": [(lot, InspectionForm(prefix=f"lot{lot.pk}", instance=lot)) for lot in lots],
        "lot_form": forms.get("lot_form") or MaterialLotForm(order=order),
        "repairs": order.repairs.all(),
        "repair_form": forms.get("repair_form") or RepairForm(),
        "can_repair": order.state in services.REPAIR_STATES,
        "can_edit": Order.objects.editable_by(request.user).filter(pk=order.pk).exists(),
    }
    return render(request, "sales/order_detail.html", context, status=status)


def _order(request, code, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    return lookup(Order.objects.select_related("project__customer"), request.user, code=code)


@login_required
def order_detail(request, code: str):
    return order_page(request, _order(request, code))


@login_required
def order_edit(request, code: str):
    order = _order(request, code, edit=True)
    if not order.is_open:
        messages.error(request, _("A closed or cancelled order is no longer changed."))
        return redirect(order)
    form = OrderForm(request.POST or None, instance=order)
    formset = None
    if order.lines_editable:
        formset = line_formset(
            OrderLineFormSet,
            lines_of(order),
            data=request.POST if request.method == "POST" else None,
            customer=order.project.customer,
        )
    conflict = None
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            services.save_order(
                form.instance,
                version=form.cleaned_data["version"],
                fields=form.model_fields,
                lines=formset.lines() if formset is not None else None,
                user=request.user,
            )
        except StaleEdit as error:
            conflict = stale_edit(form, error)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Order %(code)s saved.") % {"code": order.code})
            return redirect(order)
    context = {
        "form": form,
        "formset": formset,
        "project": order.project,
        "order": order,
        "kind": order.kind,
        "kind_label": order.get_kind_display(),
        "conflict": conflict,
    }
    return render(request, "sales/order_form.html", context)


@login_required
@require_POST
def order_move(request, code: str, action: str):
    return move(request, _order(request, code, edit=True), action, order_page)


@login_required
@require_POST
def order_checkpoint(request, code: str, name: str):
    order = _order(request, code, edit=True)
    form = CheckpointForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date it was done."))
        return redirect(order)
    try:
        services.tick_checkpoint(order, name, user=request.user, **form.cleaned_data)
    except IllegalTransition as error:
        refused(request, error)
    return redirect(order)


@login_required
@require_POST
def order_payment(request, code: str):
    order = _order(request, code, edit=True)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.record_payment(order, user=request.user, values=form.cleaned_data)
        except IllegalTransition as error:
            refused(request, error)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect(order)
    order.refresh_from_db()
    return order_page(request, order, status=422, payment_form=form)


@login_required
@require_POST
def order_document(request, code: str):
    order = _order(request, code, edit=True)
    form = DocumentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose PI, CI or PL."))
        return redirect(order)
    try:
        document = services.generate_document(order, form.cleaned_data["kind"], user=request.user)
    except (ValidationError, DocumentError) as error:
        refused(request, error)
    else:
        messages.success(
            request,
            _("%(kind)s %(number)s version %(version)s is ready.")
            % {"kind": document.kind, "number": document.number, "version": document.version},
        )
    return redirect(order)


@login_required
def document_download(request, pk: int, fmt: str):
    document = visible_or_404(Document.objects.select_related("order"), request.user, pk=pk)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    field = document.pdf if fmt == "pdf" else document.xlsx
    return files.response(field, posixpath.basename(field.name))


# Processing orders ------------------------------------------------------------------------


@login_required
def order_bom(request, code: str):
    order = _order(request, code, edit=True)
    if not order.is_processing:
        raise Http404
    rows = [
        {
            "part_number": line.part_number,
            "material": line.material.code if line.material else None,
            "description": line.description,
            "quantity_per_unit": line.quantity_per_unit,
            "unit": line.unit,
            "supplied_by": line.supplied_by,
            "supplier": line.supplier.code if line.supplier else None,
        }
        for line in order.bom_lines.select_related("material", "supplier")
    ]
    formset = line_formset(
        BomLineFormSet, rows, data=request.POST if request.method == "POST" else None, prefix="bom"
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_bom(order, formset.lines())
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("BOM saved."))
            return redirect(order)
    return render(request, "sales/bom_form.html", {"order": order, "formset": formset})


@login_required
@require_POST
def order_lot(request, code: str):
    order = _order(request, code, edit=True)
    form = MaterialLotForm(request.POST, order=order)
    if form.is_valid():
        try:
            services.receive_material(order, user=request.user, values=form.cleaned_data)
        except ValidationError as error:
            refused(request, error)
        return redirect(order)
    return order_page(request, order, status=422, lot_form=form)


@login_required
@require_POST
def lot_inspect(request, pk: int):
    lot = editable_or_404(MaterialLot.objects.select_related("order"), request.user, pk=pk)
    form = InspectionForm(request.POST, prefix=f"lot{lot.pk}", instance=lot)
    if form.is_valid():
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        services.inspect_lot(lot, user=request.user, values=values)
        messages.success(request, _("IQC result recorded."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(lot.order)


@login_required
@require_POST
def order_repair(request, code: str):
    order = _order(request, code, edit=True)
    form = RepairForm(request.POST)
    if form.is_valid():
        try:
            services.record_repair(order, user=request.user, values=form.cleaned_data)
        except ValidationError as error:
            refused(request, error)
        return redirect(order)
    return order_page(request, order, status=422, repair_form=form)


# Complaints -------------------------------------------------------------------------------


@login_required
def complaint_list(request):
    show = request.GET.get("show", "open")
    complaints = lists.filter_complaints(request.user, {"show": show})
    page = page_of(request, complaints, 50)
    return render(request, "sales/complaint_list.html", {"page": page, "show": show})


@login_required
def complaint_create(request, code: str):
    order = _order(request, code, edit=True)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.open_complaint(order, user=request.user, values=form.cleaned_data)
        except (ValidationError, CodingError) as error:
            refused(request, error)
        else:
            messages.success(
                request, _("Complaint %(number)s recorded.") % {"number": complaint.number}
            )
            return redirect(complaint)
    return render(request, "sales/complaint_form.html", {"form": form, "order": order})


@login_required
def complaint_detail(request, number: str):
    complaint = visible_or_404(
        Complaint.objects.select_related("order__project__customer"), request.user, number=number
    )
    form = ComplaintForm(request.POST or None, instance=complaint)
    if request.method == "POST":
        complaint = editable_or_404(Complaint.objects, request.user, pk=complaint.pk)
        form = ComplaintForm(request.POST, instance=complaint)
        if form.is_valid():
            services.save_complaint(form.instance, fields=list(form.fields))
            if request.POST.get("close"):
                try:
                    services.close_complaint(complaint, user=request.user)
                except IllegalTransition as error:
                    refused(request, error)
                    return redirect(complaint)
                messages.success(request, _("Complaint %(n)s closed.") % {"n": complaint.number})
            else:
                messages.success(request, _("Complaint %(n)s saved.") % {"n": complaint.number})
            return redirect(complaint)
    context = {
        "complaint": complaint,
        "order": complaint.order,
        "form": form,
        "events": list(workflow.COMPLAINT.history(complaint)),
        "can_edit": Complaint.objects.editable_by(request.user).filter(pk=complaint.pk).exists(),
    }
    return render(request, "sales/complaint_detail.html", context)


@login_required
@require_POST
def complaint_reopen(request, number: str):
    complaint = editable_or_404(Complaint.objects, request.user, number=number)
    try:
        services.reopen_complaint(complaint, user=request.user)
    except IllegalTransition as error:
        refused(request, error)
    else:
        messages.success(request, _("Complaint %(n)s reopened.") % {"n": complaint.number})
    return redirect(complaint)


# Everything about one number --------------------------------------------------------------
