"""Benchmark of the coding engine: allocate-and-save against two baselines, same run, same DB.

    .venv/bin/python bench/codes.py [--ops 2000] [--repeat 3] [--database sqlite postgres]

Each operation is one transaction, in 1 and in 4 processes, against one scope (every process
takes the next number of one counter) and against 50 scopes. Two tables:

The engine, measured as the peers were (../shared/PEERS.md): a minimal record, a code and a
name in a table the benchmark creates (`bench_item`, not an app model):
  raw    a one-row INSERT through the database driver (sqlite3 / psycopg): the ceiling
  plain  saving the minimal record with a code made up in Python, through the ORM
  coded  saving it with the next code of a scheme (counter + registry + record)

The app's own record, a customer, whose save also writes its search entries and history:
  orm    saving a customer without a code through the ORM
  coded  saving a customer with the next code of a scheme

Figures are the median of --repeat runs; at the end the registry is checked for duplicates
and gaps in every scope.
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
[scheme.bench_item]
label = "Benchmark item"
pattern = "BI{serial:5+}"

[scheme.bench_region]
label = "Benchmark record by region"
pattern = "B{region:2}-{serial:5+}"
"""


def bench_model():
    """The minimal record: a code and a name (its table is made by `prepare`)."""
    from django.db import models

    class BenchItem(models.Model):
        code = models.CharField(max_length=40, unique=True)
        name = models.CharField(max_length=200)

        class Meta:
            app_label = "codes"  # a model of this process only: no migration, no admin
            db_table = "bench_item"
            managed = False

        def __str__(self) -> str:
            return self.code

    return BenchItem


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

    item = bench_model()
    owner = User.objects.get(username="bench")
    schemes()  # compile the schemes before the clock starts, as a running server has
    raw = _raw_connection(connection) if kind == "raw" else None

    def region(i: int) -> dict:
        return {"region": f"{(proc * 7 + i) % 50:02d}"}

    print("ready", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    for i in range(count):
        name = f"Bench {run}-{proc}-{i}"
        if kind == "raw":
            raw(f"X{run}-{proc}-{i}", name)
        elif kind == "plain":
            with transaction.atomic():
                item.objects.create(code=f"X{run}-{proc}-{i}", name=name)
        elif kind == "coded":
            create_with_code(item(name=name), "bench_item")
        elif kind == "coded50":
            create_with_code(item(name=name), "bench_region", fields=region(i))
        elif kind == "orm":
            with transaction.atomic():
                Customer.objects.create(code=f"X{run}-{proc}-{i}", company_name=name, owner=owner)
        elif kind == "customer":
            create_with_code(Customer(company_name=name, owner=owner), "customer")
        else:  # customer50
            customer = Customer(company_name=name, owner=owner)
            create_with_code(customer, "bench_region", fields=region(i))
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
    subprocess.run([sys.executable, __file__, "prepare"], env=env, check=True)


def prepare_tables() -> None:
    """The bench user, schemes and tables, in the database of TRACECODE_DATABASE_URL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    from django.db import connection

    from tracecode.accounts.models import User
    from tracecode.codes.services import load_scheme_file, schemes

    User.objects.get_or_create(username="bench")
    schemes()
    load_scheme_file(BENCH_SCHEME)
    item = bench_model()
    if item._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(item)
    serial = "SERIAL" if connection.vendor == "postgresql" else "INTEGER"
    autoincrement = "" if connection.vendor == "postgresql" else " AUTOINCREMENT"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS bench_raw (id {serial} PRIMARY KEY{autoincrement},"
            " code VARCHAR(40) UNIQUE, name VARCHAR(200))"
        )


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


CONFIGS = [(1, 1), (4, 1), (1, 50), (4, 50)]  # processes, scopes
TABLES = [
    ("the engine: a minimal record (code, name)", "plain", "coded", "coded50"),
    ("a customer (search entries and history too)", "orm", "customer", "customer50"),
]


def bench(database: str, env: dict, ops: int, repeat: int, tables: list[str]) -> None:
    prepare(env)
    print(f"\n{database}: {ops} operations per run, median of {repeat} runs")
    run = 0
    for title, baseline, one_scope, fifty_scopes in TABLES:
        if (baseline == "plain" and "engine" not in tables) or (
            baseline == "orm" and "customer" not in tables
        ):
            continue
        print(f"\n{title}")
        print(
            f"{'processes':>9}  {'scopes':>6}  {'raw/s':>8}  {baseline + '/s':>8}  {'coded/s':>8}"
            f"  {'coded/' + baseline:>11}  {'coded/raw':>9}"
        )
        for procs, scopes in CONFIGS:
            kind = one_scope if scopes == 1 else fifty_scopes
            figures = defaultdict(list)
            for _ in range(repeat):
                for k in ("raw", baseline, kind):
                    run += 1
                    figures[k].append(timed(env, k, ops, procs, run))
            raw, base, coded = (statistics.median(figures[k]) for k in ("raw", baseline, kind))
            print(
                f"{procs:>9}  {scopes:>6}  {raw:>8.0f}  {base:>8.0f}  {coded:>8.0f}"
                f"  {coded / base:>11.2f}  {coded / raw:>9.2f}",
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
    parser.add_argument(
        "--tables", nargs="+", default=["engine", "customer"], choices=["engine", "customer"]
    )
    args = parser.parse_args()
    from pgcluster import cluster

    with tempfile.TemporaryDirectory(prefix="tracecode-bench-") as folder:
        base = {**os.environ, "TRACECODE_DATA_DIR": folder}
        if "sqlite" in args.database:
            url = f"sqlite:///{folder}/bench.sqlite3"
            bench(
                "sqlite",
                {**base, "TRACECODE_DATABASE_URL": url},
                args.ops,
                args.repeat,
                args.tables,
            )
        if "postgres" in args.database:
            # Default PostgreSQL settings (fsync on), as in PEERS.md.
            with cluster(Path(tempfile.mkdtemp(prefix="tracecode-bench-pg-"))) as url:
                bench(
                    "postgres",
                    {**base, "TRACECODE_DATABASE_URL": url},
                    args.ops,
                    args.repeat,
                    args.tables,
                )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        kind, count, proc, run = sys.argv[2:6]
        worker(kind, int(count), int(proc), int(run))
    elif len(sys.argv) > 1 and sys.argv[1] == "prepare":
        prepare_tables()
    else:
        main()
