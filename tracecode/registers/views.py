"""The register pages: lists with filters and export, a page per record, its form.

Views stay thin: they check visibility, validate with the forms and call services.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.codes.services import CodingError
from tracecode.core.concurrency import StaleEdit
from tracecode.core.refusals import show_on_form, stale_edit
from tracecode.customers.models import Customer

from . import classes as material_classes
from . import history, labels, prices, services
from .forms import FilterForm, MaterialForm, PartForm, SupplierForm, contact_formset
from .models import Material, MaterialClass, Part, Supplier, keeps_registers

KINDS = {"part": Part, "material": Material, "supplier": Supplier}
FORMS = {Part: PartForm, Material: MaterialForm, Supplier: SupplierForm}


def _kind(model) -> str:
    return {v: k for k, v in KINDS.items()}[model]


def _may_create(user, model) -> bool:
    if model is Part:
        return Customer.objects.editable_by(user).exists()
    return keeps_registers(user)


def history_rows(record, user) -> list[dict]:
    model = type(record)
    return [
        {
            "at": change.changed_at,
            "by": (change.changed_by.get_full_name() or change.changed_by.username)
            if change.changed_by
            else "",
            "created": change.action == change.Action.CREATED,
            "imported": change.action == change.Action.IMPORTED,
            "field": history.label(model, change.field),
            "old": history.display(model, change.field, change.old_value),
            "new": history.display(model, change.field, change.new_value),
        }
        for change in services.history_of(record, user)
    ]


# Lists -------------------------------------------------------------------------------------


def _list(request, model):
    kind = _kind(model)
    form = FilterForm(request.GET or None, kind=kind)
    data = form.cleaned_data if form.is_valid() else {}
    records = services.filter_records(model, request.user, data)
    if (fmt := request.GET.get("export")) in ("xlsx", "csv"):  # the earlier export address
        query = request.GET.copy()
        query.pop("export")
        url = reverse("imports:export", args=[f"{kind}s", fmt])
        return redirect(f"{url}?{query.urlencode()}" if query else url)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "kind": kind,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": _may_create(request.user, model),
    }
    return render(request, f"registers/{kind}_list.html", context)


@login_required
def part_list(request):
    return _list(request, Part)


@login_required
def material_list(request):
    return _list(request, Material)


@login_required
def supplier_list(request):
    return _list(request, Supplier)


# Forms -------------------------------------------------------------------------------------


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if allowed else ""


def _save(request, form, contacts=None):
    """Create or update through the services; False (and the form showing why) if refused."""
    record = form.instance
    extra = {}
    if isinstance(record, Supplier):
        extra["materials"] = form.cleaned_data.get("materials") or []
        if contacts is not None:
            extra["contacts"] = contacts.rows()
    create = {Part: services.create_part, Material: services.create_material,
              Supplier: services.create_supplier}[type(record)]  # fmt: skip
    update = {Part: services.update_part, Material: services.update_material,
              Supplier: services.update_supplier}[type(record)]  # fmt: skip
    try:
        if form.creating:
            create(record, user=request.user, **extra)
        else:
            update(
                record,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                fields=form.model_fields(),
                **extra,
            )
    except (CodingError, ValidationError) as error:
        show_on_form(form, error)
        return False
    return True


def _form(request, model, record=None):
    kind = _kind(model)
    form_class = FORMS[model]
    initial = {}
    if record is None and model is Part:
        initial = {
            "customer": request.GET.get("customer", ""),
            "customer_part_number": request.GET.get("number", ""),
            "name": request.GET.get("name", ""),
        }
    form = form_class(request.POST or None, instance=record, initial=initial, user=request.user)
    contacts = None
    if model is Supplier:
        contacts = contact_formset(record or Supplier(), request.POST if request.POST else None)
    conflict = None
    if request.method == "POST" and form.is_valid() and (contacts is None or contacts.is_valid()):
        try:
            saved = _save(request, form, contacts)
        except StaleEdit as error:
            conflict = stale_edit(form, error)
        else:
            if saved:
                messages.success(
                    request,
                    _("%(code)s saved.") % {"code": form.instance.code},
                )
                return redirect(_next_url(request) or form.instance.get_absolute_url())
    context = {
        "kind": kind,
        "form": form,
        "contacts": contacts,
        "record": record,
        "conflict": conflict,
        "next": _next_url(request),
    }
    return render(request, "registers/form.html", context)


@login_required
def part_create(request):
    if not _may_create(request.user, Part):
        raise PermissionDenied
    return _form(request, Part)


@login_required
def part_edit(request, code: str):
    return _form(request, Part, editable_or_404(Part.objects, request.user, code=code))


@login_required
def material_create(request):
    if not keeps_registers(request.user):
        raise PermissionDenied
    return _form(request, Material)


@login_required
def material_edit(request, code: str):
    return _form(request, Material, editable_or_404(Material.objects, request.user, code=code))


@login_required
def supplier_create(request):
    if not keeps_registers(request.user):
        raise PermissionDenied
    return _form(request, Supplier)


@login_required
def supplier_edit(request, code: str):
    return _form(request, Supplier, editable_or_404(Supplier.objects, request.user, code=code))


# Pages -------------------------------------------------------------------------------------


def _page(request, record, template, **context):
    user = request.user
    context.update(
        record=record,
        kind=_kind(type(record)),
        can_edit=type(record).objects.editable_by(user).filter(pk=record.pk).exists(),
        uses=services.uses(record.code, user),
        changes=history_rows(record, user),
    )
    return render(request, template, context)


@login_required
def part_detail(request, code: str):
    part = visible_or_404(
        Part.objects.select_related("customer", "material"), request.user, code=code
    )
    points = prices.history(part, request.user)
    return _page(
        request,
        part,
        "registers/part_detail.html",
        part=part,
        prices=points,
        last_paid=prices.last_paid(points),
    )


@login_required
def material_detail(request, code: str):
    material = visible_or_404(Material.objects, request.user, code=code)
    return _page(
        request,
        material,
        "registers/material_detail.html",
        material=material,
        full_name=labels.full_name(material),
        class_text=labels.class_text(material.material_class),
        subclass_label=labels.subclass_label(material.subclass),
        suppliers=material.suppliers.all(),
        parts=Part.objects.visible_to(request.user)
        .filter(material=material)
        .select_related("customer"),
    )


@login_required
def supplier_detail(request, code: str):
    supplier = visible_or_404(Supplier.objects, request.user, code=code)
    return _page(
        request,
        supplier,
        "registers/supplier_detail.html",
        supplier=supplier,
        contacts=supplier.contacts.all(),
        materials=supplier.materials.all(),
        supplies=[(s, labels.subclass_label(s)) for s in supplier.subclasses or []],
    )


@login_required
def part_prices(request):
    """What a customer was quoted and paid for a part: the panel beside a quotation's lines
    (htmx), for the part picked in any line (`…-part=01-04-001`) or `?part=`."""
    code = next(
        (v for k, v in request.GET.items() if (k == "part" or k.endswith("-part")) and v), ""
    )
    part = Part.objects.visible_to(request.user).filter(code=code).first() if code else None
    return render(request, "registers/_prices.html", price_context(part, request.user))


def price_context(part, user) -> dict:
    points = prices.history(part, user) if part is not None else []
    return {
        "part": part,
        "prices": points[:8],
        "more": max(0, len(points) - 8),
        "last_paid": prices.last_paid(points),
        "last_quoted": prices.last_quoted(points),
    }


@login_required
def classes(request):
    """The material classes and their subclasses; administrators add subclasses here."""
    if request.method == "POST":
        if not request.user.is_administrator:
            raise PermissionDenied
        data = request.POST
        try:
            value = services.add_subclass(
                data.get("material_class", ""),
                data.get("number", ""),
                data.get("label", ""),
                data.get("label_zh", ""),
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Subclass %(value)s added.") % {"value": value})
            return redirect("registers:classes")
    material_classes.ensure()
    subclasses = services.subclasses()
    rows = [
        {
            "class": cls,
            "subclasses": [(v, label) for v, label in subclasses if services.belongs(v, cls.code)],
            "count": Material.objects.filter(material_class=cls.code).count(),
        }
        for cls in MaterialClass.objects.all()
    ]
    return render(
        request, "registers/classes.html", {"rows": rows, "kind": "material", "post": request.POST}
    )
