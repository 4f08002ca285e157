"""/api/registers/: parts, materials and suppliers for programs, with the pages' rules and
messages. Input is validated by the pages' own forms (a bad field answers 422 with the
message the form shows); codes are given at creation and never change, and neither do the
values a code is built from."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import INVALID, Input, PageIn, answers
from tracecode.core.errors import ApiError
from tracecode.core.refusals import on_form

from . import classes, coding, labels, prices, services
from .forms import FilterForm, MaterialForm, PartForm, SupplierContactFormSet, SupplierForm
from .models import Material, MaterialClass, Part, Supplier, keeps_registers
from .views import history_rows

router = Router(tags=["registers"])

Loose = str | int | float | bool | None  # checked by the form, with the form's messages


# Shapes ------------------------------------------------------------------------------------


class RecordOut(Schema):
    code: str
    code_values: dict
    notes: str
    active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    url: str


class RegisterPartOut(RecordOut):
    customer: str
    customer_part_number: str
    name: str
    category: str
    type: str
    drawing_revision: str
    material: str | None = Field(description="code of the material in the register")
    material_spec: str = Field(description="the material as the drawing names it")
    process: str
    unit: str
    hs_code: str = Field(description="digits only: 84819000")
    hs_code_display: str = Field(description="as documents print it: 8481.90.00")
    origin: str = Field(description="country of origin, ISO 3166-1 alpha-2")


class MaterialOut(RecordOut):
    material_class: str
    subclass: str
    name: str
    full_name: str = Field(description="kept beside the code: subclass name - material name")
    specification: str
    manufacturer: str
    unit: str


class SupplierContactOut(Schema):
    name: str
    job_title: str = ""
    phone: str = ""
    email: str = ""
    wechat: str = ""


class SupplierContactIn(Input):
    name: str = ""  # checked by the form, with its message
    job_title: str = ""
    phone: str = ""
    email: str = ""
    wechat: str = ""


class SupplierOut(RecordOut):
    name: str
    country: str
    region: str
    address: str
    phone: str
    email: str
    website: str
    materials: list[str] = Field(description="codes of the materials it supplies")
    subclasses: list[str] = Field(description="subclasses it supplies (04.01 drilling …)")
    contacts: list[SupplierContactOut]


class Page(Schema):
    count: int


class PartPage(Page):
    items: list[RegisterPartOut]


class MaterialPage(Page):
    items: list[MaterialOut]


class SupplierPage(Page):
    items: list[SupplierOut]


class PriceOut(Schema):
    kind: str = Field(description="quoted or ordered")
    date: datetime.date
    code: str = Field(description="the quotation's or order's code")
    url: str
    currency: str
    quantity: Decimal = Field(description="the quantity tier")
    unit: str
    unit_price: Decimal
    state: str


class RegisterChangeOut(Schema):
    at: datetime.datetime
    by: str
    created: bool
    field: str
    old: str
    new: str


class SubclassOut(Schema):
    value: str
    label: str
    label_zh: str


class ClassOut(Schema):
    code: str
    name: str
    name_zh: str
    subclasses: list[SubclassOut]


class RecordIn(Input):
    notes: str | None = None
    active: Loose = None
    code_values: dict[str, str] = Field(
        default_factory=dict, description="other fields the coding scheme asks for (creation)"
    )
    code: str | None = Field(None, description="never accepted: codes are given, not typed")
    version: Loose = Field(None, description="the version you read (PATCH); a stale one: 409")


class PartIn(RecordIn):
    customer: str | None = Field(None, description="customer code (creation only)")
    customer_part_number: str | None = None
    name: str | None = None
    category: str | None = Field(None, description="part of the code (creation only)")
    type: str | None = Field(None, description="part of the code (creation only)")
    drawing_revision: str | None = None
    material: str | None = Field(None, description="material code")
    material_spec: str | None = None
    process: str | None = None
    unit: str | None = None
    hs_code: str | None = None
    origin: str | None = None


class MaterialIn(RecordIn):
    material_class: str | None = Field(None, description="01 … 10 (creation only)")
    subclass: str | None = Field(None, description="01.01, or 01 within its class (creation)")
    name: str | None = None
    specification: str | None = None
    manufacturer: str | None = None
    unit: str | None = None


class SupplierIn(RecordIn):
    name: str | None = None
    country: str | None = None
    region: str | None = Field(None, description="part of the code (creation only)")
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    materials: list[str] | None = Field(None, description="material codes")
    subclasses: list[str] | None = None
    contacts: list[SupplierContactIn] | None = Field(None, description="replaces the contacts")


class Filters(Schema):
    q: str | None = None
    active: str | None = Field(None, description="empty: in use; inactive; all")


class PartFilters(Filters):
    customer: str | None = Field(None, description="customer code")


class MaterialFilters(Filters):
    material_class: str | None = None
    subclass: str | None = None


class SupplierFilters(Filters):
    material: str | None = Field(None, description="suppliers of this material code")
    subclass: str | None = Field(None, description="a subclass (04.01) or class (04)")


# Records as JSON ---------------------------------------------------------------------------


def _record_dict(record) -> dict:
    return {
        "code": record.code,
        "code_values": record.code_values or {},
        "notes": record.notes,
        "active": record.active,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "version": record.version,
        "url": record.get_absolute_url(),
    }


def part_dict(part: Part) -> dict:
    return {
        **_record_dict(part),
        "customer": part.customer.code,
        "customer_part_number": part.customer_part_number,
        "name": part.name,
        "category": part.category,
        "type": part.part_type,
        "drawing_revision": part.drawing_revision,
        "material": part.material.code if part.material else None,
        "material_spec": part.material_spec,
        "process": part.process,
        "unit": part.unit,
        "hs_code": part.hs_code,
        "hs_code_display": part.hs_code_display,
        "origin": part.origin,
    }


def material_dict(material: Material) -> dict:
    return {
        **_record_dict(material),
        "material_class": material.material_class,
        "subclass": material.subclass,
        "name": material.name,
        "full_name": labels.full_name(material),
        "specification": material.specification,
        "manufacturer": material.manufacturer,
        "unit": material.unit,
    }


def supplier_dict(supplier: Supplier) -> dict:
    return {
        **_record_dict(supplier),
        "name": supplier.name,
        "country": supplier.country,
        "region": supplier.region,
        "address": supplier.address,
        "phone": supplier.phone,
        "email": supplier.email,
        "website": supplier.website,
        "materials": [m.code for m in supplier.materials.all()],
        "subclasses": list(supplier.subclasses or []),
        "contacts": [
            {k: getattr(c, k) for k in services.CONTACT_FIELDS} for c in supplier.contacts.all()
        ],
    }


DICTS = {Part: part_dict, Material: material_dict, Supplier: supplier_dict}
FORMS = {Part: PartForm, Material: MaterialForm, Supplier: SupplierForm}
RENAMES = {"part_type": "type"}  # form field → API field


# Input -------------------------------------------------------------------------------------


def _errors(form) -> dict[str, list[str]]:
    fields = {}
    for name, errors in form.errors.get_json_data().items():
        key = RENAMES.get(name, name)
        if key.startswith("code_"):
            key = "code_values." + key.removeprefix("code_")
        fields[key] = [e["message"] for e in errors]
    return fields


def _refuse_code(payload, record=None) -> None:
    if payload.code is not None and (record is None or payload.code != record.code):
        raise ApiError(
            422,
            "validation_error",
            INVALID,
            {"code": ["A code is given by the system once and never changes."]},
        )


def _current(form) -> dict:
    """A record's saved values as its form reads them: the start of a partial update."""
    data = {}
    for name in form.fields:
        if name == "version":
            continue
        value = getattr(form.instance, name, None)
        if hasattr(value, "all"):
            value = [m.code for m in value.all()]
        elif hasattr(value, "pk"):
            value = getattr(value, "code", value.pk)
        data[name] = "" if value is None else value
    return data


