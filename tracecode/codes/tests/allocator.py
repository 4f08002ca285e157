"""A worker process for the multi-process allocation tests and the benchmark.

Run as `python -m tracecode.codes.tests.allocator --count N --parents RK001,RK002 --seed S`
with TRACECODE_DATABASE_URL pointing at a migrated database. Each operation is one
transaction: take the next customer code (one hot scope) or the next project code of a
random parent (many scopes); every `--rollback-every`-th transaction is rolled back after
taking its number, which must give the number back. Prints one committed code per line.
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
    parser.add_argument("--parents", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rollback-every", type=int, default=7)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    from django.db import transaction

    from tracecode.codes.services import allocate

    parents = args.parents.split(",")
    rng = random.Random(args.seed)
    committed = []
    for i in range(args.count):
        on_customer = rng.random() < 0.5
        try:
            with transaction.atomic():
                if on_customer:
                    entry = allocate("customer")
                else:
                    entry = allocate("project", parent=rng.choice(parents))
                if args.rollback_every and i % args.rollback_every == args.rollback_every - 1:
                    raise Rollback
        except Rollback:
            continue
        committed.append(entry.code)
    sys.stdout.write("\n".join(committed) + "\n")


if __name__ == "__main__":
    main()
