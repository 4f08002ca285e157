"""The schema fuzzer in the suite: schemathesis, in its own virtualenv (scripts/fuzz-venv sets
it up on a fresh machine), against Tracecode served by gunicorn over the suite's database
with the demo company, finds no server error and no answer that breaks the published schema.

Bounded to about two minutes (45 s of fuzzing) with a fixed seed, so a failure reproduces;
`make fuzz` runs longer with a new seed each time.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
SEED = "20261205"


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def test_the_fuzzer_finds_no_server_error_and_no_answer_off_the_schema(tmp_path):
    env = {
        **os.environ,
        "TRACECODE_DATABASE_URL": database_url(),
        "TRACECODE_DATA_DIR": str(tmp_path),
        "FUZZ_MAX_EXAMPLES": "8",
        "FUZZ_MAX_TIME": "45",
        "FUZZ_SEED": SEED,
    }
    run = subprocess.run(
        [ROOT / "scripts" / "fuzz", "--output-truncate", "true", "--no-shrink"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-8000:]
    selected, total = re.search(r"Selected: (\d+)/(\d+)", report).groups()
    assert selected == total == re.search(r"Tested: (\d+)", report).group(1), report[-3000:]
    print("\n" + re.search(r"Test cases:\n\s*(.*)", report).group(1))
