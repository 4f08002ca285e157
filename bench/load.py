"""Load benchmark: simulated users against real app servers on PostgreSQL, files in S3.

    .venv/bin/python bench/load.py [--customers 10000] [--orders 100000] [--users 50]
        [--ramp 100 150 200] [--requests 10] [--workers 2] [--threads 1] [--no-compare]

A throwaway PostgreSQL cluster (scripts/pgcluster.py) is filled with bulk inserts: customers,
two projects each and orders under them (--orders in all), each with its registry code and
search entry; the files go to a bucket of a real S3 server (rclone serve s3 on loopback).
`tracecode serve` (gunicorn with --workers × --threads, and its task worker) answers on a
loopback port. Each simulated user makes --requests requests, pausing 1–3 s between them as
people do, picking from a mix: the header search, a customer page, an order page, an
Everything page, the customer and order lists, an upload through the API, an order created
through the API, and /healthz (the floor: no template, one query). It prints requests per
second and p50/p95 per page:

1. --users (50) against one instance: the goal is p95 <= 250 ms on every page, no error;
2. the ramp (--ramp): more users until p95 passes 500 ms on some page, the saturation point;
3. two instances with --workers each against one with twice as many (the users spread over
   the two), at the last ramp level: what the shared database, storage and queue cost.

Every loop is bounded in count and time; everything is removed at the end.
"""

import argparse
import functools
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

BATCH = 2000
PROJECTS_EACH = 2
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MIX = [  # page, weight
    ("search", 20),
    ("customer", 15),
    ("order", 15),
    ("everything", 15),
    ("list", 10),
    ("upload", 5),
    ("order created", 5),
    ("healthz", 15),
]
PAGES = [page for page, _ in MIX]
# Requests of each page per server before a level is timed (the workers warm), and the
# seconds over which its users arrive: one pause (1–3 s) on average, so that the first
# round of requests comes as spread as every later one.
WARM_UP = 4
ARRIVAL_S = 2.0


# ---------------------------------------------------------------- building the data


