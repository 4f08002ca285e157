"""Projects, quotations and orders (each with its lines), payments and complaints as sheets,
saved through the sales app's forms and services."""

import copy
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.codes import registry as codes_registry
from tracecode.core.trade import CURRENCIES, INCOTERMS, UNITS
from tracecode.sales import lists, services, workflow
from tracecode.sales.forms import (
    OrderFilterForm,
    OrderForm,
    OrderLineFormSet,
    PaymentForm,
    ProjectFilterForm,
    ProjectForm,
    QuotationForm,
    QuotationLineFormSet,
    formset_data,
)
from tracecode.sales.models import (
    Complaint,
    Order,
    OrderState,
    Payment,
    Project,
    Quotation,
)

from ..engine import Problem, Row, RowFailed, Saved
from ..sheets import Column, Lines
from .base import (
    Chunk,
    Kind,
    built_form,
    by_code,
    fill,
    given_fields,
    jsonable,
    model_fields,
    new_values,
    rebound,
    remember_choices,
    remember_named,
    snapshot,
    valid,
)
from .customers import choices_of, code_column, label_of


def _code(record) -> str:
    return record.code if record is not None else ""


def _values(pairs):
    return lambda: list(pairs)


NO_PROJECT = gettext_lazy("No project %(code)s that you may change.")
NO_ORDER = gettext_lazy("No order %(code)s that you may change.")
STAYS = gettext_lazy("%(code)s belongs to %(parent)s; it stays there.")
REF_HELP = gettext_lazy(
    "Only for a new record without a code: any word, named again in the lines sheet to say "
    "which lines are its. Not saved."
)


def ref_column():
    return Column("ref", gettext_lazy("Ref"), "folded", field=None, get=lambda r: "",
                  help=REF_HELP)  # fmt: skip


def lines_formset(formset_class, context=None):
    """The page's line formset whose forms leave the check constraints on the fields they
    clean themselves by the same rule (quantity > 0, price ≥ 0: `clean_quantity` …) to those
    methods and the database: Django checks each constraint with a query, two per line.

    With an import's `context`, a line's form is built once per customer (whose parts it
    offers) and bound again to each line (`base.rebound`), as a new record's form is."""
    form_class = formset_class.form
    model = form_class._meta.model
    cleaned = frozenset(
        name
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckConstraint)
        and all(
            hasattr(form_class, f"clean_{n}") for n in constraint.condition.referenced_base_fields
        )
        for name in constraint.condition.referenced_base_fields
    )

    class LineForm(form_class):
        def validate_constraints(self):
            try:
                self.instance.validate_constraints(
                    exclude=self._get_validation_exclusions() | cleaned
                )
            except ValidationError as error:
                self._update_errors(error)

    def _construct_form(self, i, **kwargs):
        if context is None:
            return formset_class._construct_form(self, i, **kwargs)
        customer = self.form_kwargs.get("customer")
        key = (getattr(customer, "pk", None), self.prefix)

        def build():
            form = formset_class._construct_form(self, i, **kwargs)
            remember_choices(form)
            return form, copy.copy(form.instance)

        built, record = built_form(context, formset_class, key, build)
        return rebound(built, record, self.data, prefix=self.add_prefix(i))

    return type(
        formset_class.__name__,
        (formset_class,),
        {"form": LineForm, "_construct_form": _construct_form},
    )


def checked_lines(formset_class, row: Row, kind, customer, context=None) -> list[dict]:
    """The row's lines checked by the page's formset; a bad line fails on its own row."""
    if context is not None:
        formset_class = context.remembered(
            ("lines", formset_class), lambda: lines_formset(formset_class, context)
        )
    data = []
    columns = {c.key: c for c in kind.lines.columns}
    # A new line's defaults are the same whoever the customer (its parts are offered, none
    # chosen): found once per import, not once per customer.
    defaults = new_values(formset_class.form, context)
    for line in row.lines:
        given = {columns[k].form_field: v for k, v in line.values.items()
                 if k in columns and columns[k].form_field}  # fmt: skip
        # an empty cell takes the page's default (the unit: pcs), as an untouched field does
        given = {k: v for k, v in given.items() if v not in ("", None) or not defaults.get(k)}
        data.append({**defaults, **given})
    formset = formset_class(formset_data(data), prefix="lines", form_kwargs={"customer": customer})
    if formset.is_valid():
        return formset.lines()
    problems: list[Problem] = []
    for line, errors in zip(row.lines, formset.errors, strict=False):
        for name, messages in errors.items():
            key = next((c.key for c in kind.lines.columns if c.form_field == name), "")
            problems.extend(line.problem(key, message) for message in messages)
    problems.extend(row.problem("", m) for m in formset.non_form_errors())
    raise RowFailed(problems or [row.problem("", _("Invalid input."))])


def comparable_lines(lines, fields) -> list[tuple]:
    """Lines as compared: the part by its code, numbers without trailing zeros."""
    result = []
    for line in lines:
        values = []
        for name in fields:
            value = line.get(name) if isinstance(line, dict) else getattr(line, name)
            if name == "part":
                value = getattr(value, "code", value) or None
            elif isinstance(value, Decimal):
                value = value.normalize()
            elif value == "":
                value = None
            values.append(value)
        result.append(tuple(values))
    return result


def _project_form(user):
    class ImportProjectForm(ProjectForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, user=user, **kwargs)
            if "customer" in self.fields:
                self.fields["customer"].error_messages["invalid_choice"] = _(
                    "No customer %(value)s that you may change."
                )

    return ImportProjectForm


