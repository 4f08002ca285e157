"""Benchmark of the sheet import: a company's years of records moved in, beside openpyxl
merely reading the same files.

    .venv/bin/python bench/imports.py [--scale 1.0] [--database-url postgres://…]

Four workbooks as a factory brings them (scale 1): 10,000 customers with their old codes
(RK1000 …), 20,000 contacts, 10,000 projects (RK1000-1 …) and 10,000 orders with 50,000 order
lines on a second sheet joined by a ref. Two figures, each measured in its own process of
the same run:
  read    openpyxl's read-only mode merely reading every row of the four files: the floor
  import  `tracecode import KIND FILE` of each, in order (services.run_now: every row checked
          by the app's forms and saved through its services, codes registered, history,
          search entries), all or nothing, one transaction per file
Each prints rows/s and the process's peak memory (VmHWM). Targets of issue 15: import at
least 0.3 of the read rate, peak memory under 300 MB.

The import phase also times what the forms' checking alone takes (`full_clean` of every form
and formset the rows are checked by, outermost call only). An import that reads the file and
checks its rows in the forms can go no faster than read + forms, whatever it saves and
however: the last line prints that ceiling beside the target.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("customers", "contacts", "projects", "orders")
COUNTRIES = ["DE", "FR", "US", "CN", "JP", "GB", "IT", "ES"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()


def write(path: Path, sheets: list[tuple[str, list[str], object]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, header, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    book.save(path)


def generate(folder: Path, scale: float, seed: int = 15) -> dict[str, Path]:
    rng = random.Random(seed)
    customers = int(10_000 * scale)
    codes = [f"RK{1000 + n}" for n in range(customers)]
    paths = {kind: folder / f"{kind}.xlsx" for kind in KINDS}
    write(paths["customers"], [("Customers", ["Code", "Company name", "Country", "City",
                                              "Phone", "Email", "Remark"], (
        [code, f"Customer {n} {rng.choice(['GmbH', 'Ltd', 'SARL', '有限公司'])}",
         rng.choice(COUNTRIES), f"City {n % 300}", f"+49 711 {1000000 + n}",
         f"buyer{n}@customer{n}.example", "从旧表导入" if n % 3 == 0 else ""]
        for n, code in enumerate(codes)))])  # fmt: skip
    write(paths["contacts"], [("Contacts", ["Customer", "Name", "Job title", "Email", "Phone"], (
        [codes[n // 2], f"Contact {n}", "Purchasing", f"contact{n}@customer.example",
         f"+86 138 {10000000 + n}"]
        for n in range(2 * customers)))])  # fmt: skip
    write(paths["projects"], [("Projects", ["Code", "Customer", "Project name", "Enquiry received",
                                            "Customer's request"], (
        [f"{code}-1", code, f"Bracket {n}", f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
         "304 stainless, ±0.05 mm"]
        for n, code in enumerate(codes)))])  # fmt: skip
    orders = (
        [f"o{n}", f"{codes[n]}-1", "sample", f"PO-{n}", "2026-01-15", "2026-03-01"]
        for n in range(customers)
    )
    lines = (
        [f"o{n // 5}", f"PN-{n}", f"spec {n % 7}", 10 + n % 90, "pcs", f"{1 + n % 50}.25"]
        for n in range(5 * customers)
    )
    write(paths["orders"], [
        ("Orders", ["Ref", "Project", "Kind", "Customer's PO no.", "Order date",
                    "Customer's delivery date"], orders),
        ("Order lines", ["Order", "Part number", "Specification", "Quantity", "Unit",
                         "Unit price"], lines),
    ])  # fmt: skip
    return paths


def phase_read(folder: str) -> None:
    from openpyxl import load_workbook

    started = time.perf_counter()
    count = 0
    for kind in KINDS:
        book = load_workbook(Path(folder) / f"{kind}.xlsx", read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _row in sheet.iter_rows(min_row=2, values_only=True):
                count += 1
        book.close()
    report(count, time.perf_counter() - started)


class FormClock:
    """Wall time spent inside forms' and formsets' full_clean, counting only the outermost call
    (a formset's forms clean inside the formset's own clean)."""

    def __init__(self):
        self.seconds = 0.0
        self.depth = 0

    def install(self) -> None:
        from django.forms.forms import BaseForm
        from django.forms.formsets import BaseFormSet

        for cls in (BaseForm, BaseFormSet):
            cls.full_clean = self.timed(cls.full_clean)

    def timed(self, full_clean):
        clock = self

        def timed_full_clean(form):
            clock.depth += 1
            started = time.perf_counter()
            try:
                return full_clean(form)
            finally:
                clock.depth -= 1
                if not clock.depth:
                    clock.seconds += time.perf_counter() - started

        return timed_full_clean


def phase_import(folder: str) -> None:
    setup_django()
    clock = FormClock()
    clock.install()
    from tracecode.accounts.models import User
    from tracecode.codes.services import schemes
    from tracecode.imports import services

    schemes()
    user = User.objects.get(username="bench")
    started = time.perf_counter()
    count = 0
    for kind in KINDS:
        path = Path(folder) / f"{kind}.xlsx"
        run, outcome = services.run_now(user, kind, path.read_bytes(), path.name, commit=True)
        if outcome.failed or not outcome.committed:
            print(f"# {kind}: {[str(p) for p in outcome.problems[:3]]}", file=sys.stderr)
            sys.exit(1)
        count += outcome.done
        print(f"# {kind}: {outcome.done} rows in {outcome.seconds:.1f} s, peak so far"
              f" {peak_memory_mb():.0f} MB, forms so far {clock.seconds:.1f} s",
              file=sys.stderr)  # fmt: skip
    report(count, time.perf_counter() - started, clock.seconds)


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(count: int, seconds: float, forms: float = 0.0) -> None:
    print(f"{count} {seconds:.3f} {peak_memory_mb():.1f} {forms:.3f}", flush=True)


def run_phase(phase: str, folder: Path, env: dict) -> tuple[int, float, float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", phase, str(folder)],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    sys.stderr.write(out.stderr[-3000:])
    out.check_returncode()
    count, seconds, peak, forms = out.stdout.split()
    return int(count), float(seconds), float(peak), float(forms)


def prepare(env: dict) -> None:
    os.environ.update(env)
    setup_django()
    from django.core.management import call_command

    from tracecode.accounts.models import User

    call_command("migrate", verbosity=0)
    from tracecode.customers.models import Customer

    if Customer.objects.exists():  # its rows would be updated, not created: other figures
        sys.exit("The database is not empty (an earlier run?): give an empty one.")
    User.objects.get_or_create(username="bench", defaults={"role": "admin"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1: 10,000 customers …")
    parser.add_argument("--database-url", default="", help="an empty database (default: SQLite)")
    parser.add_argument("--phase", choices=["read", "import"], help=argparse.SUPPRESS)
    parser.add_argument("folder", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "read":
        return phase_read(args.folder)
    if args.phase == "import":
        return phase_import(args.folder)
    with tempfile.TemporaryDirectory(prefix="tracecode-bench-imports-") as name:
        folder = Path(name)
        env = {
            **os.environ,
            "TRACECODE_DATA_DIR": name,
            "DJANGO_SETTINGS_MODULE": "tracecode.settings",
            "TRACECODE_DATABASE_URL": args.database_url or f"sqlite:///{name}/bench.sqlite3",
            "TRACECODE_LOG_LEVEL": "ERROR",
        }
        prepare(env)
        generate(folder, args.scale)
        read = run_phase("read", folder, env)
        imported = run_phase("import", folder, env)
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(f"database: {database}, scale {args.scale}")
        print(f"{'phase':<8}{'rows':>9}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}")
        for label, (count, seconds, peak, _forms) in (("read", read), ("import", imported)):
            print(f"{label:<8}{count:>9}{seconds:>10.1f}{count / seconds:>10.0f}{peak:>10.0f}")
        ratio = (imported[0] / imported[1]) / (read[0] / read[1])
        print(f"import / read: {ratio:.3f} (target 0.3); peak {imported[2]:.0f} MB (target 300)")
        forms = imported[3]
        print(f"of the import, checking rows in the forms: {forms:.1f} s"
              f" ({forms / imported[1]:.0%}); reading and checking alone would reach"
              f" import / read {read[1] / (read[1] + forms):.3f} at most")  # fmt: skip


if __name__ == "__main__":
    main()
