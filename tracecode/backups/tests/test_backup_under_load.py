"""A backup taken while four processes create orders restores to one consistent moment."""

import io
import os
import subprocess
import sys
import time
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection

from tracecode.codes.models import CodeEntry, Counter
from tracecode.customers.models import Customer
from tracecode.sales.models import Order, Project
from tracecode.sales.tests.factories import make_order

from .helpers import archive, take

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

PROCESSES = 4


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def start_makers(stop) -> list[subprocess.Popen]:
    env = {**os.environ, "TRACECODE_DATABASE_URL": database_url()}
    command = [sys.executable, "-m", "tracecode.backups.tests.order_maker", "--owner", "alice"]
    return [
        subprocess.Popen(
            [*command, "--stop", str(stop), "--seed", str(seed)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for seed in range(PROCESSES)
    ]


def wait_for_orders(count: int) -> None:
    deadline = time.monotonic() + 90
    while Order.objects.count() < count:
        assert time.monotonic() < deadline, "the order makers made too few orders"
        time.sleep(0.2)


def test_a_backup_under_load_restores_consistently(alice, tmp_path, wipe):
    stop = tmp_path / "stop"
    makers = start_makers(stop)
    try:
        wait_for_orders(12)
        backup = take()
        made_meanwhile = Order.objects.count()
    finally:
        stop.touch()
        outputs = [maker.communicate(timeout=120) for maker in makers]
    for maker, (_, err) in zip(makers, outputs, strict=True):
        assert maker.returncode == 0, err[-2000:]
    all_orders = sum(len(out.split()) for out, _ in outputs)
    assert all_orders >= made_meanwhile >= 12

    wipe()
    call_command("restore", str(archive(backup)), stdout=io.StringIO(), stderr=io.StringIO())

    restored = Order.objects.count()
    assert 12 <= restored < all_orders  # a moment in the middle of the work
    assert set(Order.objects.values_list("project__customer__code", flat=True)) <= set(
        Customer.objects.values_list("code", flat=True)
    )
    for model, scheme in ((Customer, "customer"), (Project, "project"), (Order, "order")):
        registered = CodeEntry.objects.filter(scheme=scheme).values_list("code", flat=True)
        assert set(registered) == set(model.objects.values_list("code", flat=True)), scheme
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []

    highest = defaultdict(int)
    for scheme, scope, serial in CodeEntry.objects.values_list("scheme", "scope", "serial"):
        highest[(scheme, scope)] = max(highest[(scheme, scope)], serial or 0)
    for counter in Counter.objects.all():
        assert counter.last >= highest[(counter.scheme, counter.scope)], counter

    project = Project.objects.order_by("-pk").first()
    given = set(CodeEntry.objects.values_list("code", flat=True))
    assert make_order(project).code not in given
