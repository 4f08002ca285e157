"""Benchmark of the one-box search: latency of `search()` beside the database's own floor.

    .venv/bin/python bench/search.py [--entries 1000000] [--queries 200]
                                     [--database sqlite postgres]

Builds, with bulk inserts, an export company of 10,000 customers (one per 100 entries),
100,000 projects and orders and 1,000,000 indexed entries (quotations, PI/CI/PL documents,
complaints, files, mails, WhatsApp messages and communication-log notes, in English and
Chinese), in a fresh SQLite file (WAL, `synchronous=NORMAL`) and a throwaway PostgreSQL
cluster with default settings. Then, as a
sales user who sees a tenth of the customers, it times each kind of query through
`tracecode.search.services.search` (the function behind the header box, the results page
and the API: query understanding, permissions inside the query, grouping, counts, excerpts,
highlighting) and prints p50 and p95 beside the floor measured in the same run on the same
data: the bare index lookup through the database driver, first 50 rows, no permissions,
no grouping (on SQLite exactly the floor of ../shared/PEERS.md: stdlib sqlite3, the FTS5
trigram index and a B-tree on codes).
"""

import argparse
import datetime
import importlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

BATCH = 20_000  # entries per insert batch: memory stays flat whatever --entries is
SAMPLE_LIMIT = 20  # hits per group, as on the results page
# p95 targets (issue 13), milliseconds, on both databases: exact codes and prefixes, and every
# full-text query.
TARGETS = {"code": 5.0, "text": 25.0}


def _words(text: str) -> list[str]:
    return text.split()


# ---------------------------------------------------------------- the synthetic company

ENGLISH = _words("""
bracket housing flange shaft bushing gear spacer washer bolt nut pin valve cover plate sleeve
fitting connector hinge clamp rail manifold impeller nozzle coupling bearing seat cap ring
stainless steel aluminium brass copper titanium nylon zinc carbon alloy casting forging
machining turning milling anodizing passivation plating polishing welding stamping grinding
deburring tolerance drawing revision sample shipment inspection report quantity delivery
invoice payment deposit balance packing carton pallet container vessel port approval quotation
price unit mould tooling confirm urgent attached regards thanks please schedule production
material certificate thread surface finish hardness dimension flatness roughness concentricity
batch lot label barcode customs freight forwarder airway courier express warehouse stock
order enquiry feedback complaint rework scratch rust burr crack deviation measurement gauge
fixture prototype trial signature contract terms incoterms booking loading discharge
""")
CHINESE = _words("""
不锈钢 铝合金 黄铜 紫铜 钛合金 支架 外壳 法兰 轴套 齿轮 垫片 螺栓 螺母 阀门 盖板 衬套 接头
铰链 夹具 导轨 叶轮 喷嘴 联轴器 轴承 样品 发货 图纸 版本 公差 检验 报告 数量 交期 发票 付款
定金 尾款 包装 纸箱 托盘 集装箱 港口 确认 报价 单价 模具 加急 客户 投诉 返工 表面处理 阳极氧化
钝化 电镀 抛光 热处理 去毛刺 数控加工 车削 铣削 压铸 冲压 锻造 焊接 质量问题 尺寸超差 划伤
生锈 请查收 附件 谢谢 订单 合同 形式发票 装箱单 商业发票 出货 验货 材质证明 硬度 粗糙度 平面度
螺纹 批次 标签 报关 货代 快递 仓库 库存 首件 试产 量产 签样 宁波港 上海港 海运 空运 船期
""")
FOREIGN = _words("""
Nordwerk Rheintal Lyon Baltic Pacific Andes Alpine Tokai Delta Vega Keystone Orion Lakeside
Meridian Falcon Harbor Summit Cascade Aurora Granite Polar Sierra Atlas Nova Zenith Boreal
""")
FIELDS = _words("""
Automotive Precision Medical Aerospace Hydraulics Robotics Marine Instruments Motion Energy
Dental Optics Fluidtech Pumps Tools
""")
FORMS = ["GmbH", "SARL", "Ltd", "Inc.", "S.p.A.", "B.V.", "AB", "LLC", "Pty Ltd", "S.A."]
CITIES = _words("宁波 苏州 东莞 深圳 杭州 无锡 常州 温州 佛山 青岛 厦门 天津")
BRANDS = _words("华远 恒通 精工 博瑞 永固 鑫达 天成 中科 海德 瑞丰 盛泰 宏图 金鹰 联创")
TRADES = _words("汽车零部件 医疗器械 精密机械 电子科技 液压设备 五金制品 光电科技 机电设备")
FIRST = _words("Jonas Marie Luca Emma Noah Sofia Lukas Anna Oliver Mia Paul Clara Hugo Elena")
LAST = _words("Weber Dubois Rossi Jansen Berg Novak Keller Laurent Moreau Fischer Costa Silva")
SURNAMES = _words("王 李 张 刘 陈 杨 黄 赵 周 吴 徐 孙 马 朱 胡")
GIVEN = _words("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 霞 平 刚 桂英")
PARTS = [("bracket", "支架"), ("housing", "外壳"), ("flange", "法兰"), ("shaft", "轴"),
         ("bushing", "轴套"), ("valve body", "阀体"), ("cover plate", "盖板"),
         ("manifold", "集成块"), ("impeller", "叶轮"), ("heat sink", "散热器")]  # fmt: skip
