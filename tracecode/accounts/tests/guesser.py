"""A worker process for the concurrent lockout test: several threads guess one password at once.

Run as `python -m tracecode.accounts.tests.guesser --username alice --threads 5 --go FILE`
with TRACECODE_DATABASE_URL pointing at a migrated database. Each thread posts one wrong
password to the sign-in page once FILE exists (so every process starts together). Prints
one line per password the app actually compared: `checked`.
"""

import argparse
import os
import sys
import threading
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--username", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--go", required=True, help="start when this file exists")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import QuerySet
    from django.test import Client

    from tracecode.accounts.models import FailedSignIn

    User = get_user_model()
    compare = User.check_password
    lock = threading.Lock()
    checked = []

    def counting_check_password(user, raw_password):
        with lock:
            checked.append(user.username)
        return compare(user, raw_password)

    User.check_password = counting_check_password

    # A busy server between counting the failures and recording this try: without a lock
    # held across both, every concurrent guess would count the same few failures.
    count = QuerySet.count

    def slow_count(queryset):
        found = count(queryset)
        if queryset.model is FailedSignIn:
            time.sleep(0.02)
        return found

    QuerySet.count = slow_count

    ready = threading.Barrier(args.threads + 1)

    def guess(n: int) -> None:
        client = Client(HTTP_HOST="localhost")
        connection.ensure_connection()
        ready.wait()
        while not os.path.exists(args.go):
            time.sleep(0.001)
        client.post(
            "/accounts/sign-in/",
            {"username": args.username, "password": f"guess-{os.getpid()}-{n}"},
        )
        connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(args.threads)]
    for thread in threads:
        thread.start()
    ready.wait()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for thread in threads:
        thread.join()
    sys.stdout.write("".join("checked\n" for _ in checked))


if __name__ == "__main__":
    main()
