"""The app started as an administrator starts it: `tracecode check` in a process of its own,
with only the environment a test gives (and a bare PATH), so that the settings are read
afresh."""

import subprocess
import sys


def check(env: dict, *options: str) -> subprocess.CompletedProcess:
    """`tracecode check [options]` run with `env`; its exit status and output."""
    return subprocess.run(
        [sys.executable, "-m", "tracecode", "check", *options],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
