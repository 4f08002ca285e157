from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache

from tracecode.accounts.models import Role
from tracecode.core.api import error_response
from tracecode.customers.models import Customer
from tracecode.customers.services import follow_ups
from tracecode.reports import figures


@login_required
def home(request):
    """The start page: what the signed-in user works on. A sales person sees their pipeline,
    follow-ups, orders to ship, overdue money and this month against target; a manager the
    same for the team, each salesperson beside the others (reports/figures.py)."""
    customers = Customer.objects.visible_to(request.user)
    context = {
        "customer_count": customers.count(),
        "recent_customers": customers.select_related("owner").order_by("-created_at")[:8],
        "follow_ups": follow_ups(request.user)[:10],
    }
    if request.user.role != Role.VIEWER:
        board = figures.dashboard(request.user)
        context["board"] = board
        context["base_currency"] = settings.BASE_CURRENCY
        context["charts"] = figures.chart_specs(board.tables, board.charts)
    return render(request, "web/home.html", context)


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not; for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# Errors Django answers before any view: in the API's one error shape under /api/, as pages
# elsewhere (the API documents its 400, 404 and 500 answers as JSON).


def _api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, exception):
    if _api(request):
        return error_response(400, "bad_request", "Bad request.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _api(request):
        return error_response(403, "forbidden", "You may not do this.")
    return defaults.permission_denied(request, exception)


def not_found(request, exception):
    if _api(request):
        return error_response(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return error_response(500, "server_error", "Something went wrong on our side.")
    return defaults.server_error(request)
