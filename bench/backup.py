"""Benchmark of backups: 100,000 records and 1 GB of files backed up, verified and restored,
beside the floor measured in the same run on the same data.

    .venv/bin/python bench/backup.py [--records 100000] [--gigabytes 1] [--database sqlite postgres]

The records are customers, projects and orders (1 : 3 : 6), each with its registry code and
its search entry, saved with bulk inserts; the files are random bytes (as incompressible as
the PDFs, photos and Office files of a real store) in 1 MB files under customer folders.
Each figure is the wall time of the command an operator runs, in its own process, until
what it wrote is on the disk (`tracecode backup` syncs its archive; the floor is followed by
`sync`), after a `sync` that is not timed; floor and backup alternate `--repeat` times, the
best floor counts (other work on the machine only ever adds time), and the backup is shown
twice: the first (every file hashed) and the best of the next ones (the hashes of unchanged
files remembered, as in a daily schedule):

  floor backup   sqlite3 `.backup` (or pg_dump -Fc), then `tar -cf` of the files folder
  backup         tracecode backup (database, files, row counts, SHA-256 of every file)
  verify         tracecode backup verify ARCHIVE (a full trial restore into scratch copies)
  floor restore  sqlite3 `.restore` (or createdb + pg_restore), then `tar -xf`
  restore        tracecode restore ARCHIVE into an empty database and folder

Target: backup within 1.5 times its floor. Everything is removed at the end.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

FILE_SIZE = 1 << 20
BATCH = 2000


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()


def build(records: int, files_bytes: int) -> None:
    """Migrate, then load the records and write the files (in the worker's environment)."""
    setup_django()
    import datetime

    from django.core.management import call_command
    from django.db import transaction

    from tracecode.accounts.models import User
    from tracecode.codes.models import CodeEntry, Counter
    from tracecode.codes.services import schemes
    from tracecode.customers.models import Customer
    from tracecode.sales.models import Order, Project
    from tracecode.search.kinds import position
    from tracecode.search.models import Entry, EntryCode

    call_command("migrate", verbosity=0)
    schemes()
    owner = User.objects.create(username="alice", role="sales")
    customers = records // 10
    projects_each, orders_each = 3, 2
    today = datetime.date(2026, 12, 5)

    def entry(kind, code, title, customer_id, record_id, label):
        text = f"{title} steel housing 铝合金外壳 {code}"
        return Entry(kind=kind, position=position(kind), code=code, title=title, text=text,
                     customer_id=customer_id, url=f"/{code}/", date=today, object_type=label,
                     object_id=record_id)  # fmt: skip

    with transaction.atomic():
        rows = {"customer": [], "project": [], "order": []}
        for c in range(1, customers + 1):
            code = f"RK{1000 + c}"
            rows["customer"].append((c, code))
            for p in range(1, projects_each + 1):
                pcode = f"{code}-{p}"
                rows["project"].append((len(rows["project"]) + 1, pcode, c))
                for o in range(1, orders_each + 1):
                    ocode = f"{pcode}-S{o}"
                    rows["order"].append((len(rows["order"]) + 1, ocode, len(rows["project"]), c))
        Customer.objects.bulk_create(
            [Customer(pk=pk, code=code, company_name=f"Customer {code} GmbH", owner=owner)
             for pk, code in rows["customer"]], batch_size=BATCH,
        )  # fmt: skip
        Project.objects.bulk_create(
            [Project(pk=pk, code=code, customer_id=c, name=f"SP{pk}")
             for pk, code, c in rows["project"]], batch_size=BATCH,
        )  # fmt: skip
        Order.objects.bulk_create(
            [Order(pk=pk, code=code, project_id=p, kind="sample", delivery_date=today,
                   internal_due_date=today) for pk, code, p, _ in rows["order"]], batch_size=BATCH,
        )  # fmt: skip
        entries, codes = [], []
        for scheme, label, items in (
            ("customer", "customers.customer", [(pk, code, pk) for pk, code in rows["customer"]]),
            ("project", "sales.project", rows["project"]),
            ("order", "sales.order", [(pk, code, c) for pk, code, _, c in rows["order"]]),
        ):
            for pk, code, customer_id in items:
                parent, _, serial = code.rpartition("-")
                codes.append(CodeEntry(code=code, scheme=scheme, scope=parent,
                                       serial=int(serial.lstrip("RKS") or 0),
                                       parent_code=parent, record_type=label))  # fmt: skip
                entries.append(entry(scheme, code, f"{scheme} {code}", customer_id, pk, label))
        CodeEntry.objects.bulk_create(codes, batch_size=BATCH)
        Counter.objects.create(scheme="customer", scope="", last=1000 + customers)
        made = Entry.objects.bulk_create(entries, batch_size=BATCH)
        EntryCode.objects.bulk_create(
            [EntryCode(entry=e, code=e.code) for e in made], batch_size=BATCH
        )
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    for n in range(files_bytes // FILE_SIZE):
        folder = root / f"RK{1001 + n % customers} Customer" / "Drawing"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"drawing-{n}.pdf").write_bytes(os.urandom(FILE_SIZE))


def timed(command: list[str], env: dict, **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, **kwargs)
    return time.perf_counter() - started


def synced(*commands: list[str], env: dict) -> float:
    """The commands one after the other, then `sync`; timed after an untimed `sync`."""
    subprocess.run(["sync"], check=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    seconds = sum(timed(command, env, **quiet) for command in commands)
    return seconds + timed(["sync"], env)


def pg_tool(name: str) -> str:
    from pgcluster import bin_dir

    return str(bin_dir() / name)


def measure(
    database: str, folder: Path, url: str, records: int, gigabytes: float, repeat: int
) -> dict:
    env = {
        **os.environ,
        "TRACECODE_DATA_DIR": str(folder),
        "TRACECODE_DATABASE_URL": url,
        "TRACECODE_FILES_DIR": str(folder / "files"),
        "TRACECODE_BACKUP_TO": str(folder / "backups"),
    }
    started = time.perf_counter()
    command = [sys.executable, __file__, "build", str(records), str(int(gigabytes * (1 << 30)))]
    subprocess.run(command, env=env, check=True)
    built = time.perf_counter() - started
    files = folder / "files"
    figures = {"database": database, "built": built}
    floor = folder / "floor"
    floor.mkdir()

    # The floor: the database's own tool, then tar of the same files; alternating with ours.
    if database == "sqlite":
        dump = ["sqlite3", url.removeprefix("sqlite:///"), f".backup {floor / 'db.sqlite3'}"]
    else:
        dump = [pg_tool("pg_dump"), "-Fc", "-f", str(floor / "db.pgdump"), url]
    tar = ["tar", "-cf", str(floor / "files.tar"), "-C", str(files), "."]
    ours = [sys.executable, "-m", "tracecode", "backup"]
    floors, backups = [], []
    for attempt in range(repeat):
        if attempt:
            for path in [*floor.iterdir(), *(folder / "backups").iterdir()]:
                path.unlink()
        floors.append(synced(dump, tar, env=env))
        backups.append(synced(ours, env=env))
    figures["floor_backup"], figures["first"] = min(floors), backups[0]
    figures["backup"] = min(backups[1:] or backups)
    [archive] = (folder / "backups").glob("*.tar")
    figures["size"] = archive.stat().st_size
    figures["verify"] = synced([*ours, "verify", str(archive)], env=env)

    # Restore into an empty database and folder: the floor first, then tracecode.
    restored = folder / "restored"
    restored.mkdir()
    untar = ["tar", "-xf", str(floor / "files.tar"), "-C", str(restored)]
    if database == "sqlite":
        load = [["sqlite3", str(restored / "db.sqlite3"), f".restore {floor / 'db.sqlite3'}"]]
        target = f"sqlite:///{folder / 'restored.sqlite3'}"
    else:
        base = url.rsplit("/", 1)[0]
        load = [
            [pg_tool("createdb"), f"--maintenance-db={base}/postgres", "floor"],
            [pg_tool("pg_restore"), "-d", f"{base}/floor", str(floor / "db.pgdump")],
        ]
        timed([pg_tool("createdb"), f"--maintenance-db={base}/postgres", "restored"], env)
        target = f"{base}/restored"
    figures["floor_restore"] = synced(*load, untar, env=env)
    shutil.rmtree(floor)
    shutil.rmtree(restored)

    env_restored = {
        **env,
        "TRACECODE_DATABASE_URL": target,
        "TRACECODE_FILES_DIR": str(folder / "restored-files"),
    }
    figures["restore"] = synced(
        [sys.executable, "-m", "tracecode", "restore", str(archive)], env=env_restored
    )
    return figures


def report(rows: list[dict], records: int, gigabytes: float) -> None:
    print(f"\n{records:,} records and {gigabytes:g} GB of files; seconds (wall time):\n")
    print("| database | floor backup | first backup | next backup | backup / floor | verify "
          "| floor restore | restore | restore / floor | archive |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for f in rows:
        print(
            f"| {f['database']} | {f['floor_backup']:.1f} | {f['first']:.1f} | "
            f"{f['backup']:.1f} | **{f['first'] / f['floor_backup']:.2f} / "
            f"{f['backup'] / f['floor_backup']:.2f}** | {f['verify']:.1f} | "
            f"{f['floor_restore']:.1f} | {f['restore']:.1f} | "
            f"{f['restore'] / f['floor_restore']:.2f} | {f['size'] / 1e9:.2f} GB |"
        )
    print("\n(data built in " + ", ".join(f"{f['built']:.0f} s" for f in rows) + ")")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=2, help="floor and backup runs each")
    parser.add_argument(
        "--database", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    args = parser.parse_args()
    from pgcluster import cluster

    rows = []
    for database in args.database:
        folder = Path(tempfile.mkdtemp(prefix="tracecode-bench-backup-"))
        try:
            if database == "sqlite":
                url = f"sqlite:///{folder / 'bench.sqlite3'}"
                rows.append(
                    measure(database, folder, url, args.records, args.gigabytes, args.repeat)
                )
            else:
                with cluster(Path(tempfile.mkdtemp(prefix="tracecode-bench-pg-"))) as url:
                    rows.append(
                        measure(
                            "postgresql", folder, url, args.records, args.gigabytes, args.repeat
                        )
                    )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    report(rows, args.records, args.gigabytes)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "build":
        build(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
