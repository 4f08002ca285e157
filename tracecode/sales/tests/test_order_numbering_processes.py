"""Orders entered at once from 4 OS processes in one project: S1..Sn and M1..Mm, no gaps.

Runs on whichever database the suite runs on (SQLite in WAL mode, then PostgreSQL).
"""

import os
import re
import subprocess
import sys

import pytest

from tracecode.codes.tests.test_allocation_processes import database_url
from tracecode.sales.models import Order

from .factories import make_customer, make_project

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

PROCESSES = 4
PER_PROCESS = 30
ROLLBACK_EVERY = 5


def start_worker(project: str, seed: int) -> subprocess.Popen:
    env = {**os.environ, "TRACECODE_DATABASE_URL": database_url()}
    command = [
        sys.executable,
        "-m",
        "tracecode.sales.tests.order_maker",
        "--project",
        project,
        "--count",
        str(PER_PROCESS),
        "--seed",
        str(seed),
        "--rollback-every",
        str(ROLLBACK_EVERY),
    ]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_four_processes_number_orders_of_one_project_without_gaps(alice):
    project = make_project(make_customer(alice))
    workers = [start_worker(project.code, seed) for seed in range(PROCESSES)]
    outputs = [w.communicate(timeout=600) for w in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-2000:]
    committed = [code for out, _ in outputs for code in out.split()]

    assert len(committed) == PROCESSES * (PER_PROCESS - PER_PROCESS // ROLLBACK_EVERY)
    assert len(set(committed)) == len(committed), "an order number was given twice"
    saved = list(Order.objects.filter(project=project).values_list("code", flat=True))
    assert sorted(saved) == sorted(committed), (
        "a committed order is missing or a rolled-back one stayed"
    )

    for letter in "SM":
        serials = sorted(
            int(m.group(1))
            for code in saved
            if (m := re.fullmatch(rf"{project.code}-{letter}(\d+)", code))
        )
        assert serials == list(range(1, len(serials) + 1)), (letter, serials)
    assert all(Order.objects.get(code=code).lines.count() == 1 for code in committed[:5])
