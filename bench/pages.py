"""Benchmark of the pages at the size of a real trading company, beside the home page.

    .venv/bin/python bench/pages.py [--db sqlite postgres] [--scale 1.0] [--runs 20]
                                    [--clients 10] [--rounds 5]

Builds, with bulk inserts (bench/reports.py's company, `--scale` 1.0: 10,010 customers,
40,040 projects, 30,030 quotations, 100,000 orders with 300,000 lines, their payments,
3,000 complaints, 50,050 communication log entries), plus 30,030 contacts and one customer
of the salesperson with 240 orders more (the customer sheet and everything page of a big
customer), every code in the code registry, the search index built by `tracecode search
reindex`'s own function and the customers' kept figures by `tracecode figures`', in a fresh
SQLite file (WAL) or a throwaway PostgreSQL cluster (scripts/pgcluster.py, default settings).

Then it opens every list, detail, everything, search, export and API-list page through
Django's test client (view, queries, template: the whole answer), `--runs` times each, as the
manager (who sees every customer) and as a salesperson (who sees a tenth), and prints the
queries, p50 and p95 of each beside the home page measured in the same run. Last, it serves
the same database with `tracecode serve` (two workers) and lets `--clients` people at once
open those pages `--rounds` times each, and prints p95 per page. Targets (issue 23): p95 ≤
150 ms sequential and ≤ 500 ms with ten clients at once. A list longer than
TRACECODE_EXPORT_DIRECT_ROWS is exported in the background: the export page answers with its
start page, and the background exports are timed apart (rows a second, peak memory).
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_MS, CONCURRENT_TARGET_MS = 150.0, 500.0
CUSTOMERS, ORDERS = 10_010, 100_000
BIG_ORDERS = 240  # more orders of one customer (the issue's sheet had 248)
BATCH = 5000
SECRET = "pages-benchmark-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"


def build(scale: float) -> tuple[dict, dict, float]:
    """The company of bench/reports.py, contacts, a big customer, codes, the search index and
    the kept figures. Returns the users, what was built and the seconds it took."""
    import reports as company  # bench/reports.py
    from django.core.management.color import no_style
    from django.db import connection
    from django.utils import timezone

    from tracecode.codes.models import CodeEntry, Counter
    from tracecode.customers import standing
    from tracecode.customers.models import Contact, Customer
    from tracecode.sales.models import Order, OrderLine, Project, Quotation
    from tracecode.search import index

    started = time.perf_counter()
    customers, orders = max(20, round(CUSTOMERS * scale)), max(200, round(ORDERS * scale))
    users, _seconds = company.build(customers, orders)
    Contact.objects.bulk_create(
        (Contact(customer_id=c, code=f"RK{999 + c}-C0{n}", name=f"Buyer {c}-{n}",
                 email=f"buyer{c}.{n}@example.com", is_main=n == 1)
         for c in range(1, customers + 1) for n in range(1, 4)),
        batch_size=BATCH,
    )  # fmt: skip
    # The salesperson's first customer (RK1000, project RK1000-1) gets BIG_ORDERS orders more.
    today = timezone.localdate()
    big, lines = [], []
    for n in range(BIG_ORDERS):
        on = today - datetime.timedelta(days=3 * n)
        big.append(Order(
            pk=orders + n + 1, code=f"RK1000-1-M{500 + n}", project_id=1, kind="mass",
            ordered_on=on, delivery_date=on + datetime.timedelta(35),
            internal_due_date=on + datetime.timedelta(35), confirmed_on=on, state="closed",
            currency="USD", total=Decimal("2500.00"), paid=Decimal("2500.00"),
        ))  # fmt: skip
        lines += [
            OrderLine(order_id=orders + n + 1, position=p, part_number=f"BIG{n}-{p}",
                      quantity=500, unit_price=Decimal("1.67"))
            for p in range(3)
        ]  # fmt: skip
    Order.objects.bulk_create(big, batch_size=BATCH)
    OrderLine.objects.bulk_create(lines, batch_size=BATCH)
    registered = _register_codes(CodeEntry, Counter, customers, Customer, Project, Quotation,
                                 Order, Contact)  # fmt: skip
    with connection.cursor() as cursor:  # the ids were given: the sequences move on
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Customer, Project, Quotation, Order, OrderLine, Contact]
        ):
            cursor.execute(statement)
    built = time.perf_counter()
    entries = index.reindex(None, batch=2000)
    indexed = time.perf_counter()
    standing.refresh_all()
    figured = time.perf_counter()
    # What an order that moves its customer's value adds to its transaction at most: the
    # customer's value, then every class ranked again.
    Customer.objects.filter(pk=2).update(value_12m=0)
    standing.refresh([2])
    reranked = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum does to tables filled a minute ago, before the clock runs (and so
            # not while it runs): the visibility map, without which a count off an index reads
            # the table too (the home page: 167 / 175 ms p95 just after a build, about 100
            # vacuumed), and the planner's statistics.
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")  # as PRAGMA optimize does
    facts = {
        "customers": customers, "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(), "contacts": Contact.objects.count(),
        "codes": registered, "entries": entries, "rows s": built - started,
        "index s": indexed - built, "figures s": figured - indexed,
        "order s": reranked - figured,
    }  # fmt: skip
    return users, facts, time.perf_counter() - started


def _register_codes(CodeEntry, Counter, customers, *models) -> int:
    """Every record's code in the registry, as allocate_code() would have written it."""
    labels = {m: m._meta.label_lower for m in models}
    schemes = {"customer": "customer", "project": "project", "quotation": "quotation",
               "order": "order", "contact": "contact"}  # fmt: skip
    count = 0
    for model in models:
        scheme = schemes[model._meta.model_name]
        rows = []
        for code in model.objects.values_list("code", flat=True).iterator(chunk_size=BATCH):
            parent, _, last = code.rpartition("-")
            serial = int(re.sub(r"\D", "", last) or 0)
            rows.append(CodeEntry(code=code, scheme=scheme, scope=parent, serial=serial,
                                  parent_code=parent, record_type=labels[model]))  # fmt: skip
            if len(rows) == BATCH:
                CodeEntry.objects.bulk_create(rows)
                count, rows = count + len(rows), []
        CodeEntry.objects.bulk_create(rows)
        count += len(rows)
    Counter.objects.create(scheme="customer", scope="", last=999 + customers)
    return count


