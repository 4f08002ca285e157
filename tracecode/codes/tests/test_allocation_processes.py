"""Codes are unique and gapless with several OS processes allocating at once.

Runs on whichever database the suite runs on (SQLite in WAL mode, then PostgreSQL): the
test command runs the suite on both.
"""

import os
import subprocess
import sys
from collections import defaultdict

import pytest
from django.db import connection

from tracecode.codes.models import CodeEntry, Counter
from tracecode.codes.services import register_legacy

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

PROCESSES = 4
PER_PROCESS = 400
PARENTS = ["RK001", "RK002", "RK003", "RK004", "RK005"]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def start_worker(seed: int) -> subprocess.Popen:
    env = {**os.environ, "TRACECODE_DATABASE_URL": database_url()}
    command = [
        sys.executable,
        "-m",
        "tracecode.codes.tests.allocator",
        "--count",
        str(PER_PROCESS),
        "--parents",
        ",".join(PARENTS),
        "--seed",
        str(seed),
    ]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_four_processes_allocate_without_duplicates_or_gaps():
    for code in PARENTS:
        register_legacy(code, "customer")  # the counter now stands at 5
    workers = [start_worker(seed) for seed in range(PROCESSES)]
    outputs = [w.communicate(timeout=600) for w in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-2000:]
    committed = [code for out, _ in outputs for code in out.split()]

    # Every operation committed or rolled back: none was lost to "database is locked".
    rolled_back = PER_PROCESS // 7
    assert len(committed) == PROCESSES * (PER_PROCESS - rolled_back)
    assert len(set(committed)) == len(committed), "a code was given twice"

    entries = CodeEntry.objects.filter(origin=CodeEntry.Origin.ALLOCATED)
    assert sorted(entries.values_list("code", flat=True)) == sorted(committed)

    serials = defaultdict(list)
    for scheme, scope, serial in entries.values_list("scheme", "scope", "serial"):
        serials[(scheme, scope)].append(serial)
    assert len(serials) == 1 + len(PARENTS)  # the customers' scope and one per parent
    for (scheme, scope), given in serials.items():
        first = 6 if scheme == "customer" else 1  # customers continue after the legacy RK005
        assert sorted(given) == list(range(first, first + len(given))), (scheme, scope)
        counter = Counter.objects.get(scheme=scheme, scope=scope)
        assert counter.last == first + len(given) - 1, "a rolled-back number was not given back"
