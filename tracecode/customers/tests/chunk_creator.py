"""A worker process for the multi-process test of customers created a chunk at a time.

Run as `python -m tracecode.customers.tests.chunk_creator --count N --user NAME --seed S`
with TRACECODE_DATABASE_URL pointing at a migrated database. Each operation is one
transaction: one customer through create_customer(), or a chunk of 1–20 through
create_customers() as an import writes them; every `--rollback-every`-th transaction is rolled
back after its codes were given, which must give them back. Prints one committed code a line.
"""

import argparse
import os
import random
import sys


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rollback-every", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from tracecode.customers.models import Customer
    from tracecode.customers.services import create_customer, create_customers

    user = get_user_model().objects.get(username=args.user)
    rng = random.Random(args.seed)
    committed = []
    for i in range(args.count):
        customers = [Customer(company_name=f"Worker {args.seed} customer {i}.{n}", country="DE")
                     for n in range(rng.choice([1, rng.randint(1, 20)]))]  # fmt: skip
        try:
            with transaction.atomic():
                if len(customers) == 1 and rng.random() < 0.5:
                    create_customer(customers[0], user=user)
                else:
                    create_customers(customers, user=user)
                if args.rollback_every and i % args.rollback_every == args.rollback_every - 1:
                    raise Rollback
        except Rollback:
            continue
        committed.extend(c.code for c in customers)
    sys.stdout.write("\n".join(committed) + "\n")


if __name__ == "__main__":
    main()