class Projects(Kind):
    name = "projects"
    label = gettext_lazy("Projects")
    position = 40
    model = Project
    scheme = "project"
    filter_form = ProjectFilterForm
    help = gettext_lazy("Enquiries, one a row, named by customer code (RK888-6).")

    @property
    def columns(self) -> list[Column]:
        return [
            code_column(),
            Column("customer", gettext_lazy("Customer"), "code", required=True,
                   get=lambda p: p.customer.code, example="RK888",
                   help=gettext_lazy("The customer's code.")),
            Column("name", label_of(Project, "name"), required=True, example="SP1003",
                   help=gettext_lazy("The customer's part or product name; empty: the part's.")),
            Column("part", label_of(Project, "part"), "code", get=lambda p: _code(p.part),
                   help=gettext_lazy("The part's code in the register.")),
            Column("received_on", label_of(Project, "received_on"), "date"),
            Column("channel", label_of(Project, "channel"), "choice",
                   choices=choices_of(Project.Channel)),
            Column("request", label_of(Project, "request"), width=30),
            Column("target_quantity", label_of(Project, "target_quantity"), "decimal"),
            Column("quantity_unit", label_of(Project, "quantity_unit"), "choice",
                   choices=_values(UNITS), shows_value=True),
            Column("target_price", label_of(Project, "target_price"), "decimal"),
            Column("currency", label_of(Project, "currency"), "choice",
                   choices=_values(CURRENCIES), shows_value=True),
            Column("status", label_of(Project, "status"), "choice",
                   choices=choices_of(Project.Status)),
            Column("lost_reason", label_of(Project, "lost_reason")),
        ]  # fmt: skip

    def filtered(self, user, data: dict):
        return lists.filter_projects(user, data)

    def for_export(self, records):
        return records.select_related("customer", "part")

    def not_yours(self, code: str) -> str:
        return _("No project %(code)s among those you may change.") % {"code": code}

    def save_restored(self, record, fields, change, user) -> None:
        services.save_project(record, version=record.version, fields=fields)

    def save_row(self, row: Row, context) -> Saved:
        project = self.find(row, context.user)
        if project is None:
            return self._create(row, *self._new(row, context), context)
        return self._update(row, project, context)

    def save_rows(self, rows: list[Row], context) -> list[Saved]:
        """The chunk's new projects checked row by row as save_row checks them, then written
        together (services.create_projects: codes given in row order, one INSERT per table);
        one won or lost is saved on its own (its move is the workflow's, one project at a
        time), the other rows as `save_together` says."""

        def new(row):
            customer, values, move = self._new(row, context)
            if move is not None:
                return Chunk.Alone(lambda: self._create(row, customer, values, move, context))
            return Project(customer=customer, **values)

        return self.save_together(rows, context, new, lambda made: self._write(made, context))

    def _write(self, projects: list[Project], context) -> list[Saved]:
        services.create_projects(projects, user=context.user)
        return [self._saved_new(project) for project in projects]

    def _new(self, row: Row, context) -> tuple:
        """The row's new project checked by the project form, not saved yet: its customer,
        values and the move that wins or loses it (None: it stays new)."""
        form_class = context.remembered("project form", lambda: _project_form(context.user))
        # A project is won or lost by its moves (the workflow), never by typing the status;
        # the stages between (quoting, sampling …) follow its quotations and orders.
        status = row.get("status")
        move = {Project.Status.WON: "win", Project.Status.LOST: "lose"}.get(status)
        if status and status != Project.Status.NEW and move is None:
            row.fail("status", _("A project reaches this status by its quotations and "
                                 "orders; import it as new, won or lost."))  # fmt: skip
        form = valid(fill(form_class, row, row.columns.values(), context=context), row, self)
        values = {k: v for k, v in form.cleaned_data.items() if k != "customer"}
        if row.get("code"):
            values["code"] = row.get("code")
        return form.cleaned_data["customer"], values, move

    def _create(self, row: Row, customer, values: dict, move: str | None, context) -> Saved:
        user = context.user
        project = services.create_project(customer, user=user, **values)
        if move is not None:
            try:
                project = services.transition(
                    project, move, user=user, data={"lost_reason": row.get("lost_reason")}
                )
            except (workflow.IllegalTransition, ValidationError) as error:
                row.fail("status", " ".join(getattr(error, "messages", [str(error)])))
        return self._saved_new(project)

    def _saved_new(self, project) -> Saved:
        return Saved("new", project, {"kind": self.name, "action": "new", "pk": project.pk,
                                       "code": project.code})  # fmt: skip

    def _update(self, row: Row, project, context) -> Saved:
        user = context.user
        form_class = context.remembered("project form", lambda: _project_form(user))
        columns = row.columns.values()
        customer = row.get("customer")
        if customer and project.customer.code not in codes_registry.spellings(customer):
            row.fail("customer", STAYS % {"code": project.code, "parent": project.customer.code})
        candidates = model_fields(Project, [c.form_field for c in columns if c.form_field])
        before = snapshot(project, candidates)
        version = project.version
        form = valid(fill(form_class, row, columns, instance=project), row, self)
        project = form.save(commit=False)
        fields = model_fields(Project, given_fields(row, columns, form))
        changed = [f for f in fields if before[f] != snapshot(project, [f])[f]]
        if not changed:
            return Saved("unchanged", project)
        services.save_project(project, version=version, fields=changed)
        return Saved(
            "updated",
            project,
            {
                "kind": self.name,
                "action": "updated",
                "pk": project.pk,
                "code": project.code,
                "version": project.version,
                "before": {f: jsonable(before[f]) for f in changed},
            },
        )


class WithLines(Kind):
    """A record with lines on a second sheet: quotations and orders."""

    form_class = None
    formset_class = None
    line_fields: list[str] = []

    def current_lines(self, record) -> list:
        return list(record.lines.select_related("part"))

    def lines_before(self, change: dict) -> list[dict] | None:
        """The lines as they were before an import replaced them, parts by code."""
        from tracecode.registers.models import Part

        if change.get("lines") is None:
            return None
        rows = []
        for values in change["lines"]:
            row = dict(zip(self.line_fields, values, strict=True))
            row["part"] = Part.objects.filter(code=row["part"]).first() if row["part"] else None
            rows.append({k: ("" if v is None and k not in ("part", "cartons", "net_weight",
                                                          "gross_weight") else v)
                         for k, v in row.items()})  # fmt: skip
        return rows

    def lines_changed(self, record, lines: list[dict]) -> bool:
        fields = self.line_fields
        return comparable_lines(self.current_lines(record), fields) != comparable_lines(
            lines, fields
        )


