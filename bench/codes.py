"""Benchmark of the coding engine: allocate-and-save against two baselines, same run, same DB.

    .venv/bin/python bench/codes.py [--ops 2000] [--repeat 3] [--database sqlite postgres]

Each operation is one transaction. Three kinds are timed, in 1 and in 4 processes:
  raw    a one-row INSERT through the database driver (sqlite3 / psycopg): the ceiling
  orm    saving a customer without a code through the ORM: the baseline we must keep up with
  coded  saving a customer with the next code of a scheme (counter + registry + record)
`coded` runs against one scope (every process takes the next RK… number) and, with 4
processes, against 50 scopes. Figures are the median of --repeat runs; after each coded run
the registry is checked for duplicates and gaps.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

BENCH_SCHEME = """
[scheme.bench_region]
label = "Benchmark customer by region"
pattern = "B{region:2}-{serial:5+}"
"""


# ---------------------------------------------------------------- the worker process


def worker(kind: str, count: int, proc: int, run: int) -> None:
    """Wait for "go" on stdin, do `count` operations, print the seconds they took."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from tracecode.accounts.models import User
    from tracecode.codes.services import create_with_code, schemes
    from tracecode.customers.models import Customer

    owner = User.objects.get(username="bench")
    schemes()  # compile the schemes before the clock starts, as a running server has
    raw = _raw_connection(connection) if kind == "raw" else None
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    for i in range(count):
        name = f"Bench {run}-{proc}-{i}"
        if kind == "raw":
            raw(f"X{run}-{proc}-{i}", name)
        elif kind == "orm":
            with transaction.atomic():
                Customer.objects.create(code=f"X{run}-{proc}-{i}", company_name=name, owner=owner)
        elif kind == "coded":
            create_with_code(Customer(company_name=name, owner=owner), "customer")
        else:  # coded50
            fields = {"region": f"{(proc * 7 + i) % 50:02d}"}
            create_with_code(
                Customer(company_name=name, owner=owner), "bench_region", fields=fields
            )
    print(f"{time.perf_counter() - started:.6f}", flush=True)


def _raw_connection(connection):
    """A driver connection doing one INSERT transaction per call, with the app's settings."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        import sqlite3

        db = sqlite3.connect(settings["NAME"], timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")

        def insert(code, name):
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO bench_raw (code, name) VALUES (?, ?)", (code, name))
            db.execute("COMMIT")

        return insert
    import psycopg

    db = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname=settings["NAME"]
    )

    def insert(code, name):
        with db.transaction():
            db.execute("INSERT INTO bench_raw (code, name) VALUES (%s, %s)", (code, name))

    return insert


# ---------------------------------------------------------------- the driver


def tracecode(env: dict, *args: str) -> str:
    command = [sys.executable, "-m", "tracecode", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def prepare(env: dict) -> None:
    tracecode(env, "migrate", "-v0")
    setup = (
        "from django.db import connection\n"
        "from tracecode.accounts.models import User\n"
        "from tracecode.codes.services import load_scheme_file, schemes\n"
        "User.objects.get_or_create(username='bench')\n"
        "schemes()\n"
        f"load_scheme_file({BENCH_SCHEME!r})\n"
        "with connection.cursor() as c:\n"
        "    c.execute('CREATE TABLE IF NOT EXISTS bench_raw (id SERIAL PRIMARY KEY,"
        " code VARCHAR(40) UNIQUE, name VARCHAR(200))'"
        " if connection.vendor == 'postgresql' else"
        " 'CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " code VARCHAR(40) UNIQUE, name VARCHAR(200))')\n"
    )
    tracecode(env, "shell", "-v0", "-c", setup)


def timed(env: dict, kind: str, ops: int, procs: int, run: int) -> float:
    """Operations per second of `procs` processes doing `ops` operations in all."""
    command = [sys.executable, __file__, "worker", kind, str(ops // procs), "{proc}", str(run)]
    workers = [
        subprocess.Popen(
            [part.format(proc=p) for part in command],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for p in range(procs)
    ]
    for w in workers:
        assert w.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for w in workers:
        w.stdin.write("go\n")
        w.stdin.flush()
    for w in workers:
        w.stdout.readline()
        if w.wait() != 0:
            raise SystemExit(f"a {kind} worker failed")
    return (ops // procs) * procs / (time.perf_counter() - started)


def verify(env: dict) -> str:
    """Duplicates and gaps in the registry, per scope."""
    script = (
        "from tracecode.codes.models import CodeEntry\n"
        "rows = CodeEntry.objects.values_list('scheme', 'scope', 'serial', 'code')\n"
        "print('\\n'.join(f'{a}\\t{b}\\t{c}\\t{d}' for a, b, c, d in rows))\n"
    )
    scopes, codes = defaultdict(list), []
    for line in tracecode(env, "shell", "-v0", "-c", script).splitlines():
        scheme, scope, serial, code = line.split("\t")
        scopes[(scheme, scope)].append(int(serial))
        codes.append(code)
    duplicates = len(codes) - len(set(codes))
    gaps = sum(max(s) - min(s) + 1 - len(set(s)) for s in scopes.values())
    return f"{len(codes)} codes in {len(scopes)} scopes: {duplicates} duplicates, {gaps} gaps"


def bench(database: str, env: dict, ops: int, repeat: int) -> None:
    prepare(env)
    configs = [(1, "coded"), (4, "coded"), (4, "coded50")]
    if database == "sqlite":
        configs.insert(2, (1, "coded50"))
    print(f"\n{database}: {ops} operations per run, median of {repeat} runs")
    print(
        f"{'processes':>9}  {'scopes':>6}  {'raw/s':>8}  {'orm/s':>8}  {'coded/s':>8}"
        f"  {'coded/orm':>9}  {'coded/raw':>9}"
    )
    run = 0
    for procs, kind in configs:
        figures = defaultdict(list)
        for _ in range(repeat):
            for k in ("raw", "orm", kind):
                run += 1
                figures[k].append(timed(env, k, ops, procs, run))
        raw, orm, coded = (statistics.median(figures[k]) for k in ("raw", "orm", kind))
        scopes = 50 if kind == "coded50" else 1
        print(
            f"{procs:>9}  {scopes:>6}  {raw:>8.0f}  {orm:>8.0f}  {coded:>8.0f}"
            f"  {coded / orm:>9.2f}  {coded / raw:>9.2f}",
            flush=True,
        )
    print(f"registry check: {verify(env)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000, help="operations per run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--database", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    args = parser.parse_args()
    from pgcluster import cluster

    with tempfile.TemporaryDirectory(prefix="tracecode-bench-") as folder:
        base = {**os.environ, "TRACECODE_DATA_DIR": folder}
        if "sqlite" in args.database:
            url = f"sqlite:///{folder}/bench.sqlite3"
            bench("sqlite", {**base, "TRACECODE_DATABASE_URL": url}, args.ops, args.repeat)
        if "postgres" in args.database:
            # Default PostgreSQL settings (fsync on), as in PEERS.md.
            with cluster(Path(tempfile.mkdtemp(prefix="tracecode-bench-pg-"))) as url:
                bench("postgres", {**base, "TRACECODE_DATABASE_URL": url}, args.ops, args.repeat)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        kind, count, proc, run = sys.argv[2:6]
        worker(kind, int(count), int(proc), int(run))
    else:
        main()
