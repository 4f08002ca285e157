"""Twenty wrong passwords at once, from four processes: at most the limit is ever compared.

The count and the record of the try happen under one lock per user name (SQLite: the
immediate transaction's write lock; PostgreSQL: an advisory lock), so concurrency does not
buy a guesser more tries. Runs on whichever database the suite runs on.
"""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from tracecode.accounts.models import FailedSignIn

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

PROCESSES = 4
THREADS = 5


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def start_guesser(go) -> subprocess.Popen:
    env = {
        **os.environ,
        "TRACECODE_DATABASE_URL": database_url(),
        "TRACECODE_SIGN_IN_FAILURES_ALLOWED": "5",
    }
    command = [sys.executable, "-m", "tracecode.accounts.tests.guesser"]
    command += ["--username", "alice", "--threads", str(THREADS), "--go", str(go)]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_twenty_concurrent_guesses_compare_at_most_five_passwords(alice, tmp_path):
    go = tmp_path / "go"
    guessers = [start_guesser(go) for _ in range(PROCESSES)]
    for guesser in guessers:
        line = guesser.stdout.readline()
        assert line == "ready\n", guesser.stderr.read()[-2000:]
    time.sleep(0.2)  # every thread is polling for the start signal
    go.touch()
    outputs = [g.communicate(timeout=300) for g in guessers]
    for guesser, (_, err) in zip(guessers, outputs, strict=True):
        assert guesser.returncode == 0, err[-2000:]

    checked = sum(out.split().count("checked") for out, _ in outputs)
    assert checked == 5, f"{checked} of 20 concurrent guesses were compared"
    assert FailedSignIn.objects.filter(username="alice").count() == 5
