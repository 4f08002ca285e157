"""The Backups page (administrators): the archives, one taken now with its progress, downloads."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services, tasks
from .locations import Location
from .models import Backup


def administrators_only(view):
    """Archives hold every customer's data: administrators only (404 for everyone else)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_administrator:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@administrators_only
def backup_list(request):
    location = Location.parse()
    try:
        services.sync_archives(location)
    except Exception as error:  # an unreachable bucket must not hide the page
        messages.error(request, _("The archives in %(where)s could not be listed: %(error)s")
                       % {"where": location, "error": error})  # fmt: skip
    page = Paginator(Backup.objects.select_related("created_by"), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "location": location,
        "hours": settings.BACKUP_HOURS,
        "keep_daily": settings.BACKUP_KEEP_DAILY,
        "keep_weekly": settings.BACKUP_KEEP_WEEKLY,
        "running": Backup.objects.filter(status__in=["waiting", "running"]).first(),
    }
    return render(request, "backups/list.html", context)


@administrators_only
@require_POST
def start(request):
    """Take a backup now (in the task worker) and show its progress."""
    running = Backup.objects.filter(status__in=["waiting", "running"]).first()
    if running:
        messages.info(request, _("A backup is already being taken."))
        return redirect("backups:detail", running.pk)
    backup = services.start(user=request.user)
    tasks.run_backup.enqueue(backup.pk)
    return redirect("backups:detail", backup.pk)


@administrators_only
def detail(request, pk):
    backup = get_object_or_404(Backup, pk=pk)
    template = (
        "backups/_progress.html" if request.headers.get("HX-Request") else "backups/detail.html"
    )
    return render(request, template, {"backup": backup})


@administrators_only
@require_POST
def verify(request, pk):
    """Prove again that an archive restores (in the task worker)."""
    backup = get_object_or_404(Backup, pk=pk, status=Backup.Status.DONE)
    if not backup.busy:
        Backup.objects.filter(pk=pk).update(verification=Backup.Verification.WAITING)
        tasks.verify_backup.enqueue(backup.pk)
    return redirect("backups:detail", backup.pk)


@administrators_only
def download(request, pk):
    return archive_response(get_object_or_404(Backup, pk=pk, status=Backup.Status.DONE))


def archive_response(backup: Backup):
    """The archive as a download, streamed from its folder or bucket (404 when it is gone)."""
    location = Location.parse(backup.location)
    try:
        size = location.size(backup.name)
        stream = location.open(backup.name)
    except Exception:
        raise Http404 from None
    if hasattr(stream, "fileno"):
        answer = FileResponse(stream, as_attachment=True, filename=backup.name)
    else:
        answer = StreamingHttpResponse(stream.iter_chunks(1 << 20))
        answer["Content-Disposition"] = f'attachment; filename="{backup.name}"'
        answer["Content-Length"] = str(size)
    answer["Content-Type"] = "application/x-tar"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer
