"""A worker process for the backup-under-load test: creates customers, projects and orders.

Run as `python -m tracecode.backups.tests.order_maker --owner alice --stop FILE --seed N` with
TRACECODE_DATABASE_URL pointing at a migrated database. Each customer, project and order is
saved in its own transaction (as the app saves them) until FILE exists; prints the order
codes it created, one a line.
"""

import argparse
import os
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--owner", required=True)
    parser.add_argument("--stop", required=True, type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from tracecode.sales.tests.factories import make_customer, make_order, make_project

    owner = get_user_model().objects.get(username=args.owner)
    made = []
    deadline = time.monotonic() + 120
    while not args.stop.exists() and time.monotonic() < deadline:
        customer = make_customer(owner, name=f"Customer {args.seed}-{len(made)}")
        project = make_project(customer, owner)
        made.append(make_order(project).code)
        made.append(make_order(project, kind="mass").code)
    sys.stdout.write("\n".join(made) + "\n")


if __name__ == "__main__":
    main()
