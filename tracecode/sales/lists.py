"""The filters of the sales lists, shared by their pages and their exports: the records a
user may see, narrowed by a valid filter form's cleaned data."""

from django.db.models import Q

from .models import Complaint, Order, OrderState, Project


def filter_projects(user, data: dict):
    projects = Project.objects.visible_to(user).select_related("customer")
    if q := (data.get("q") or "").strip():
        projects = projects.filter(Q(code__istartswith=q) | Q(name__icontains=q))
    if data.get("status"):
        projects = projects.filter(status=data["status"])
    if customer := (data.get("customer") or "").strip():
        projects = projects.filter(customer__code__iexact=customer)
    return projects


def filter_orders(user, data: dict):
    orders = Order.objects.visible_through(user, "project").select_related("project__customer")
    if q := (data.get("q") or "").strip():
        orders = orders.filter(
            Q(code__istartswith=q) | Q(project__name__icontains=q) | Q(customer_po__icontains=q)
        )
    if data.get("state") == "open":
        orders = orders.exclude(state__in=[OrderState.CLOSED, OrderState.CANCELLED])
    elif data.get("state"):
        orders = orders.filter(state=data["state"])
    if data.get("kind"):
        orders = orders.filter(kind=data["kind"])
    if customer := (data.get("customer") or "").strip():
        orders = orders.filter(project__customer__code__iexact=customer)
    if data.get("overdue"):
        orders = orders.payment_overdue()
    if data.get("late"):
        orders = orders.delivery_late()
    return orders


def filter_complaints(user, data: dict):
    """`show`: open (the default), closed or all."""
    complaints = Complaint.objects.visible_to(user).select_related("order__project__customer")
    show = data.get("show") or "open"
    if show == "open":
        complaints = complaints.filter(closed_on=None)
    elif show == "closed":
        complaints = complaints.exclude(closed_on=None)
    return complaints
