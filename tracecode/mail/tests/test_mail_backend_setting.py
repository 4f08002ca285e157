"""TRACECODE_EMAIL_BACKEND names any Django mail backend; the SMTP settings go to SMTP only."""

import os
import subprocess
import sys

import pytest

ASK = (
    "import django; django.setup(); from django.core.mail import mailers; "
    "print(type(mailers.default).__module__)"
)


@pytest.mark.parametrize("backend", ["locmem", "console", "smtp"])
def test_each_backend_starts_with_the_settings_it_takes(backend, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracecode.settings",
        "TRACECODE_DATA_DIR": str(tmp_path),
        "TRACECODE_EMAIL_BACKEND": f"django.core.mail.backends.{backend}.EmailBackend",
    }
    run = subprocess.run([sys.executable, "-c", ASK], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == f"django.core.mail.backends.{backend}"
