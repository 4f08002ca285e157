"""A worker process for the multi-process order numbering test.

Run as `python -m tracecode.sales.tests.order_maker --project RK001-1 --count N --seed S`
with TRACECODE_DATABASE_URL pointing at a migrated database holding that project. Each
operation enters one order (record, lines, timeline, code) in its own transaction, a sample
order mostly and a mass order now and then; every `--rollback-every`-th is rolled back after
the order was saved, which must give its number back. Prints one committed code per line.
"""

import argparse
import datetime
import os
import random
import sys
from decimal import Decimal


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rollback-every", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    from django.db import transaction

    from tracecode.sales import services
    from tracecode.sales.models import Project

    project = Project.objects.select_related("customer").get(code=args.project)
    rng = random.Random(args.seed)
    line = {
        "part_number": "SP1003",
        "quantity": Decimal(100),
        "unit": "pcs",
        "unit_price": Decimal("2.35"),
    }
    committed = []
    for i in range(args.count):
        kind = "mass" if rng.random() < 0.25 else "sample"
        values = {"delivery_date": datetime.date.today() + datetime.timedelta(days=30)}
        try:
            with transaction.atomic():
                order = services.create_order(project, kind, user=None, values=values, lines=[line])
                if args.rollback_every and i % args.rollback_every == args.rollback_every - 1:
                    raise Rollback
        except Rollback:
            continue
        committed.append(order.code)
    sys.stdout.write("\n".join(committed) + "\n")


if __name__ == "__main__":
    main()
