from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import core, services
from .forms import ExplainForm, SchemeFileForm, SetNextForm
from .models import CodeEntry, Counter, CounterChange


def administrators_only(view):
    """Coding schemes and counters are the administrators' to change (404 for others)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_administrator:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
def explain(request):
    """The "explain a code" box: any code, part by part."""
    form = ExplainForm(request.GET or None)
    result = None
    if form.is_valid():
        result = services.explain(form.cleaned_data["code"], user=request.user)
    return render(request, "codes/explain.html", {"form": form, "result": result})


@administrators_only
def scheme_list(request):
    """Every scheme in force with its counters and latest codes."""
    rows = []
    for sch in services.schemes().values():
        rows.append(
            {
                "scheme": sch,
                "counters": Counter.objects.filter(scheme=sch.name).count(),
                "codes": CodeEntry.objects.filter(scheme=sch.name).count(),
                "latest": CodeEntry.objects.filter(scheme=sch.name)[:3],
            }
        )
    return render(request, "codes/scheme_list.html", {"rows": rows})


@administrators_only
def scheme_detail(request, name: str):
    try:
        sch = services.scheme(name)
    except services.CodingError:
        raise Http404 from None
    context = {
        "scheme": sch,
        "definition": sch.as_dict(),
        "counters": Counter.objects.filter(scheme=name).order_by("scope")[:200],
        "latest": CodeEntry.objects.filter(scheme=name).select_related("created_by")[:20],
        "changes": CounterChange.objects.filter(scheme=name).select_related("changed_by")[:20],
        "set_next_form": SetNextForm(),
        "samples": services.sample_codes(services.schemes(), [name]).get(name, []),
    }
    return render(request, "codes/scheme_detail.html", context)


@administrators_only
@require_POST
def set_next(request, name: str):
    form = SetNextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the next serial and a reason."))
        return redirect("codes:scheme", name=name)
    try:
        serial = services.set_next_in_scope(
            name,
            form.cleaned_data["scope"].strip(),
            form.cleaned_data["next_serial"],
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.CodingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The next serial is now %(serial)s.") % {"serial": serial})
    return redirect("codes:scheme", name=name)


@administrators_only
def load(request):
    """Load a scheme file, after a preview of what it would produce."""
    form = SchemeFileForm(request.POST or None)
    problems, samples = [], {}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        problems = core.check(text, base=services.schemes())
        if not problems:
            merged = core.load(text, base=services.schemes())
            samples = services.sample_codes(merged, core.scheme_names(text))
        if not problems and request.POST.get("action") == "load":
            names = services.load_scheme_file(text, user=request.user)
            messages.success(
                request,
                _("Loaded %(names)s. Existing codes are unchanged.") % {"names": ", ".join(names)},
            )
            return redirect("codes:schemes")
    context = {"form": form, "problems": problems, "samples": samples}
    return render(request, "codes/load.html", context)