def _data(payload, exclude=()) -> dict:
    data = payload.dict(exclude_unset=True, exclude={"code", "code_values", "contacts", *exclude})
    if "type" in data:
        data["part_type"] = data.pop("type")
    if data.get("active") is False:
        data["active"] = ""  # a checkbox left unticked
    for name, value in payload.code_values.items():
        data[f"code_{name}"] = value
    return data


def _contacts(payload) -> list[dict] | None:
    if payload.contacts is None:
        return None
    rows = [c.dict() for c in payload.contacts]
    data = {"contacts-TOTAL_FORMS": str(len(rows)), "contacts-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"contacts-{i}-{key}"] = value or ""
    formset = SupplierContactFormSet(data, prefix="contacts")
    if not formset.is_valid():
        fields = {
            f"contacts.{i}.{name}": messages
            for i, errors in enumerate(formset.errors)
            for name, messages in errors.items()
        }
        raise ApiError(422, "validation_error", INVALID, fields)
    return formset.rows()


def _save(request, model, payload, record=None):
    """Create or update a record through its form and the services; the API's errors."""
    _refuse_code(payload, record)
    form_class = FORMS[model]
    if record is None:
        probe = form_class(instance=model(), user=request.user)  # its defaults: pcs, in use …
        defaults = {k: v for k, v in probe.initial.items() if k in probe.fields and v != ""}
        defaults = {k: v for k, v in defaults.items() if v is not None}
        form = form_class({**defaults, **_data(payload)}, user=request.user)
    else:
        probe = form_class(instance=record, user=request.user)
        frozen = {
            name: value
            for name, value in _data(payload, exclude=("customer",)).items()
            if name in probe.fields and probe.fields[name].disabled
            and str(value) != str(_current(probe).get(name, ""))
        }  # fmt: skip
        if frozen:
            message = f"Part of the code {record.code}: given once, never changed."
            raise ApiError(422, "validation_error", INVALID,
                           {RENAMES.get(n, n): [message] for n in frozen})  # fmt: skip
        data = {**_current(probe), **_data(payload, exclude=("customer",))}
        if payload.version is None:
            message = "Send the version you read (optimistic locking)."
            raise ApiError(422, "validation_error", INVALID, {"version": [message]})
        form = form_class(data, instance=record, user=request.user)
    if not form.is_valid():
        raise ApiError(422, "validation_error", INVALID, _errors(form))
    contacts = _contacts(payload) if model is Supplier else None
    extra = {}
    if model is Supplier:
        extra["materials"] = form.cleaned_data.get("materials") or []
        if contacts is not None or record is None:
            extra["contacts"] = contacts or []
    with on_form(form):
        if record is None:
            create = {Part: services.create_part, Material: services.create_material,
                      Supplier: services.create_supplier}[model]  # fmt: skip
            create(form.instance, user=request.user, **extra)
        else:
            update = {Part: services.update_part, Material: services.update_material,
                      Supplier: services.update_supplier}[model]  # fmt: skip
            update(
                form.instance,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                fields=form.model_fields(),
                **extra,
            )
    return form.instance


def _list(request, model, filters, page: PageIn) -> dict:
    kind = {Part: "part", Material: "material", Supplier: "supplier"}[model]
    form = FilterForm({k: v for k, v in filters.dict().items() if v is not None}, kind=kind)
    if not form.is_valid():
        raise ApiError(422, "validation_error", INVALID, _errors(form))
    records = services.filter_records(model, request.user, form.cleaned_data)
    return {
        "items": [DICTS[model](r) for r in records[page.offset : page.offset + page.limit]],
        "count": records.count(),
    }


# Parts -------------------------------------------------------------------------------------


def _part(request, code, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    return lookup(Part.objects.select_related("customer", "material"), request.user, code=code)


@router.get("/parts", response=answers(PartPage, 422), summary="Parts of the customers you may see")
def list_parts(
    request,
    filters: Query[PartFilters],
    page: Query[PageIn],
):
    return _list(request, Part, filters, page)


@router.post(
    "/parts",
    response=answers({201: RegisterPartOut}, 400, 403, 422),
    summary="Register a customer's part",
)
def create_part(request, payload: PartIn):
    if not request.user.can_write:
        raise PermissionDenied
    return Status(201, part_dict(_save(request, Part, payload)))


@router.get(
    "/parts/{code}", response=answers(RegisterPartOut, 404, 422), summary="One part by code"
)
def get_part(request, code: str):
    return part_dict(_part(request, code))


@router.patch(
    "/parts/{code}",
    response=answers(RegisterPartOut, 400, 403, 404, 409, 422),
    summary="Change a part (with version)",
)
def update_part(request, code: str, payload: PartIn):
    part = _part(request, code, edit=True)
    if payload.customer is not None and payload.customer != part.customer.code:
        raise ApiError(422, "validation_error", INVALID,
                       {"customer": ["A part never moves to another customer."]})  # fmt: skip
    _save(request, Part, payload, part)
    return part_dict(_part(request, code))


@router.get(
    "/parts/{code}/prices",
    response=answers(list[PriceOut], 404, 422),
    summary="Its quoted and ordered prices",
)
def part_prices(request, code: str):
    return [p.as_dict() for p in prices.history(_part(request, code), request.user)]


@router.get(
    "/parts/{code}/history",
    response=answers(list[RegisterChangeOut], 404, 422),
    summary="Every change",
)
def part_history(request, code: str):
    return history_rows(_part(request, code), request.user)


# Materials ---------------------------------------------------------------------------------


def _material(request, code, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    return lookup(Material.objects, request.user, code=code)


def _keeper(request) -> None:
    if not keeps_registers(request.user):
        raise ApiError(403, "forbidden", "Only users who keep the registers change them.")


@router.get(
    "/materials", response=answers(MaterialPage, 422), summary="Materials (every member of staff)"
)
def list_materials(
    request,
    filters: Query[MaterialFilters],
    page: Query[PageIn],
):
    return _list(request, Material, filters, page)


@router.get(
    "/materials/classes", response=answers(list[ClassOut]), summary="Classes and their subclasses"
)
def material_classes(request):
    classes.ensure()
    table = coding.scheme("material").tables.get("subclass") or {}
    return [
        {
            "code": cls.code,
            "name": cls.name,
            "name_zh": cls.name_zh,
            "subclasses": [
                {"value": value, "label": entry.label, "label_zh": entry.label_zh}
                for value, entry in table.items()
                if services.belongs(value, cls.code)
            ],
        }
        for cls in MaterialClass.objects.all()
    ]


@router.post(
    "/materials", response=answers({201: MaterialOut}, 400, 403, 422), summary="Register a material"
)
def create_material(request, payload: MaterialIn):
    _keeper(request)
    return Status(201, material_dict(_save(request, Material, payload)))


@router.get(
    "/materials/{code}", response=answers(MaterialOut, 404, 422), summary="One material by code"
)
def get_material(request, code: str):
    return material_dict(_material(request, code))


@router.patch(
    "/materials/{code}",
    response=answers(MaterialOut, 400, 403, 404, 409, 422),
    summary="Change a material",
)
def update_material(request, code: str, payload: MaterialIn):
    material = _material(request, code, edit=True)
    _save(request, Material, payload, material)
    return material_dict(_material(request, code))


@router.get(
    "/materials/{code}/history",
    response=answers(list[RegisterChangeOut], 404, 422),
    summary="Every change",
)
def material_history(request, code: str):
    return history_rows(_material(request, code), request.user)


# Suppliers ---------------------------------------------------------------------------------


def _supplier(request, code, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    queryset = Supplier.objects.prefetch_related("materials", "contacts")
    return lookup(queryset, request.user, code=code)


@router.get(
    "/suppliers", response=answers(SupplierPage, 422), summary="Suppliers (every member of staff)"
)
def list_suppliers(
    request,
    filters: Query[SupplierFilters],
    page: Query[PageIn],
):
    return _list(request, Supplier, filters, page)


@router.post(
    "/suppliers", response=answers({201: SupplierOut}, 400, 403, 422), summary="Register a supplier"
)
def create_supplier(request, payload: SupplierIn):
    _keeper(request)
    return Status(201, supplier_dict(_save(request, Supplier, payload)))


@router.get(
    "/suppliers/{code}", response=answers(SupplierOut, 404, 422), summary="One supplier by code"
)
def get_supplier(request, code: str):
    return supplier_dict(_supplier(request, code))


@router.patch(
    "/suppliers/{code}",
    response=answers(SupplierOut, 400, 403, 404, 409, 422),
    summary="Change a supplier",
)
def update_supplier(request, code: str, payload: SupplierIn):
    supplier = _supplier(request, code, edit=True)
    _save(request, Supplier, payload, supplier)
    return supplier_dict(_supplier(request, code))


@router.get(
    "/suppliers/{code}/history",
    response=answers(list[RegisterChangeOut], 404, 422),
    summary="Every change",
)
def supplier_history(request, code: str):
    return history_rows(_supplier(request, code), request.user)
