"""The import and export pages: upload, map unknown headers, preview, import, undo; the
templates, the example workbooks and the exports of every list.

Views stay thin: they check who may do what, validate with the forms and call services.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import visible_or_404

from . import demo, services, sheets, writing
from .forms import ExportForm, MappingForm, UploadForm
from .models import ExportRun, ImportRun
from .writing import attachment


def _kind(name: str, user, importing=False):
    try:
        kind = sheets.get(name)
    except LookupError:
        raise Http404 from None
    if not kind.may_export(user) or (importing and not kind.may_import(user)):
        raise Http404
    return kind


@login_required
def index(request):
    """Import a file, download a template or an example, export a list; past imports."""
    user = request.user
    form = UploadForm(user=user)
    if request.method == "POST":
        if not user.can_write:
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            run = services.start(
                user, form.cleaned_data["kind"], form.cleaned_data["file"],
                keep_good=form.cleaned_data["keep_good"],
            )  # fmt: skip
            return redirect("imports:run", pk=run.pk)
    runs = ImportRun.objects.visible_to(user).select_related("user")
    context = {
        "form": form,
        "kinds": sheets.kinds(user),
        "export_form": ExportForm(user=user),
        "runs": Paginator(runs, 20).get_page(request.GET.get("page")),
        "can_import": user.can_write and any(k.may_import(user) for k in sheets.kinds(user)),
    }
    return render(request, "imports/index.html", context)


def _run(request, pk: int) -> ImportRun:
    return visible_or_404(ImportRun.objects.select_related("user"), request.user, pk=pk).live()


def _mine(request, run: ImportRun) -> None:
    """Only whoever started an import goes on with it (an administrator may look)."""
    if run.user_id != request.user.pk:
        raise PermissionDenied


@login_required
def run_detail(request, pk: int):
    run = _run(request, pk)
    kind = sheets.get(run.kind)
    context = {"run": run, "kind": kind, "headers": [str(c.label) for c in kind.columns]}
    if run.stage == ImportRun.Stage.MAPPING and not run.is_active:
        context["mapping"] = MappingForm(
            unknown=run.unknown_headers, columns=services.mappable_columns(kind)
        )
    template = "imports/_run.html" if request.headers.get("HX-Request") else "imports/run.html"
    return render(request, template, context)


@login_required
@require_POST
def run_mapping(request, pk: int):
    run = _run(request, pk)
    _mine(request, run)
    kind = sheets.get(run.kind)
    form = MappingForm(
        request.POST, unknown=run.unknown_headers, columns=services.mappable_columns(kind)
    )
    if form.is_valid():
        services.remember(request.user, run.kind, form.mapping())
        try:
            services.preview_again(run)
        except services.ImportRefused as refused:
            messages.error(request, str(refused))
    return redirect("imports:run", pk=run.pk)


@login_required
@require_POST
def run_commit(request, pk: int):
    run = _run(request, pk)
    _mine(request, run)
    try:
        services.commit(run, keep_good=bool(request.POST.get("keep_good")) or run.keep_good)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
    return redirect("imports:run", pk=run.pk)


@login_required
@require_POST
def run_undo(request, pk: int):
    run = _run(request, pk)
    try:
        count = services.undo(run, user=request.user)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Import %(number)s is undone (%(count)s records).")
                         % {"number": run.pk, "count": count})  # fmt: skip
    return redirect("imports:run", pk=run.pk)


@login_required
def run_failing(request, pk: int):
    run = _run(request, pk)
    if not run.failing_rows:
        raise Http404
    return attachment(services.failing_file(run), services.failing_name(run))


@login_required
def run_file(request, pk: int):
    run = _run(request, pk)
    run.file.open("rb")
    try:
        content = run.file.read()
    finally:
        run.file.close()
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{run.file_name}"'
    return response


@login_required
def template(request, sheet: str):
    kind = _kind(sheet, request.user)
    if not kind.importable:
        raise Http404
    name = f"{kind.name}-{_('template')}.xlsx"
    return attachment(writing.template_xlsx(kind), name)


@login_required
def example(request, sheet: str):
    """A filled-in example a new user can import to see how it goes."""
    kind = _kind(sheet, request.user)
    if not kind.importable:
        raise Http404
    rows, lines = demo.example_rows(kind, request.user)
    name = f"{kind.name}-{_('example')}.xlsx"
    return attachment(writing.template_xlsx(kind, examples=rows, lines=lines), name)


@login_required
def export(request, sheet: str, fmt: str):
    """A list as .xlsx or CSV: filtered as its page, only what the user may see. A long list
    is offered to be written in the background instead (a page with the button)."""
    if fmt not in writing.FORMATS:
        raise Http404
    kind = _kind(sheet, request.user)
    size = services.export_size(kind, request.user, request.GET)
    if size > settings.EXPORT_DIRECT_ROWS:
        context = {"kind": kind, "fmt": fmt, "size": size, "query": request.GET.urlencode()}
        return render(request, "imports/export_start.html", context)
    content = services.export(kind, request.user, request.GET, fmt)
    return attachment(content, writing.export_name(kind, fmt), fmt)


@login_required
@require_POST
def export_start(request):
    """The export buttons of the lists: a short list comes back as the file at once, a long
    one is written in the background and its page shows the progress, then the download."""
    fmt = request.POST.get("fmt", "xlsx")
    if fmt not in writing.FORMATS:
        raise Http404
    kind = _kind(request.POST.get("kind", ""), request.user)
    query = request.POST.get("query", "")
    filters = QueryDict(query)
    if services.exports_directly(kind, request.user, filters):
        content = services.export(kind, request.user, filters, fmt)
        return attachment(content, writing.export_name(kind, fmt), fmt)
    run = services.start_export(request.user, kind.name, query, fmt)
    return redirect("imports:export_run", pk=run.pk)


def _export_run(request, pk: int) -> ExportRun:
    return visible_or_404(ExportRun.objects.all(), request.user, pk=pk).live()


@login_required
def export_run(request, pk: int):
    """An export written in the background: its progress, then its file."""
    run = _export_run(request, pk)
    context = {"run": run, "kind": sheets.get(run.kind), "keep_days": settings.EXPORT_KEEP_DAYS}
    partial = request.headers.get("HX-Request")
    return render(request, "imports/_export.html" if partial else "imports/export.html", context)


@login_required
def export_file(request, pk: int):
    run = _export_run(request, pk)
    if not run.ready:
        raise Http404
    return attachment(run.file.open("rb"), run.file_name, run.fmt)


@login_required
def export_form(request):
    """The export form of the import page: a kind, a customer, a format."""
    form = ExportForm(request.GET, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose what to export."))
        return redirect("imports:index")
    data = form.cleaned_data
    url = reverse("imports:export", args=[data["kind"], data["fmt"]])
    customer = data["customer"].strip()
    name = "q" if data["kind"] == "customers" else "customer"
    return redirect(f"{url}?{name}={customer}" if customer else url)
