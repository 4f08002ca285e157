"""Orders made a chunk at a time (create_orders, as an import writes them) and one at a time,
by several OS processes at once, under projects of two customers: unique and gapless codes in
every project and kind, a rolled-back chunk giving its codes back, each project moved on to
sampling once.

Runs on whichever database the suite runs on (SQLite in WAL mode, then PostgreSQL).
"""

import os
import re
import subprocess
import sys

import pytest

from tracecode.codes.models import CodeEntry
from tracecode.codes.tests.test_allocation_processes import database_url
from tracecode.sales.models import Order, Project, ProjectEvent

from .factories import make_customer, make_project

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

PROCESSES = 4
PER_PROCESS = 30


def start_worker(projects: list[str], seed: int) -> subprocess.Popen:
    env = {**os.environ, "TRACECODE_DATABASE_URL": database_url()}
    command = [sys.executable, "-m", "tracecode.sales.tests.order_chunk_maker",
               "--projects", ",".join(projects), "--count", str(PER_PROCESS),
               "--seed", str(seed)]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_four_processes_making_chunks_of_orders_give_no_code_twice_and_leave_no_gap(alice):
    nordwerk, kowa = make_customer(alice), make_customer(alice, "Kowa Seiki K.K.")
    projects = [make_project(nordwerk), make_project(nordwerk, name="SP2040"), make_project(kowa)]
    codes = [p.code for p in projects]
    workers = [start_worker(codes, seed) for seed in range(PROCESSES)]
    outputs = [w.communicate(timeout=600) for w in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-2000:]
    committed = [code for out, _ in outputs for code in out.split()]

    assert len(set(committed)) == len(committed), "a code was given twice"
    assert sorted(Order.objects.values_list("code", flat=True)) == sorted(committed)
    for code in codes:
        for letter in "SM":
            mine = [c for c in committed if re.fullmatch(rf"{code}-{letter}\d+", c)]
            serials = sorted(int(c.rsplit(letter, 1)[1]) for c in mine)
            assert serials == list(range(1, len(mine) + 1)), f"a gap in {code}-{letter}"
    assert CodeEntry.objects.filter(scheme="order").count() == len(committed)
    for project in Project.objects.filter(orders__kind="sample").distinct():
        assert project.status == "sampling" and project.version == 2
        assert ProjectEvent.objects.filter(project=project, action="sample").count() == 1