def line_columns(text_field: str, order: bool) -> list[Column]:
    from tracecode.sales.models import OrderLine, QuotationLine

    model = OrderLine if order else QuotationLine
    columns = [
        Column("part", label_of(model, "part"), "code", get=lambda li: _code(li.part),
               help=gettext_lazy("The part's code in the register; the text follows it when "
                                 "empty.")),
        Column(text_field, label_of(model, text_field), required=True, width=20),
        Column("specification", label_of(model, "specification"), width=30),
        Column("quantity", label_of(model, "quantity"), "decimal", required=True),
        Column("unit", label_of(model, "unit"), "choice", choices=_values(UNITS),
               shows_value=True),
        Column("unit_price", label_of(model, "unit_price"), "decimal", required=True),
    ]  # fmt: skip
    if order:
        columns += [
            Column("cartons", label_of(model, "cartons"), "integer"),
            Column("net_weight", label_of(model, "net_weight"), "decimal"),
            Column("gross_weight", label_of(model, "gross_weight"), "decimal"),
        ]
    return columns


class Quotations(WithLines):
    name = "quotations"
    label = gettext_lazy("Quotations")
    position = 50
    model = Quotation
    scheme = "quotation"
    form_class = QuotationForm
    formset_class = QuotationLineFormSet
    line_fields = ["part", "item", "specification", "quantity", "unit", "unit_price"]
    help = gettext_lazy("Quotations on one sheet and their lines on a second, joined by code.")
    lines = Lines(
        gettext_lazy("Quotation lines"),
        Column("quotation", gettext_lazy("Quotation"), "code", field=None, required=True,
               get=lambda li: li.quotation.code,
               help=gettext_lazy("The quotation's code, or its ref.")),
        [Column("quotation", gettext_lazy("Quotation"), "code", field=None, required=True,
                get=lambda li: li.quotation.code), *line_columns("item", order=False)],
        lambda quotation: quotation.lines.all(),  # prefetched with their parts (for_export)
    )  # fmt: skip

    @property
    def columns(self) -> list[Column]:
        return [
            code_column(),
            ref_column(),
            Column("project", gettext_lazy("Project"), "code", required=True, field=None,
                   get=lambda q: q.project.code, example="RK888-6",
                   help=gettext_lazy("The project's code.")),
            Column("quoted_on", label_of(Quotation, "quoted_on"), "date"),
            Column("valid_until", label_of(Quotation, "valid_until"), "date", required=True),
            Column("currency", label_of(Quotation, "currency"), "choice",
                   choices=_values(CURRENCIES), shows_value=True),
            Column("incoterm", label_of(Quotation, "incoterm"), "choice",
                   choices=_values(INCOTERMS), shows_value=True),
            Column("incoterm_place", label_of(Quotation, "incoterm_place")),
            Column("lead_time", label_of(Quotation, "lead_time")),
            Column("payment_terms", label_of(Quotation, "payment_terms")),
            Column("notes", label_of(Quotation, "notes"), width=24),
            Column("status", label_of(Quotation, "status"), "choice", read_only=True,
                   choices=choices_of(Quotation.Status),
                   help=gettext_lazy("Set by issuing the quotation: not imported.")),
        ]  # fmt: skip

    def filtered(self, user, data: dict):
        quotations = self.visible(user)
        if code := (data.get("customer") or "").strip():
            quotations = quotations.filter(
                project__customer__code__in=codes_registry.spellings(code)
            )
        if code := (data.get("project") or "").strip():
            quotations = quotations.filter(project__code__in=codes_registry.spellings(code))
        return quotations.order_by("project__customer__code", "code")

    def for_export(self, records):
        return records.select_related("project").prefetch_related("lines__part")

    def not_yours(self, code: str) -> str:
        return _("No quotation %(code)s among those you may change.") % {"code": code}

    def save_row(self, row: Row, context) -> Saved:
        user = context.user
        quotation = self.find(row, user)
        columns = row.columns.values()
        if quotation is None:
            project = by_code(Project, row, "project", context, NO_PROJECT)
            lines = checked_lines(self.formset_class, row, self, project.customer, context)
            form = valid(fill(QuotationForm, row, columns, context=context), row, self)
            values = dict(form.cleaned_data)
            if row.get("code"):
                values["code"] = row.get("code")
            quotation = services.create_quotation(project, user=user, values=values, lines=lines)
            return Saved(
                "new",
                quotation,
                {"kind": self.name, "action": "new", "pk": quotation.pk, "code": quotation.code},
            )
        project = row.get("project")
        if project and quotation.project.code not in codes_registry.spellings(project):
            row.fail("project", STAYS % {"code": quotation.code, "parent": quotation.project.code})
        lines = (
            checked_lines(self.formset_class, row, self, quotation.project.customer, context)
            if row.lines
            else None
        )
        candidates = model_fields(Quotation, [c.form_field for c in columns if c.form_field])
        before = snapshot(quotation, candidates)
        version = quotation.version
        form = valid(fill(QuotationForm, row, columns, instance=quotation), row, self)
        quotation = form.save(commit=False)
        fields = model_fields(Quotation, given_fields(row, columns, form))
        changed = [f for f in fields if before[f] != snapshot(quotation, [f])[f]]
        new_lines = lines is not None and self.lines_changed(quotation, lines)
        if not changed and not new_lines:
            return Saved("unchanged", quotation)
        current = comparable_lines(self.current_lines(quotation), self.line_fields)
        services.save_quotation(
            quotation, version=version, fields=changed,
            lines=lines if new_lines else self._as_rows(quotation), user=user,
        )  # fmt: skip
        return Saved(
            "updated",
            quotation,
            {
                "kind": self.name,
                "action": "updated",
                "pk": quotation.pk,
                "code": quotation.code,
                "version": quotation.version,
                "before": {f: jsonable(before[f]) for f in changed},
                "lines": [list(map(jsonable, line)) for line in current] if new_lines else None,
            },
        )

    def save_restored(self, record, fields, change, user) -> None:
        lines = self.lines_before(change)
        services.save_quotation(
            record,
            version=record.version,
            fields=fields,
            lines=lines if lines is not None else self._as_rows(record),
            user=user,
        )

    def _as_rows(self, record) -> list[dict]:
        return [{f: getattr(line, f) for f in self.line_fields} for line in record.lines.all()]