MATERIALS = [("stainless steel", "不锈钢"), ("aluminium", "铝合金"), ("brass", "黄铜")]
FILE_NAMES = ["drawing rev B.pdf", "inspection report.xlsx", "3D model.step", "图纸.pdf",
              "packing photos.zip", "material certificate.pdf", "quotation.xlsx"]  # fmt: skip
CHAT_EN = [
    "final inspection tomorrow morning",
    "please send the packing photos",
    "the samples left the factory today",
    "can you confirm the delivery date",
    "drawing received, we will check the tolerance",
    "payment done, please check",
    "the container is booked for next week",
    "any update on the mass production",
]
CHAT_ZH = [
    "检验报告明天发给您",
    "请确认交期",
    "样品今天寄出",
    "货已经装柜了",
    "图纸收到了，我们看一下公差",
    "定金已付，请查收",
    "法兰的平面度已经复测",
    "下周安排验货",
]
SUBJECTS = ["sample shipment", "drawing question", "payment reminder", "样品发货", "报价确认",
            "quality feedback", "PI confirmation", "交期"]  # fmt: skip

# Entries of each kind per million: about 100,000 projects and orders, as the issue says.
MIX = {
    "customer": 10_000,
    "contact": 20_000,
    "project": 50_000,
    "quotation": 30_000,
    "order": 50_000,
    "document": 150_000,
    "complaint": 5_000,
    "file": 230_000,
    "mail": 360_000,
    "chat": 80_000,
    "log": 15_000,
}
EPOCH = datetime.date(2024, 1, 1)


