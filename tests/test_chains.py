"""The scheduled chains (mail fetch, backup, watched-folder scan) never double, whatever
number of app servers start at once against the same database.

Six OS processes, as six `tracecode serve` starting together, each ask for the first link of
every chain at the same moment; each chain then has exactly one link waiting.
"""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tracecode.testing.database import database_url

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

PROCESSES = 6
STARTER = """
import sys
import django
django.setup()
from tracecode.backups.tasks import schedule_backup
from tracecode.inbox.tasks import schedule_scan
from tracecode.mail.tasks import schedule_fetch
print("ready", flush=True)
sys.stdin.readline()
print(schedule_fetch(), schedule_backup(), schedule_scan(seconds=0), flush=True)
"""
CHAINS = [
    "tracecode.mail.tasks.fetch_mail_accounts",
    "tracecode.backups.tasks.scheduled_backup",
    "tracecode.inbox.tasks.scan_inbox",
]


def test_servers_starting_together_start_each_chain_once(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracecode.settings",
        "TRACECODE_DATABASE_URL": database_url(connection),
        "TRACECODE_MAIL_FETCH_MINUTES": "5",
        "TRACECODE_BACKUP_HOURS": "24",
        "TRACECODE_INBOX_DIR": str(tmp_path),
        "TRACECODE_INBOX_SECONDS": "60",
    }
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    for starter in starters:
        assert starter.stdout.readline().strip() == "ready", starter.stderr.read()[-2000:]
    for starter in starters:  # as close together as one loop writes
        starter.stdin.write("go\n")
        starter.stdin.flush()
    answers = []
    for starter in starters:
        out, err = starter.communicate(timeout=120)
        assert starter.returncode == 0, err[-2000:]
        answers.append(out.split())

    for chain, said in zip(CHAINS, zip(*answers, strict=True), strict=True):
        waiting = DBTaskResult.objects.filter(task_path=chain, status=TaskResultStatus.READY)
        assert waiting.count() == 1, chain
        assert said.count("True") == 1, (chain, said)