class Orders(WithLines):
    name = "orders"
    label = gettext_lazy("Orders")
    position = 60
    model = Order
    scheme = "order"
    form_class = OrderForm
    formset_class = OrderLineFormSet
    filter_form = OrderFilterForm
    line_fields = ["part", "part_number", "specification", "quantity", "unit", "unit_price",
                   "cartons", "net_weight", "gross_weight"]  # fmt: skip
    help = gettext_lazy(
        "Orders on one sheet and their lines on a second, joined by the order's code (or ref)."
    )
    lines = Lines(
        gettext_lazy("Order lines"),
        Column("order", gettext_lazy("Order"), "code", field=None, required=True,
               get=lambda li: li.order.code),
        [Column("order", gettext_lazy("Order"), "code", field=None, required=True,
                get=lambda li: li.order.code,
                help=gettext_lazy("The order's code, or its ref.")),
         *line_columns("part_number", order=True)],
        lambda order: order.lines.all(),  # prefetched with their parts (for_export)
    )  # fmt: skip

    @property
    def columns(self) -> list[Column]:
        return [
            code_column(),
            ref_column(),
            Column("project", gettext_lazy("Project"), "code", required=True, field=None,
                   get=lambda o: o.project.code, example="RK888-6",
                   help=gettext_lazy("The project's code.")),
            Column("kind", label_of(Order, "kind"), "choice", required=True, field=None,
                   choices=choices_of(Order.Kind)),
            Column("customer_po", label_of(Order, "customer_po")),
            Column("ordered_on", label_of(Order, "ordered_on"), "date"),
            Column("delivery_date", label_of(Order, "delivery_date"), "date", required=True),
            Column("internal_due_date", label_of(Order, "internal_due_date"), "date"),
            Column("currency", label_of(Order, "currency"), "choice",
                   choices=_values(CURRENCIES), shows_value=True),
            Column("incoterm", label_of(Order, "incoterm"), "choice",
                   choices=_values(INCOTERMS), shows_value=True),
            Column("incoterm_place", label_of(Order, "incoterm_place")),
            Column("payment_terms", label_of(Order, "payment_terms")),
            Column("payment_due_on", label_of(Order, "payment_due_on"), "date"),
            Column("packaging_requirements", label_of(Order, "packaging_requirements")),
            Column("inspection_requirements", label_of(Order, "inspection_requirements")),
            Column("process_requirements", label_of(Order, "process_requirements")),
            Column("notes", label_of(Order, "notes"), width=24),
            Column("state", label_of(Order, "state"), "choice", field=None,
                   choices=choices_of(OrderState),
                   help=gettext_lazy("A new order is entered as a draft, or confirmed when this "
                                     "says so; later moves are made in Tracecode.")),
            Column("confirmed_on", label_of(Order, "confirmed_on"), "date", field=None),
            Column("total", label_of(Order, "total"), "decimal", read_only=True,
                   help=gettext_lazy("From the lines: not imported.")),
            Column("paid", label_of(Order, "paid"), "decimal", read_only=True,
                   help=gettext_lazy("From the payments: not imported.")),
        ]  # fmt: skip

    def filtered(self, user, data: dict):
        return lists.filter_orders(user, data)

    def for_export(self, records):
        return records.select_related("project").prefetch_related("lines__part")

    def not_yours(self, code: str) -> str:
        return _("No order %(code)s among those you may change.") % {"code": code}

    def save_restored(self, record, fields, change, user) -> None:
        services.save_order(record, version=record.version, fields=fields,
                            lines=self.lines_before(change), user=user)  # fmt: skip

    def save_row(self, row: Row, context) -> Saved:
        user = context.user
        order = self.find(row, user)
        if order is None:
            return self._create(row, *self._new(row, context), context)
        return self._update(row, order, context)

    def save_rows(self, rows: list[Row], context) -> list[Saved]:
        """The chunk's new draft orders checked row by row as save_row checks them, their
        projects found in one query, then written together with their lines
        (services.create_orders: codes given in row order, one INSERT per table, the sample
        orders' projects moved on together); one entered confirmed is saved on its own (its
        move is the workflow's, one order at a time), the other rows as `save_together`
        says."""
        named_projects = [row.get("project") for row in rows if row.get("project")]
        remember_named(Project, named_projects, context)
        label = Project._meta.label_lower
        projects = {context.records.get((label, code)) for code in named_projects}
        prefetch_related_objects([p for p in projects if p], "customer")  # the lines' parts'

        def new(row):
            project, kind, values, state, lines = checked = self._new(row, context)
            if state == OrderState.CONFIRMED:
                return Chunk.Alone(lambda: self._create(row, *checked, context))
            return services.new_order(project, kind, user=context.user, values=values), lines

        return self.save_together(rows, context, new, lambda made: self._write(made, context))

    def _write(self, made: list[tuple], context) -> list[Saved]:
        """Write new orders together, their history saying they were imported."""
        orders, lines = map(list, zip(*made, strict=True))
        services.create_orders(orders, lines, user=context.user)
        workflow.record_many(orders, "imported", user=context.user, file=context.source)
        return [self._saved_new(order) for order in orders]

    def _new(self, row: Row, context) -> tuple:
        """The row's new order checked by the order form and its lines by the lines' formset:
        its project, kind, values, the state it is entered in and its lines."""
        project = by_code(Project, row, "project", context, NO_PROJECT)
        kind = row.get("kind")
        if kind not in Order.Kind.values:
            row.fail("kind", _("Choose sample, mass or processing."))
        state = row.get("state") or OrderState.DRAFT
        if state not in (OrderState.DRAFT, OrderState.CONFIRMED):
            row.fail("state", _("A new order is entered as a draft or confirmed; move it on in "
                                "Tracecode."))  # fmt: skip
        lines = checked_lines(self.formset_class, row, self, project.customer, context)
        form = valid(
            fill(OrderForm, row, row.columns.values(), kind=kind, context=context), row, self
        )
        values = dict(form.cleaned_data)
        if row.get("code"):
            values["code"] = row.get("code")
        return project, kind, values, state, lines

    def _saved_new(self, order) -> Saved:
        return Saved("new", order, {"kind": self.name, "action": "new", "pk": order.pk,
                                     "code": order.code})  # fmt: skip

    def _create(self, row: Row, project, kind, values, state, lines, context) -> Saved:
        user = context.user
        order = services.create_order(project, kind, user=user, values=values, lines=lines)
        workflow.record(order, "imported", user=user, file=context.source)
        if state == OrderState.CONFIRMED:
            data = {"confirmed_on": row.get("confirmed_on") or values["ordered_on"]}
            try:
                order = services.transition(order, "confirm", user=user, data=data)
            except workflow.IllegalTransition as refused:
                row.fail("state", refused.message)
            except services.FormErrors as error:
                raise RowFailed(
                    [
                        row.problem(
                            "confirmed_on" if "confirmed_on" in error.form.errors else "state", m
                        )
                        for m in error.messages
                    ]
                ) from None
        return self._saved_new(order)

    def _update(self, row: Row, order, context) -> Saved:
        user = context.user
        project = row.get("project")
        if project and order.project.code not in codes_registry.spellings(project):
            row.fail("project", STAYS % {"code": order.code, "parent": order.project.code})
        if row.get("kind") and row.get("kind") != order.kind:
            row.fail("kind", _("The kind is part of the code %(code)s and never changes.")
                     % {"code": order.code})  # fmt: skip
        if row.get("state") and row.get("state") != order.state:
            row.fail(
                "state",
                _(
                    "%(code)s is %(state)s: the status changes by the order's moves "
                    "in Tracecode, not by an import."
                )
                % {"code": order.code, "state": workflow.state_label(order.state)},
            )
        lines = (
            checked_lines(self.formset_class, row, self, order.project.customer, context)
            if row.lines
            else None
        )
        columns = row.columns.values()
        candidates = model_fields(Order, [c.form_field for c in columns if c.form_field])
        before = snapshot(order, candidates)
        version = order.version
        form = valid(fill(OrderForm, row, columns, instance=order), row, self)
        order = form.save(commit=False)
        fields = model_fields(Order, given_fields(row, columns, form))
        changed = [f for f in fields if before[f] != snapshot(order, [f])[f]]
        new_lines = lines is not None and self.lines_changed(order, lines)
        if not changed and not new_lines:
            return Saved("unchanged", order)
        current = comparable_lines(self.current_lines(order), self.line_fields)
        services.save_order(order, version=version, fields=changed,
                            lines=lines if new_lines else None, user=user)  # fmt: skip
        workflow.record(order, "imported", user=user, file=context.source)
        return Saved(
            "updated",
            order,
            {
                "kind": self.name,
                "action": "updated",
                "pk": order.pk,
                "code": order.code,
                "version": order.version,
                "before": {f: jsonable(before[f]) for f in changed},
                "lines": [list(map(jsonable, line)) for line in current] if new_lines else None,
            },
        )


