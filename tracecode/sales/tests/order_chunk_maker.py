"""A worker process for the multi-process test of orders made a chunk at a time.

Run as `python -m tracecode.sales.tests.order_chunk_maker --projects P1,P2 --count N --seed S`
with TRACECODE_DATABASE_URL pointing at a migrated database. Each operation is one
transaction: one order through create_order(), or a chunk of 1–12 orders of the projects,
sample and mass mixed, through create_orders() as an import writes them; every
`--rollback-every`-th transaction is rolled back after its codes were given, which must give
them back. Prints one committed code a line.
"""

import argparse
import os
import random
import sys


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", required=True)
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
    from tracecode.testing.factories import days, line

    projects = list(Project.objects.filter(code__in=args.projects.split(",")))
    rng = random.Random(args.seed)
    committed = []
    for i in range(args.count):
        chosen = [(rng.choice(projects), rng.choice(["sample", "mass"]))
                  for _n in range(rng.choice([1, rng.randint(1, 12)]))]  # fmt: skip
        values = {"delivery_date": days(30), "currency": "USD"}
        try:
            with transaction.atomic():
                if len(chosen) == 1 and rng.random() < 0.5:
                    project, kind = chosen[0]
                    user = project.customer.owner
                    orders = [services.create_order(project, kind, user=user, values=values,
                                                     lines=[line()])]  # fmt: skip
                else:
                    user = projects[0].customer.owner
                    orders = [services.new_order(p, kind, user=user, values=values)
                              for p, kind in chosen]  # fmt: skip
                    services.create_orders(orders, [[line()] for _o in orders], user=user)
                if args.rollback_every and i % args.rollback_every == args.rollback_every - 1:
                    raise Rollback
        except Rollback:
            continue
        committed.extend(o.code for o in orders)
    sys.stdout.write("\n".join(committed) + "\n")


if __name__ == "__main__":
    main()