class Company:
    """The dataset, generated on the fly from a seed (no file, flat memory)."""

    def __init__(self, entries: int, seed: int = 1038):
        self.rng = random.Random(seed)
        scale = entries / sum(MIX.values())
        self.counts = {kind: max(1, round(n * scale)) for kind, n in MIX.items()}
        self.customers = self.counts["customer"]
        self.projects = max(1, self.counts["project"] // self.customers)  # per customer
        self.orders = max(1, self.counts["order"] // self.customers)  # per customer
        self._en = [1 / (rank + 1) ** 0.9 for rank in range(len(ENGLISH))]  # a long tail
        self._zh = [1 / (rank + 1) ** 0.9 for rank in range(len(CHINESE))]

    def company_name(self, i: int) -> str:
        r = random.Random(i)
        if i % 3 == 0:
            return f"{r.choice(CITIES)}{r.choice(BRANDS)}{r.choice(TRADES)}有限公司"
        return f"{r.choice(FOREIGN)} {r.choice(FIELDS)} {r.choice(FORMS)}"

    def person(self, chinese: bool) -> tuple[str, str]:
        rng = self.rng
        if chinese:
            return rng.choice(SURNAMES) + rng.choice(GIVEN), f"wl{rng.randrange(100, 999)}@163.com"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        return f"{first} {last}", f"{first.lower()}.{last.lower()}@example.com"

    def english(self, n: int) -> str:
        return " ".join(self.rng.choices(ENGLISH, self._en, k=n))

    def chinese(self, n: int) -> str:
        chunks = self.rng.choices(CHINESE, self._zh, k=n)
        return "，".join("".join(chunks[i : i + 4]) for i in range(0, n, 4)) + "。"

    def text(self, n: int) -> str:
        """English, Chinese, or both (mails often mix them)."""
        pick = self.rng.random()
        if pick < 0.55:
            return self.english(n)
        if pick < 0.85:
            return self.chinese(n)
        return f"{self.english(n // 2)} {self.chinese(n // 2)}"

    def order_of(self, k: int) -> tuple[str, str, str]:
        """(customer, project, order) codes of a random order of customer k."""
        customer = f"RK{1000 + k}"
        p = self.rng.randrange(1, self.projects + 1)
        o = self.rng.randrange(1, max(1, self.orders // self.projects) + 1)
        order = f"{customer}-{p}-S1" if o == 1 else f"{customer}-{p}-M{o - 1}"
        return customer, f"{customer}-{p}", order

    def customer_rows(self):
        """(pk, code, company name); pk 1 is RK1000."""
        for i in range(self.customers):
            yield i + 1, f"RK{1000 + i}", self.company_name(i)

    def entries(self):
        """Every entry: (kind, code, title, text, parents, customer_id, url, date, codes).

        `codes` are those it is found under (its own, its parents', the ones its text
        mentions), as tracecode.search.index writes them. Kinds are interleaved as in a real
        index and dates grow with the entry's id.
        """
        streams = {kind: iter(self._rows(kind)) for kind in MIX}
        left = dict(self.counts)
        total = sum(left.values())
        for n in range(total):
            kind = self.rng.choices(list(left), list(left.values()))[0]
            row = next(streams[kind])
            left[kind] -= 1
            if not left[kind]:
                del left[kind]
            yield (*row[:7], EPOCH + datetime.timedelta(days=n * 1000 // total), row[7])

    def _rows(self, kind: str):
        rng, customers = self.rng, self.customers
        for n in range(self.counts[kind]):
            k = n % customers
            customer = f"RK{1000 + k}"
            round_ = n // customers + 1  # the how-manieth of its kind for this customer
            if kind == "customer":
                person, email = self.person(k % 3 == 0)
                yield ("customer", customer, self.company_name(k),
                       f"{person} {email} {self.text(12)}", "", k + 1, f"/customers/{customer}/",
                       [customer])  # fmt: skip
            elif kind == "contact":
                code = f"{customer}-C{round_:02d}"
                person, email = self.person(k % 3 == 0)
                yield ("contact", code, person, f"{email} +86 138 {rng.randrange(10**7, 10**8)}",
                       customer, k + 1, f"/customers/{customer}/#contacts",
                       [code, customer])  # fmt: skip
            elif kind == "project":
                code = f"{customer}-{round_}"
                part, part_zh = rng.choice(PARTS)
                material, material_zh = rng.choice(MATERIALS)
                title = f"SP{1000 + n} {material} {part} {material_zh}{part_zh}"
                yield ("project", code, title, self.text(20), customer, k + 1,
                       f"/sales/projects/{code}/", [code, customer])  # fmt: skip
            elif kind == "log":
                note = self.text(15)
                yield ("log", customer, f"Call · {note[:80]}", note, "", k + 1,
                       f"/customers/{customer}/#communication", [customer])  # fmt: skip
            elif kind == "order":
                p = (round_ - 1) % self.projects + 1
                o = (round_ - 1) // self.projects + 1
                project = f"{customer}-{p}"
                code = f"{project}-S1" if o == 1 else f"{project}-M{o - 1}"
                title = f"{'Sample' if o == 1 else 'Mass'} order {code} {rng.choice(PARTS)[0]}"
                yield ("order", code, title, self.text(20), f"{customer} {project}", k + 1,
                       f"/sales/orders/{code}/", [code, customer, project])  # fmt: skip
            else:
                yield self._filed(kind, k, n)

    def _filed(self, kind: str, k: int, n: int):
        """A quotation, document, complaint, file or mail filed under an order."""
        customer, project, order = self.order_of(k)
        parents, codes = f"{customer} {project}", [order, customer, project]
        if kind == "quotation":
            code = f"{project}-Q{n // self.customers + 1}"
            return ("quotation", code, f"Quotation {code}", self.text(15), parents, k + 1,
                    f"/sales/quotations/{code}/", [code, customer, project])  # fmt: skip
        if kind == "document":
            name = ("PI", "CI", "PL")[n % 3]
            return ("document", order, f"{name} {order}", self.text(25), parents, k + 1,
                    f"/sales/orders/{order}/#{name}", codes)  # fmt: skip
        if kind == "complaint":
            return ("complaint", order, f"Complaint {order}", self.text(30), parents, k + 1,
                    f"/sales/orders/{order}/#complaints", codes)  # fmt: skip
        if kind == "file":
            title = f"{order} {FILE_NAMES[n % len(FILE_NAMES)]}"
            return ("file", order, title, self.text(40), parents, k + 1, f"/files/{n + 1}/",
                    codes)  # fmt: skip
        if kind == "chat":
            person, _email = self.person(k % 3 == 0)
            chinese = self.rng.random() < 0.5
            words = self.rng.choice(CHAT_ZH if chinese else CHAT_EN)
            text = f"{words}{'，' if chinese else ' '}{self.text(6)}"
            return ("chat", order, f"{person}: {text[:120]}", f"{person}\n{text}", parents, k + 1,
                    f"/mail/chats/{n + 1}/#m{n + 1}", codes)  # fmt: skip
        body = self.text(35)
        if n % 4 == 0:  # a quarter of the mails mention another order in their body
            mentioned = self.order_of(k)[2]
            body = f"{body} see also {mentioned} {self.text(10)}"
            codes = list(dict.fromkeys([*codes, mentioned]))
        title = f"Re: {order} {SUBJECTS[n % len(SUBJECTS)]}"
        return ("mail", order, title, body, parents, k + 1, f"/mail/{n + 1}/", codes)


# ---------------------------------------------------------------- loading it


def build(company: Company) -> tuple[object, float]:
    """Users, customers (through the ORM) and entries (bulk, through the driver).

    Returns the sales user who sees a tenth of the customers, and the seconds it took.
    """
    from django.db import connection

    from tracecode.accounts.models import User
    from tracecode.codes.services import schemes
    from tracecode.customers.models import Customer, CustomerShare

    started = time.perf_counter()
    schemes()  # the REKO preset, as on a fresh installation
    users = User.objects.bulk_create([User(username=f"sales{i}", role="sales") for i in range(10)])
    # sales0 owns nine of every hundred customers and sees one more through a share.
    customers = []
    for pk, code, name in company.customer_rows():
        owner = users[(pk - 1) % 10]
        if owner is users[0] and pk % 100 == 1:
            owner = users[1]
        customers.append(Customer(pk=pk, code=code, company_name=name, owner=owner))
    Customer.objects.bulk_create(customers, batch_size=2000)
    shares = [CustomerShare(customer_id=pk, user=users[0]) for pk in range(1, company.customers + 1)
              if (pk - 1) % 10 == 0 and pk % 100 == 1]  # fmt: skip
    CustomerShare.objects.bulk_create(shares)
    loader = _load_sqlite if connection.vendor == "sqlite" else _load_postgresql
    loader(connection, company)
    return users[0], time.perf_counter() - started


def _rows(company: Company):
    """Batches of (entry rows, code rows), entry ids from 1."""
    from tracecode.search.cjk import grams
    from tracecode.search.kinds import position

    entries, codes = [], []
    for number, (kind, code, title, text, parents, customer, url, date, found) in enumerate(
        company.entries(), start=1
    ):
        entries.append((number, kind, position(kind), code, title, text, grams(title, text),
                        parents, customer, url, date, f"bench.{kind}", number))  # fmt: skip
        codes.extend((number, c) for c in found)
        if len(entries) == BATCH:
            yield entries, codes
            entries, codes = [], []
    if entries:
        yield entries, codes


ENTRY_COLUMNS = (
    "id, kind, position, code, title, text, grams, parents, customer_id, url, date, object_type,"
    " object_id"
)


def _migration(name: str):
    return importlib.import_module(f"tracecode.search.migrations.{name}")


def _load_sqlite(connection, company: Company) -> None:
    """Entries first, then the FTS5 index in one pass, as a reindex of a big import would."""
    from tracecode.search import backends

    migration = _migration("0004_short_cjk_and_visibility")
    db = connection.connection
    db.execute("DROP TRIGGER search_entry_fts_insert")
    insert_entry = f"INSERT INTO search_entry ({ENTRY_COLUMNS}) VALUES ({', '.join('?' * 13)})"
    for entries, codes in _rows(company):
        db.execute("BEGIN")
        db.executemany(insert_entry, entries)
        db.executemany("INSERT INTO search_entrycode (entry_id, code) VALUES (?, ?)", codes)
        db.execute("COMMIT")
    db.execute("BEGIN")
    db.execute(migration.SQLITE_FILL)
    db.execute(migration.SQLITE_INSERT_TRIGGER)
    db.execute("COMMIT")
    backends.current().optimize()  # as `tracecode search reindex` ends


# Entries that name a customer but no reader: a sales user would never find them.
UNREAD = "SELECT count(*) FROM search_entry WHERE customer_id IS NOT NULL AND readers = '{}'"


def _load_postgresql(connection, company: Company) -> None:
    """COPY without the kinds' GIN indexes, then build them, as pg_restore does; then VACUUM
    ANALYZE, as autovacuum does after a bulk load (index-only scans need the visibility map),
    and a CHECKPOINT, so that no spread checkpoint of the load still writes while the
    queries are timed.

    Who may read each entry (`readers`, in the kinds' GIN indexes) is written by the trigger of
    search migration 0006 as each row arrives, from the customers and shares made before."""
    from tracecode.search.backends import postgresql

    postgresql.drop_indexes()
    db = connection.connection
    with db.cursor() as cursor:
        for entries, codes in _rows(company):
            with cursor.copy(f"COPY search_entry ({ENTRY_COLUMNS}) FROM STDIN") as copy:
                for row in entries:
                    copy.write_row(row)
            with cursor.copy("COPY search_entrycode (entry_id, code) FROM STDIN") as copy:
                for row in codes:
                    copy.write_row(row)
        cursor.execute(UNREAD)
        if cursor.fetchone()[0]:
            raise SystemExit("bench: entries of a customer with no readers: the trigger is missing")
        for table in ("search_entry", "search_entrycode"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
        db.commit()
        cursor.execute("SET maintenance_work_mem = '512MB'")
    postgresql.ensure_indexes()
    with db.cursor() as cursor:  # Django's connection is in autocommit mode
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


# ---------------------------------------------------------------- the queries


def queries(company: Company, user, count: int) -> dict[str, list[str]]:
    """`count` queries of each kind, drawn from what the user's customers hold."""
    from tracecode.customers.models import Customer
    from tracecode.search.models import Entry

    rng = random.Random(7)
    visible = list(Customer.objects.visible_to(user).values_list("pk", flat=True))
    codes = list(
        Entry.objects.filter(customer_id__in=rng.sample(visible, min(200, len(visible))))
        .exclude(code="")
        .values_list("kind", "code")
    )
    by_kind = {}
    for kind, code in codes:
        by_kind.setdefault(kind, []).append(code)
    mails = list(
        Entry.objects.filter(
            kind="mail", text__contains="see also", customer_id__in=visible
        ).values_list("text", flat=True)[: count * 5]
    )
    chats = list(
        Entry.objects.filter(kind="chat", customer_id__in=visible).values_list("text", flat=True)[
            : count * 5
        ]
    )
    english = [t for t in (company.english(12) for _ in range(count)) if t]
    chinese = [company.chinese(8).replace("，", "").replace("。", "") for _ in range(count)]

    def pick(options):
        return rng.choice(options)

    def window(text: str, size: int) -> str:
        start = rng.randrange(0, len(text) - size + 1)
        return text[start : start + size]

    def pair(text: str) -> str:
        words = text.split()
        start = rng.randrange(0, len(words) - 1)
        return " ".join(words[start : start + 2])

    def said(chat: str) -> str:
        """Words of a chat message as one remembers them: two words, or four characters."""
        message = chat.split("\n", 1)[1]
        if message[0].isascii():
            return pair(" ".join(message.split()[:5]))
        return window(message.split("，")[0], 4)

    return {
        "exact code": [pick(by_kind[pick(["customer", "project", "order"])]) for _ in range(count)],
        "code prefix (RK1234-)": [pick(by_kind["customer"]) + "-" for _ in range(count)],
        "full text, one ASCII word": [pick(ENGLISH) for _ in range(count)],
        "full text, two words": [pair(pick(english)) for _ in range(count)],
        "full text, three Chinese characters": [window(pick(chinese), 3) for _ in range(count)],
        "full text, two Chinese characters": [window(pick(chinese), 2) for _ in range(count)],
        "a chat message's words": [said(pick(chats)) for _ in range(count)],
        "a code inside a body": [
            pick(mails).split("see also ")[1].split()[0] for _ in range(count)
        ],
    }


def floor_sqlite(path: str):
    """The PEERS.md floor: stdlib sqlite3, the bare index, first 50 rows."""
    import sqlite3

    from tracecode.search import cjk

    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")

    def run(category: str, query: str) -> None:
        if category == "exact code":
            sql, params = "SELECT entry_id FROM search_entrycode WHERE code = ? LIMIT 50", [query]
        elif category.startswith("code prefix"):
            after = query[:-1] + chr(ord(query[-1]) + 1)
            sql = "SELECT entry_id FROM search_entrycode WHERE code >= ? AND code < ? LIMIT 50"
            params = [query, after]
        else:
            phrase = '"' + query.replace('"', '""') + '"'
            if cjk.is_short(query):  # 1–2 CJK characters: the grams column
                phrase = f'grams : "{cjk.padded(query)}"'
            sql, params = (
                "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH ? LIMIT 50",
                [phrase],
            )
        db.execute(sql, params).fetchall()

    return run


def floor_postgresql(settings: dict):
    """The same bare lookups through psycopg (client-side binding, as Django uses): full text
    through each kind's own index, one kind after the other until 50 rows."""
    import psycopg

    from tracecode.search import cjk, kinds

    GRAMS = _migration("0004_short_cjk_and_visibility").GRAMS
    positions = kinds.positions()

    db = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    )

    def run(category: str, query: str) -> None:
        if category == "exact code":
            sql, params = "SELECT entry_id FROM search_entrycode WHERE code = %s LIMIT 50", [query]
        elif category.startswith("code prefix"):
            after = query[:-1] + chr(ord(query[-1]) + 1)
            sql = "SELECT entry_id FROM search_entrycode WHERE code >= %s AND code < %s LIMIT 50"
            params = [query, after]
        elif cjk.is_short(query):  # 1–2 CJK characters: the kinds' grams indexes
            sql = " UNION ALL ".join(
                f"(SELECT id FROM search_entry WHERE position = {p} AND {GRAMS} @> ARRAY[%s])"
                for p in positions
            )
            sql, params = f"{sql} LIMIT 50", [query] * len(positions)
        else:  # the kinds' trigram indexes, each hit checked
            haystack = "(code || ' ' || title || ' ' || text)"
            sql = " UNION ALL ".join(
                f"(SELECT id FROM search_entry WHERE position = {p}"
                f" AND search_trigrams{haystack} @> search_trigrams(%s)"
                f' AND {haystack} COLLATE "C" ILIKE %s)'
                for p in positions
            )
            sql, params = f"{sql} LIMIT 50", [query, f"%{query}%"] * len(positions)
        db.execute(sql, params).fetchall()

    return run


def timed(function, queries: list[str]) -> tuple[float, float]:
    """p50 and p95 in milliseconds, after a warm-up pass over the same queries."""
    for query in queries[: max(1, len(queries) // 10)]:
        function(query)
    times = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(len(times) * 0.95) - 1)]


# ---------------------------------------------------------------- one database, one process


def worker(database: str, entries: int, count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tracecode.customers.models import Customer
    from tracecode.search.models import Entry, EntryCode
    from tracecode.search.services import search

    call_command("migrate", verbosity=0)
    company = Company(entries)
    user, seconds = build(company)
    size = Entry.objects.count()
    visible = Entry.objects.filter(customer__in=Customer.objects.visible_to(user)).count()
    print(
        f"\n{database}: {size:,} entries ({company.counts['project']:,} projects,"
        f" {company.counts['order']:,} orders, {company.customers:,} customers,"
        f" {EntryCode.objects.count():,} codes) built in {seconds:.0f} s;"
        f" searching as {user.username}, who may see {visible * 100 / size:.0f}% of them",
        flush=True,
    )
    if database == "sqlite":
        floor = floor_sqlite(connection.settings_dict["NAME"])
    else:
        floor = floor_postgresql(connection.settings_dict)
    header = (
        f"{'query':<38} {'floor p50':>9} {'floor p95':>9} {'search p50':>10} {'search p95':>10}"
    )
    print(f"load average before: {_load()}")
    print(header + "  target p95")
    examples = []
    for category, texts in queries(company, user, count).items():
        base50, base95 = timed(lambda q, c=category: floor(c, q), texts)
        ours50, ours95 = timed(lambda q: search(user, q, limit=SAMPLE_LIMIT), texts)
        line = f"{category:<38} {base50:>9.2f} {base95:>9.2f} {ours50:>10.2f} {ours95:>10.2f}"
        target = TARGETS["code" if category.startswith(("exact code", "code prefix")) else "text"]
        verdict = "ok" if ours95 <= target else "MISSED"
        print(f"{line}  ≤ {target:>4.0f} ms {verdict}", flush=True)
        found = search(user, texts[0], limit=SAMPLE_LIMIT)
        examples.append(f"{texts[0]!r}: {found.mode}, {found.total} in {len(found.groups)} groups")
    print(f"load average after: {_load()}")
    print("e.g. " + "; ".join(examples))


def _load() -> str:
    """The machine's load average (1, 5, 15 minutes) and its cores: figures measured beside
    other work are slower."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


# ---------------------------------------------------------------- the driver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200, help="queries of each kind")
    parser.add_argument(
        "--database", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    args = parser.parse_args()
    from pgcluster import cluster

    def run(database: str, env: dict) -> None:
        command = [sys.executable, __file__, "worker", database, str(args.entries)]
        subprocess.run([*command, str(args.queries)], env=env, check=True)

    with tempfile.TemporaryDirectory(prefix="tracecode-bench-") as folder:
        base = {**os.environ, "TRACECODE_DATA_DIR": folder}
        if "sqlite" in args.database:
            run("sqlite", {**base, "TRACECODE_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"})
        if "postgres" in args.database:
            # Default PostgreSQL settings (fsync on), as in PEERS.md.
            with cluster(Path(tempfile.mkdtemp(prefix="tracecode-bench-pg-"))) as url:
                run("postgresql", {**base, "TRACECODE_DATABASE_URL": url})


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