def pages(users: dict) -> dict[str, dict[str, str]]:
    """Per user: label → URL. The deep orders page is page 200 or the last one there is."""
    from tracecode.core.paging import KeyedPaginator
    from tracecode.sales.lists import filter_orders
    from tracecode.sales.models import Order, Quotation

    found = {}
    for who, user in users.items():
        visible = Order.objects.visible_to(user).count()
        deep = max(2, min(200, (visible + 49) // 50))
        # "Next" from the page before carries the key of its last order.
        key = KeyedPaginator(filter_orders(user, {}), 50).get_page(deep - 1).next_key
        order = Order.objects.visible_to(user).filter(project_id=1).first()
        quotation = Quotation.objects.visible_to(user).order_by("pk").first()
        found[who] = {
            "home": "/",
            "customers list": "/customers/",
            "customers list, page 40": "/customers/?page=40",
            "customers by last contact": "/customers/?sort=-last_contact",
            "customers of class A": "/customers/?contribution=A",
            "customer sheet (248 orders)": "/customers/RK1000/",
            "everything of RK1000": "/everything/RK1000/",
            "projects list": "/sales/projects/",
            "orders list": "/sales/",
            f"orders list, page {deep}": f"/sales/?page={deep}",
            f"orders list, page {deep} by Next": f"/sales/?page={deep}&after={key}",
            "order": f"/sales/orders/{order.code}/",
            "quotation": f"/sales/quotations/{quotation.code}/",
            "search a code": "/search/?q=RK1038",
            "search words": "/search/?q=housing",
            "API customers ?limit=50": "/api/customers/?limit=50",
            "API orders ?limit=50": "/api/sales/orders?limit=50",
            "customers export .xlsx (start)": "/imports/customers/export.xlsx",
        }
    return found


def timed(function, runs: int) -> tuple[float, float]:
    """p50 and p95 of the wall time in milliseconds, after a warm-up call."""
    function()
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        walls.append((time.perf_counter() - started) * 1000)
    walls.sort()
    return statistics.median(walls), walls[max(0, round(len(walls) * 0.95) - 1)]


def sequential(users: dict, urls: dict, runs: int) -> None:
    from django.db import connection
    from django.test import Client

    from tracecode.accounts.models import ApiToken

    print(f"\n{'page':<30} {'who':<8} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'× home':>7}")
    worst = {}
    for who, user in users.items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        api = Client(SERVER_NAME="localhost",
                     HTTP_AUTHORIZATION="Bearer " + ApiToken.issue(user, "bench")[1])  # fmt: skip
        home = None
        for label, url in urls[who].items():
            c = api if url.startswith("/api/") else client
            response = c.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries = []

            def count(run, sql, *args, queries=queries):
                queries.append(sql)
                return run(sql, *args)

            with connection.execute_wrapper(count):
                c.get(url)
            p50, p95 = timed(lambda u=url, c=c: c.get(u), runs)
            home = home or p95
            verdict = "ok" if p95 <= TARGET_MS else "MISSED"
            worst[(label, who)] = p95
            print(f"{label:<30} {who:<8} {len(queries):>7} {p50:>8.1f} {p95:>8.1f}"
                  f" {p95 / home:>7.1f}   {verdict}", flush=True)  # fmt: skip
    missed = [f"{label} ({who})" for (label, who), p95 in worst.items() if p95 > TARGET_MS]
    print(f"slowest p95 {max(worst.values()):.0f} ms (target ≤ {TARGET_MS:.0f} ms); "
          f"missed: {', '.join(missed) or 'none'}")  # fmt: skip


def exports(users: dict) -> None:
    """The exports a list page starts in the background, run as the task worker runs them:
    rows, seconds, rows a second, and the peak of memory Python allocated while writing
    (tracemalloc, in a second run: it slows the writing down)."""
    import tracemalloc

    from tracecode.imports import services
    from tracecode.imports.models import ExportRun

    print(
        f"\n{'background export':<30} {'who':<8} {'rows':>8} {'s':>7} {'rows/s':>8} {'peak MB':>8}"
    )
    for kind, who in (("customers", "manager"), ("customers", "sales"), ("orders", "sales")):
        run = services.start_export(users[who], kind, "", "xlsx", enqueue=False)
        started = time.perf_counter()
        services.execute_export(run.pk)
        seconds = time.perf_counter() - started
        run = ExportRun.objects.get(pk=run.pk)
        assert run.status == "done", run.error
        again = services.start_export(users[who], kind, "", "xlsx", enqueue=False)
        tracemalloc.start()
        services.execute_export(again.pk)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(f"{kind + ' .xlsx':<30} {who:<8} {run.total:>8} {seconds:>7.1f}"
              f" {run.total / seconds:>8.0f} {peak:>8.1f}", flush=True)  # fmt: skip


def concurrent(
    users: dict, urls: dict, clients: int, rounds: int, env: dict, threads_each: int = 4
) -> None:
    """`clients` people at once (half manager, half salesperson), each opening every page
    (the export aside) `rounds` times in a shuffled order, against `tracecode serve`."""
    import random

    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from tracecode.accounts.models import ApiToken
    from tracecode.testing.servers import AppServer, Http

    sessions, tokens = {}, {}
    for who, user in users.items():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["_auth_user_backend"] = "tracecode.accounts.backends.ThrottledModelBackend"
        session.create()
        sessions[who], tokens[who] = session.session_key, ApiToken.issue(user, "bench")[1]
    server = AppServer(env, name="pages", workers=2, threads=threads_each, task_worker=False)
    times, errors, lock = defaultdict(list), [], threading.Lock()

    def person(n: int) -> None:
        who = list(users)[n % len(users)]
        http = Http(server.url, session=sessions[who])
        api = Http(server.url, token=tokens[who])
        chosen = [(label, url) for label, url in urls[who].items() if "export" not in label]
        rng = random.Random(n)
        for _ in range(rounds):
            rng.shuffle(chosen)
            for label, url in chosen:
                started = time.perf_counter()
                status = (api if url.startswith("/api/") else http).get(url)[0]
                with lock:
                    times[label].append((time.perf_counter() - started) * 1000)
                    if status != 200:
                        errors.append((label, status))

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=person, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(1800)
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
        server.remove()
    done = sum(len(t) for t in times.values())
    print(
        f"\n{clients} clients at once against `tracecode serve`"
        f" (2 workers × {threads_each} threads): "
        f"{done} requests in {elapsed:.0f} s ({done / elapsed:.1f}/s), {len(errors)} errors"
    )
    print(f"{'page':<30} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'× home':>7}")
    home = statistics.quantiles(times["home"], n=20)[-1] if len(times["home"]) > 1 else 1
    worst = 0.0
    order = [label for who in users for label in urls[who]]
    for label, values in sorted(times.items(), key=lambda item: order.index(item[0])):
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
        worst = max(worst, p95)
        verdict = "ok" if p95 <= CONCURRENT_TARGET_MS else "MISSED"
        print(f"{label:<30} {len(values):>8} {statistics.median(values):>8.0f} {p95:>8.0f}"
              f" {p95 / home:>7.1f}   {verdict}")  # fmt: skip
    for label, status in errors[:5]:
        print(f"  error: {label}: {status}")
    print(f"slowest p95 {worst:.0f} ms (target ≤ {CONCURRENT_TARGET_MS:.0f} ms)", flush=True)


def worker(
    database: str, scale: float, runs: int, clients: int, rounds: int, threads: int, only: str
) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    import warnings

    from django.core.management import call_command

    warnings.filterwarnings("ignore", "No directory at")  # static files: not what is timed

    call_command("migrate", verbosity=0)
    from tracecode.accounts.models import User
    from tracecode.customers.models import Customer

    if Customer.objects.exists():  # --data: built by an earlier run
        users = {"manager": User.objects.get(username="mia"),
                 "sales": User.objects.get(username="sales0")}  # fmt: skip
        facts = {"customers": Customer.objects.count(), "contacts": 0, "orders": 0, "lines": 0,
                 "codes": 0, "entries": 0, "rows s": 0, "index s": 0, "figures s": 0,
                 "order s": 0}  # fmt: skip
        seconds = 0.0
    else:
        users, facts, seconds = build(scale)
    print(
        f"\n{database}, scale {scale}: {facts['customers']:,} customers, {facts['contacts']:,}"
        f" contacts, {facts['orders']:,} orders, {facts['lines']:,} lines, {facts['codes']:,}"
        f" codes, {facts['entries']:,} search entries, built in {seconds:.0f} s (rows"
        f" {facts['rows s']:.0f} s, search index {facts['index s']:.0f} s, kept figures"
        f" {facts['figures s']:.1f} s; an order's refresh and ranking"
        f" {facts['order s'] * 1000:.0f} ms); load average {os.getloadavg()[0]:.1f} on"
        f" {os.cpu_count()} cores",
        flush=True,
    )
    urls = pages(users)
    if only:  # --only: the pages whose label matches, and the home page to compare with
        urls = {who: {label: url for label, url in each.items()
                      if label == "home" or re.search(only, label)}
                for who, each in urls.items()}  # fmt: skip
    sequential(users, urls, runs)
    if not only:
        exports(users)
    if clients:
        concurrent(users, urls, clients, rounds, dict(os.environ), threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"],
                        choices=["sqlite", "postgres"])  # fmt: skip
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 10,010 customers")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page and user")
    parser.add_argument("--clients", type=int, default=10, help="0: no concurrent run")
    parser.add_argument("--rounds", type=int, default=3, help="pages per client, each")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker of the served app (1: tracecode serve's default)",
    )
    parser.add_argument("--data", type=Path, help="keep the SQLite database here (and reuse it)")
    parser.add_argument("--only", default="", help="time only the pages whose label matches this"
                        " regular expression (and the home page); no export run")  # fmt: skip
    args = parser.parse_args()
    from pgcluster import cluster

    def run(database: str, env: dict) -> None:
        command = [sys.executable, __file__, "worker", database, str(args.scale), str(args.runs),
                   str(args.clients), str(args.rounds), str(args.threads), args.only]  # fmt: skip
        subprocess.run(command, env=env, check=True)

    with tempfile.TemporaryDirectory(prefix="tracecode-pages-") as temporary:
        folder = args.data or temporary
        base = {
            **{k: v for k, v in os.environ.items() if not k.startswith("TRACECODE_")},
            "TRACECODE_DATA_DIR": folder,
            "TRACECODE_SECRET_KEY": SECRET,  # the server reads the sessions this process makes
            "TRACECODE_LOG_LEVEL": "WARNING",
        }
        if "sqlite" in args.db:
            run("sqlite", {**base, "TRACECODE_DATABASE_URL": f"sqlite:///{folder}/pages.sqlite3"})
        if "postgres" in args.db:
            with cluster(Path(tempfile.mkdtemp(prefix="tracecode-pages-pg-"))) as url:
                run("postgresql", {**base, "TRACECODE_DATABASE_URL": url})


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
               int(sys.argv[6]), int(sys.argv[7]), sys.argv[8])  # fmt: skip
    else:
        main()
