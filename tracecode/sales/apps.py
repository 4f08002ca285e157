"""Enquiries, quotations, orders and their documents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "tracecode.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from tracecode.customers import figures as customer_figures
        from tracecode.registers import prices

        from . import figures, labels, records

        records.register()
        labels.register()
        customer_figures.provide(
            figures.customer_figures, figures.contribution_classes, figures.order_values
        )
        # The value and class kept on the customer follow its orders and projects.
        from tracecode.customers import standing

        from .models import Order, Project

        # An order counts once confirmed, and nothing takes a confirmation back: entering
        # and editing a draft leaves the figures alone (and its transaction short).
        standing.follow_values(
            Order,
            lambda order: (
                Project._base_manager.filter(pk=order.project_id).values_list(
                    "customer_id", flat=True
                )
                if order.confirmed_on
                else []
            ),
        )
        standing.follow_values(Project, lambda project: [project.customer_id])
        prices.provide(figures.part_prices, covers=("part_quote", "part_order"))