def build(customers: int, orders: int) -> None:
    """Migrate and bulk-load the records; prints the API token and a session key of alice."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    import datetime

    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from tracecode.accounts.models import ApiToken, User
    from tracecode.codes.models import CodeEntry, Counter
    from tracecode.codes.services import schemes
    from tracecode.customers.models import Customer
    from tracecode.sales.models import Order, Project
    from tracecode.search.kinds import position
    from tracecode.search.models import Entry, EntryCode

    call_command("migrate", verbosity=0)
    schemes()
    owner = User.objects.create(username="alice", role="sales")
    today = datetime.date(2026, 12, 5)
    orders_each = max(1, orders // (customers * PROJECTS_EACH))

    def entry(kind, code, title, customer_id, record_id, label):
        text = f"{title} steel housing 铝合金外壳 {code}"
        return Entry(kind=kind, position=position(kind), code=code, title=title, text=text,
                     customer_id=customer_id, url=f"/{code}/", date=today, object_type=label,
                     object_id=record_id)  # fmt: skip

    with transaction.atomic():
        rows = {"customer": [], "project": [], "order": []}
        for c in range(1, customers + 1):
            code = f"RK{1000 + c}"
            rows["customer"].append((c, code, c))
            for p in range(1, PROJECTS_EACH + 1):
                pcode = f"{code}-{p}"
                rows["project"].append((len(rows["project"]) + 1, pcode, c))
                for o in range(1, orders_each + 1):
                    rows["order"].append((len(rows["order"]) + 1, f"{pcode}-S{o}", c))
        Customer.objects.bulk_create(
            [Customer(pk=pk, code=code, company_name=f"Customer {code} GmbH", owner=owner,
                      country="DE") for pk, code, _ in rows["customer"]], batch_size=BATCH,
        )  # fmt: skip
        Project.objects.bulk_create(
            [Project(pk=pk, code=code, customer_id=c, name=f"SP{pk}")
             for pk, code, c in rows["project"]], batch_size=BATCH,
        )  # fmt: skip
        Order.objects.bulk_create(
            [Order(pk=pk, code=code, project_id=(pk - 1) // orders_each + 1, kind="sample",
                   delivery_date=today, internal_due_date=today)
             for pk, code, _ in rows["order"]], batch_size=BATCH,
        )  # fmt: skip
        entries, codes = [], []
        for scheme, label in (
            ("customer", "customers.customer"),
            ("project", "sales.project"),
            ("order", "sales.order"),
        ):
            for pk, code, customer_id in rows[scheme]:
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
        with connection.cursor() as cursor:  # the ids were given: the sequences move on
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [Customer, Project, Order]
            ):
                cursor.execute(statement)
    call_command("collectstatic", "--no-input", verbosity=0)
    token = ApiToken.issue(owner, "load benchmark")[1]
    session = SessionStore()
    session[SESSION_KEY] = str(owner.pk)
    session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
    session["_auth_user_backend"] = "tracecode.accounts.backends.ThrottledModelBackend"
    session.create()
    print(token, session.session_key, orders_each)


# ---------------------------------------------------------------- the simulated users


class User:
    """One person: a few requests, a pause of 1–3 s after each, against one server."""

    def __init__(self, url, token, session, customers, orders_each, seed, deadline):
        from tracecode.testing.servers import Http

        self.api = Http(url, token=token)
        self.pages = Http(url, session=session)
        self.customers, self.orders_each = customers, orders_each
        self.random = random.Random(seed)
        self.deadline = deadline
        self.project = None  # where this user's new orders go (made before the clock runs)

    def prepare(self) -> None:
        status, customer = self.api.post_json(
            "/api/customers/", {"company_name": f"Load {self.random.random()}", "country": "CN"}
        )
        assert status == 201, customer
        status, project = self.api.post_json(
            "/api/sales/projects", {"customer": customer["code"], "name": "SP1", "channel": "email"}
        )
        assert status == 201, project
        self.project = project["code"]

    def one(self, page: str) -> int:
        r = self.random
        customer = f"RK{1000 + r.randint(1, self.customers)}"
        project = f"{customer}-{r.randint(1, PROJECTS_EACH)}"
        if page == "search":
            return self.pages.get(f"/search/?q={customer}")[0]
        if page == "customer":
            return self.pages.get(f"/customers/{customer}/")[0]
        if page == "order":
            return self.pages.get(f"/sales/orders/{project}-S{r.randint(1, self.orders_each)}/")[0]
        if page == "everything":
            return self.pages.get(f"/everything/{project}/")[0]
        if page == "list":
            return self.pages.get(r.choice(["/customers/", "/sales/"]))[0]
        if page == "upload":
            files = {"file": (f"drawing {r.randint(1, 10**9)}.pdf", PDF)}
            fields = {"document_type": "Drawing"}
            return self.api.post_files(f"/api/files/of/{project}", files, fields)[0]
        if page == "order created":
            line = {"part_number": "SP1003", "quantity": "200", "unit_price": "2.35"}
            body = {"project": self.project, "kind": "sample", "delivery_date": "2027-06-01",
                    "lines": [line]}  # fmt: skip
            return self.api.post_json("/api/sales/orders", body)[0]
        return self.pages.get("/healthz")[0]

    def run(self, requests: int, record) -> None:
        pages, weights = zip(*MIX, strict=True)
        for _ in range(requests):
            if time.monotonic() > self.deadline:
                return
            page = self.random.choices(pages, weights)[0]
            started = time.perf_counter()
            try:
                status = self.one(page)
            except Exception as error:  # a broken connection is an error of the run
                status = repr(error)
            record(page, time.perf_counter() - started, status)
            time.sleep(self.random.uniform(1, 3))


def level(urls, token, session, customers, orders_each, users, requests, seed, db_cpu=None) -> dict:
    """`users` people spread over `urls`; returns the figures of the level (with `db_cpu`, a
    function giving the database's CPU seconds so far, also its CPU milliseconds a request)."""
    deadline = time.monotonic() + requests * 3 + 120  # every loop bounded in time too
    people = [
        User(urls[n % len(urls)], token, session, customers, orders_each, seed * 1000 + n, deadline)
        for n in range(users)
    ]
    for person in people:
        person.prepare()
    # Before the clock: each page a few times on each server, so that every worker has
    # compiled its templates and opened its database connection (a server that has run a
    # minute), as the figures are meant to show a server at work, not one starting.
    for person in people[: len(urls)]:
        for page in PAGES * WARM_UP:
            person.one(page)
    times, errors, lock = defaultdict(list), [], threading.Lock()

    def record(page, seconds, status):
        with lock:
            times[page].append(seconds)
            if status not in (200, 201, 202):
                errors.append((page, status))

    threads = [threading.Thread(target=p.run, args=(requests, record)) for p in people]
    cpu = db_cpu() if db_cpu else 0.0
    started = time.perf_counter()
    for thread in threads:
        thread.start()
        time.sleep(ARRIVAL_S / users)  # people arrive over one pause, not at once
    for thread in threads:
        thread.join(requests * 3 + 180)
    elapsed = time.perf_counter() - started
    done = sum(len(t) for t in times.values())
    db_ms = (db_cpu() - cpu) * 1000 / done if db_cpu and done else None
    return {"users": users, "requests": done, "rps": done / elapsed, "times": times,
            "errors": errors, "db_ms": db_ms}  # fmt: skip


def database_cpu(folder: Path) -> float:
    """CPU seconds the PostgreSQL cluster in `folder` has used so far: its postmaster and every
    server process, those still running (their own time) and those ended (the postmaster's
    children's time), from /proc."""
    postmaster = int((folder / "data" / "postmaster.pid").read_text().split()[0])
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we read
            continue
        pid, parent = int(stat.parent.name), int(fields[1])
        utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
        if pid == postmaster:
            total += utime + stime + cutime + cstime
        elif parent == postmaster:
            total += utime + stime
    return total / os.sysconf("SC_CLK_TCK")


def quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def worst_p95(figures: dict) -> float:
    return max(quantile(t, 0.95) for t in figures["times"].values())


def show(title: str, figures: dict) -> None:
    print(f"\n{title}: {figures['users']} users, {figures['requests']} requests, "
          f"{figures['rps']:.1f} requests/s, {len(figures['errors'])} errors")  # fmt: skip
    print(f"{'page':>14}  {'requests':>8}  {'p50 ms':>7}  {'p95 ms':>7}")
    for page in PAGES:
        t = figures["times"].get(page, [])
        if t:
            p50, p95 = quantile(t, 0.5) * 1000, quantile(t, 0.95) * 1000
            print(f"{page:>14}  {len(t):>8}  {p50:>7.0f}  {p95:>7.0f}")
    for page, status in figures["errors"][:5]:
        print(f"  error: {page}: {status}")
    if figures.get("db_ms"):
        print(f"PostgreSQL's CPU: {figures['db_ms']:.1f} ms a request")
    sys.stdout.flush()


# ---------------------------------------------------------------- the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--ramp", type=int, nargs="*", default=[100, 150, 200])
    parser.add_argument("--requests", type=int, default=10, help="requests per user")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--threads", type=int, default=1, help="1: tracecode serve's default")
    parser.add_argument("--no-compare", action="store_true", help="skip the two-instance run")
    args = parser.parse_args()

    import subprocess

    from pgcluster import cluster

    from tracecode.testing.s3 import S3Server
    from tracecode.testing.servers import AppServer

    s3 = S3Server()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="tracecode-load-") as folder,
            cluster(pg := Path(tempfile.mkdtemp(prefix="tracecode-load-pg-"))) as url,
        ):
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("TRACECODE_")},
                **s3.environment(),
                "TRACECODE_DATA_DIR": folder,
                "TRACECODE_DATABASE_URL": url,
                "TRACECODE_SECRET_KEY": "load-benchmark-secret-key-0123456789abcdefghijklmnop",
                "TRACECODE_S3_BUCKET": s3.bucket(),
                "TRACECODE_S3_ENDPOINT_URL": s3.endpoint_url,
                "TRACECODE_S3_REGION": "us-east-1",
                "TRACECODE_LOG_LEVEL": "WARNING",
            }
            started = time.perf_counter()
            built = subprocess.run(
                [sys.executable, __file__, "build", str(args.customers), str(args.orders)],
                env=env, check=True, capture_output=True, text=True, timeout=1800,
            )  # fmt: skip
            token, session, orders_each = built.stdout.split()[-3:]
            orders_each = int(orders_each)
            print(f"built {args.customers} customers, {args.customers * PROJECTS_EACH} projects,"
                  f" {args.customers * PROJECTS_EACH * orders_each} orders in"
                  f" {time.perf_counter() - started:.0f} s; machine: {os.cpu_count()} cores,"
                  f" load average {os.getloadavg()[0]:.1f}")  # fmt: skip
            common = (token, session, args.customers, orders_each)
            db_cpu = functools.partial(database_cpu, pg)

            def instances(count: int, workers: int) -> list:
                servers = [AppServer(env, name=f"load{n}", workers=workers, threads=args.threads,
                                     wait=False) for n in range(count)]  # fmt: skip
                for server in servers:
                    server.wait(180)
                return servers

            def stop(servers) -> None:
                for server in servers:
                    server.stop()
                    server.remove()

            servers = instances(1, args.workers)
            try:
                one = [s.url for s in servers]
                goal = level(one, *common, args.users, args.requests, seed=1, db_cpu=db_cpu)
                show(f"one instance, {args.workers} workers × {args.threads} threads", goal)
                p95 = worst_p95(goal)
                verdict = "met" if p95 <= 0.25 and not goal["errors"] else "NOT met"
                print(f"goal ({args.users} users, p95 <= 250 ms on every page, no error): "
                      f"{verdict} (worst p95 {p95 * 1000:.0f} ms)")  # fmt: skip
                saturation = None
                for users in args.ramp:
                    figures = level(one, *common, users, args.requests, users, db_cpu)
                    show("ramp", figures)
                    if worst_p95(figures) > 0.5:
                        saturation = figures
                        break
                if saturation:
                    print(f"saturation: p95 passed 500 ms at {saturation['users']} users, "
                          f"{saturation['rps']:.1f} requests/s")  # fmt: skip
                else:
                    print(f"saturation: not reached up to {args.ramp[-1] if args.ramp else 0}"
                          " users")  # fmt: skip
                busiest = saturation or figures if args.ramp else goal
                if busiest.get("db_ms"):
                    print(f"the database alone: {busiest['db_ms']:.1f} ms of CPU a request, so"
                          f" a database machine of N cores answers at most about"
                          f" {1000 / busiest['db_ms']:.0f} × N requests a second of this mix;"
                          f" the rest of each request's work is the app servers'")  # fmt: skip
            finally:
                stop(servers)
            if args.no_compare or not args.ramp:
                return
            users = saturation["users"] if saturation else args.ramp[-1]
            carried = {}
            for count, workers in ((1, 2 * args.workers), (2, args.workers)):
                servers = instances(count, workers)
                try:
                    figures = level([s.url for s in servers], *common, users, args.requests, 7)
                finally:
                    stop(servers)
                show(f"{count} instance(s) × {workers} workers", figures)
                carried[count] = figures["rps"]
            print(f"two instances × {args.workers} workers carry {carried[2] / carried[1]:.2f}"
                  f" of one instance × {2 * args.workers} workers ({users} users)")  # fmt: skip
    finally:
        s3.stop()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "build":
        build(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
