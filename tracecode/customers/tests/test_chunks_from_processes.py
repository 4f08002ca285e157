"""Customers created a chunk at a time (create_customers, as an import writes them) and one at
a time, by several OS processes at once, get unique and gapless codes; a rolled-back chunk
gives its codes back.

Runs on whichever database the suite runs on (SQLite in WAL mode, then PostgreSQL).
"""

import os
import subprocess
import sys

import pytest

from tracecode.codes.models import CodeEntry, Counter
from tracecode.codes.services import register_legacy
from tracecode.codes.tests.test_allocation_processes import database_url
from tracecode.customers.models import Customer

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

PROCESSES = 4
PER_PROCESS = 60


def start_worker(seed: int, user) -> subprocess.Popen:
    env = {**os.environ, "TRACECODE_DATABASE_URL": database_url()}
    command = [sys.executable, "-m", "tracecode.customers.tests.chunk_creator",
               "--count", str(PER_PROCESS), "--user", user.username,
               "--seed", str(seed)]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_four_processes_creating_chunks_give_no_code_twice_and_leave_no_gap(alice):
    register_legacy("RK100", "customer")  # an old code: the processes continue after it
    workers = [start_worker(seed, alice) for seed in range(PROCESSES)]
    outputs = [w.communicate(timeout=600) for w in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-2000:]
    committed = [code for out, _ in outputs for code in out.split()]

    assert len(set(committed)) == len(committed), "a code was given twice"
    assert sorted(Customer.objects.values_list("code", flat=True)) == sorted(committed)
    serials = sorted(CodeEntry.objects.filter(origin="allocated").values_list("serial", flat=True))
    assert serials == list(range(101, 101 + len(committed))), "a gap, or a code not given back"
    assert Counter.objects.get(scheme="customer").last == 100 + len(committed)