class Payments(Kind):
    name = "payments"
    label = gettext_lazy("Payments")
    position = 70
    model = Payment
    help = gettext_lazy(
        "Money received, one payment a row, named by order code; a payment already recorded "
        "(same order, date, amount and reference) is left alone."
    )

    @property
    def columns(self) -> list[Column]:
        return [
            Column("order", gettext_lazy("Order"), "code", required=True, field=None,
                   get=lambda p: p.order.code, example="RK888-6-M1",
                   help=gettext_lazy("The order's code; the order must be confirmed.")),
            Column("received_on", label_of(Payment, "received_on"), "date", required=True),
            Column("amount", label_of(Payment, "amount"), "decimal", required=True),
            Column("currency", label_of(Order, "currency"), read_only=True,
                   get=lambda p: p.order.currency,
                   help=gettext_lazy("The order's: not imported.")),
            Column("method", label_of(Payment, "method"), "choice",
                   choices=choices_of(Payment.Method)),
            Column("reference", label_of(Payment, "reference")),
            Column("note", label_of(Payment, "note"), width=24),
        ]  # fmt: skip

    def filtered(self, user, data: dict):
        payments = self.visible(user)
        if code := (data.get("customer") or "").strip():
            payments = payments.filter(
                order__project__customer__code__in=codes_registry.spellings(code)
            )
        if code := (data.get("order") or "").strip():
            payments = payments.filter(order__code__in=codes_registry.spellings(code))
        return payments.order_by("order__code", "received_on", "pk")

    def for_export(self, records):
        return records.select_related("order")

    def save_row(self, row: Row, context) -> Saved:
        user = context.user
        order = by_code(Order, row, "order", context, NO_ORDER)
        form = valid(fill(PaymentForm, row, row.columns.values(), context=context), row, self)
        values = form.cleaned_data
        same = Payment.objects.filter(
            order=order,
            received_on=values["received_on"],
            amount=values["amount"],
            reference=values["reference"],
        ).first()
        if same is not None:
            return Saved("unchanged", same)
        try:
            payment = services.record_payment(order, user=user, values=values)
        except workflow.IllegalTransition as refused:
            row.fail("order", refused.message)
        return Saved("new", payment, {"kind": self.name, "action": "new", "pk": payment.pk,
                                       "code": order.code})  # fmt: skip

    def take_back(self, record, user, reason: str) -> None:
        services.take_back_payment(record, user=user, reason=reason)


