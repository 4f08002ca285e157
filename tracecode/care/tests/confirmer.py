"""A worker process for the credit race test.

Run as `python -m tracecode.care.tests.confirmer --order RK001-1-S1 --start-at T` with
TRACECODE_DATABASE_URL pointing at a migrated database holding that order. Waits until the
wall clock reaches T (so the workers confirm at the same moment), confirms the order and
prints `confirmed` or `blocked`.
"""

import argparse
import os
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--order", required=True)
    parser.add_argument("--start-at", type=float, required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    from django.utils import timezone

    from tracecode.care.credit import CreditBlocked
    from tracecode.sales import services
    from tracecode.sales.models import Order

    order = Order.objects.select_related("project__customer").get(code=args.order)
    user = order.project.customer.owner
    time.sleep(max(0.0, args.start_at - time.time()))
    try:
        data = {"confirmed_on": timezone.localdate()}
        services.transition(order, "confirm", user=user, data=data)
    except CreditBlocked:
        sys.stdout.write("blocked\n")
    else:
        sys.stdout.write("confirmed\n")


if __name__ == "__main__":
    main()
