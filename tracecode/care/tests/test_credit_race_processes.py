"""Orders of one customer confirmed at the same moment from several OS processes: credit
control checks them one after the other, so no two slip under the limit together.

Runs on whichever database the suite runs on (SQLite in WAL mode, then PostgreSQL).
"""

import os
import subprocess
import sys
import time

import pytest

from tracecode.codes.tests.test_allocation_processes import database_url
from tracecode.sales.models import Order

from .helpers import draft_order, limited_customer

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

WORKERS = 4
ROUNDS = 1


def start_worker(code: str, start_at: float) -> subprocess.Popen:
    env = {**os.environ, "TRACECODE_DATABASE_URL": database_url()}
    command = [sys.executable, "-m", "tracecode.care.tests.confirmer", "--order", code,
               "--start-at", str(start_at)]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_four_orders_confirmed_at_once_do_not_all_slip_under_a_limit_for_one(alice, round_):
    customer = limited_customer(alice)  # room for one order
    orders = [draft_order(customer) for _ in range(WORKERS)]
    start_at = time.time() + 4  # after every worker has started Django

    workers = [start_worker(order.code, start_at) for order in orders]
    outputs = [w.communicate(timeout=300) for w in workers]

    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-2000:]
    answers = sorted(out.strip() for out, _ in outputs)
    assert answers == ["blocked"] * (WORKERS - 1) + ["confirmed"]
    assert Order.objects.filter(project__customer=customer, state="confirmed").count() == 1
