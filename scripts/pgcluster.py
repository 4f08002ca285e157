"""A throwaway PostgreSQL cluster on a free loopback port, for the tests and the benchmarks.

    python scripts/pgcluster.py start DIR [--fast]   # prints the database URL
    python scripts/pgcluster.py stop DIR

initdb refuses to run as root, so as root the cluster is made and run as `postgres` in a
folder that user owns. `--fast` turns fsync off: for a cluster that lives one test run.
"""

import argparse
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not found:
        sys.exit("tracecode: PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1])


def as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(folder: Path, fast: bool = False) -> str:
    """Create and start a cluster in `folder`; return its database URL."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    initdb = [str(bin_dir() / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
    subprocess.run(as_owner([*initdb, "-E", "UTF8", "--no-sync"]), **quiet)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=200"
    if fast:
        options += " -c fsync=off"
    pg_ctl = [str(bin_dir() / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log")]
    subprocess.run(as_owner([*pg_ctl, "-w", "-o", options, "start"]), **quiet)
    import psycopg

    server = f"postgres://postgres@127.0.0.1:{port}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute("CREATE DATABASE tracecode")
    return f"{server}/tracecode"


def stop(folder: Path) -> None:
    """Stop the cluster in `folder` and remove it."""
    if (folder / "data").exists():
        pg_ctl = [str(bin_dir() / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"]
        subprocess.run(as_owner(pg_ctl), stdout=subprocess.DEVNULL, check=False)
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def cluster(folder: Path, fast: bool = False):
    """A running cluster for the `with` block."""
    try:
        yield start(folder, fast)
    finally:
        stop(folder)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--fast", action="store_true")
    args = parser.parse_args()
    if args.action == "start":
        print(start(args.folder, args.fast))
    else:
        stop(args.folder)