class Complaints(Kind):
    name = "complaints"
    label = gettext_lazy("Complaints")
    position = 80
    model = Complaint
    importable = False
    help = gettext_lazy("Complaints and how they were handled (export only).")

    @property
    def columns(self) -> list[Column]:
        return [
            Column("number", label_of(Complaint, "number"), "code", read_only=True),
            Column("order", gettext_lazy("Order"), "code", read_only=True,
                   get=lambda c: c.order.code),
            Column("received_on", label_of(Complaint, "received_on"), "date", read_only=True),
            Column("severity", label_of(Complaint, "severity"), "choice", read_only=True,
                   choices=choices_of(Complaint.Severity)),
            Column("content", label_of(Complaint, "content"), read_only=True, width=30),
            Column("quantity_affected", label_of(Complaint, "quantity_affected"), "decimal",
                   read_only=True),
            Column("cause_analysis", label_of(Complaint, "cause_analysis"), read_only=True),
            Column("corrective_action", label_of(Complaint, "corrective_action"), read_only=True),
            Column("result", label_of(Complaint, "result"), read_only=True),
            Column("result_told_on", label_of(Complaint, "result_told_on"), "date", read_only=True),
            Column("closed_on", label_of(Complaint, "closed_on"), "date", read_only=True),
        ]  # fmt: skip

    def filtered(self, user, data: dict):
        return lists.filter_complaints(user, data)

    def for_export(self, records):
        return records.select_related("order")
