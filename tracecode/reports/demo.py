"""A year of the demo company's history, so the reports and the home page have something to
show: repeat mass orders over twelve months (some shipped late, some paid late), enquiries
lost with their reasons, complaints with their causes, targets for each salesperson and the
months closed with their plan against result.

Called by tracecode/web/demo.py after the other apps' demo loaders (the leads first). The
history was entered after the company started with Tracecode, so its projects carry the next
numbers of their customers (RK1041-2 is older than RK1041-1). Idempotent: a history project is
found by customer and name, a target by person and month, a closed month by its month.

Every order of the history is paid by now or not due yet, and every complaint is closed, so
the demo's one overdue order and one open complaint stay those of the sales demo.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from tracecode.customers.models import Customer
from tracecode.sales import services as sales
from tracecode.sales.demo import Story, day, line
from tracecode.sales.models import Project
from tracecode.sales.trade import money

from . import figures, services
from .models import MonthClose, Target

SEA, AIR = 28, 5  # days in transit


@dataclass
class Batch:
    ordered: int  # days from today
    quantity: int
    ship_late: int = 0  # days after the customer's delivery date it left
    pay_late: int = 0  # days after the agreed date the balance came in
    complaint: tuple | None = None  # (cause, severity, what, analysis, action)


@dataclass
class Part:
    customer: str
    name: str
    spec: str
    price: str
    currency: str
    received: int
    channel: str
    quoted: int | None = None
    sample: int | None = None  # the day the sample order was entered
    batches: list[Batch] = field(default_factory=list)
    transit: int = SEA
    incoterm: str = "FOB"
    place: str = "Shanghai"
    lost: str = ""  # the reason, for an enquiry that came to nothing


HISTORY = [
    Part(
        "RK1041",
        "MM-HSG-2",
        "Die-cast motor housing, ZAMAK 5, black e-coat",
        "3.40",
        "EUR",
        -362,
        "trade_show",
        quoted=-356,
        sample=-349,
        incoterm="FCA",
        batches=[
            Batch(-318, 3000),
            Batch(-262, 4000, ship_late=6),
            Batch(
                -203,
                4000,
                complaint=(
                    "process",
                    "major",
                    "Burrs on the mounting holes of about 40 housings.",
                    "Deburring step skipped on the night shift after a tool change.",
                    "Deburring on the checklist of every tool change; 100% check for a month.",
                ),
            ),
            Batch(-141, 5000, pay_late=12),
            Batch(
                -84,
                5000,
                complaint=(
                    "process",
                    "minor",
                    "Burrs again on the mounting holes, 6 pieces.",
                    "New operator had not been trained on the checklist.",
                    "Training record required before anyone runs the line alone.",
                ),
            ),
        ],
    ),  # fmt: skip
    Part(
        "RK1036",
        "HS-220",
        "铝合金散热片,阳极氧化黑色",
        "18.50",
        "CNY",
        -330,
        "visit",
        quoted=-326,
        transit=2,
        incoterm="EXW",
        place="南京",
        batches=[
            Batch(-310, 2000),
            Batch(-279, 2500),
            Batch(-247, 2000, pay_late=20),
            Batch(-216, 3000),
            Batch(-185, 2500, ship_late=4),
            Batch(-153, 3000),
            Batch(
                -122,
                3000,
                complaint=(
                    "material",
                    "major",
                    "散热片表面发现气孔,约 3%。",
                    "铝锭批次含氢量偏高。",
                    "更换铝锭供应商批次,来料增加含氢量检测。",
                ),
            ),
            Batch(-92, 3500),
            Batch(-61, 3500),
            Batch(-30, 3000),
        ],
    ),  # fmt: skip
    Part(
        "RK1037",
        "FTG-12",
        "Seat track fitting, 7075-T6, anodised",
        "21.00",
        "USD",
        -305,
        "platform",
        quoted=-300,
        sample=-292,
        transit=AIR,
        incoterm="DAP",
        place="Everett, WA",
        batches=[
            Batch(-262, 300),
            Batch(
                -200,
                400,
                ship_late=9,
                complaint=(
                    "inspection",
                    "major",
                    "Two fittings with the bore at the upper tolerance limit, rejected at "
                    "incoming inspection.",
                    "CMM program used the nominal of drawing rev B.",
                    "CMM programs checked against the drawing revision at every release.",
                ),
            ),
            Batch(-138, 400),
            Batch(-75, 500),
        ],
    ),  # fmt: skip
    Part(
        "RK1037",
        "FTG-30",
        "Seat track end cap, PA66 GF30",
        "2.10",
        "USD",
        -160,
        "platform",
        quoted=-154,
        lost="Lead time: the customer needed the first lot in 3 weeks",
    ),
    Part(
        "RK1040",
        "OK-PIN-08",
        "Ground pin, SUS420J2, h6",
        "0.95",
        "USD",
        -340,
        "email",
        quoted=-336,
        sample=-331,
        batches=[
            Batch(-300, 8000),
            Batch(-240, 10000),
            Batch(-180, 10000),
            Batch(-120, 12000),
            Batch(-55, 12000),
        ],
    ),  # fmt: skip
    Part(
        "RK1044",
        "DH-GEAR-01",
        "注塑机齿轮,40Cr 调质",
        "46.00",
        "CNY",
        -215,
        "referral",
        quoted=-212,
        transit=3,
        incoterm="EXW",
        place="南京",
        batches=[
            Batch(-200, 400),
            Batch(
                -134,
                500,
                complaint=(
                    "packaging",
                    "minor",
                    "运输中 4 个齿轮磕碰。",
                    "纸箱内无隔板,齿轮相互碰撞。",
                    "改用带隔板的纸箱,每箱 20 个。",
                ),
            ),
            Batch(-68, 600),
            Batch(-8, 600),
        ],
    ),  # fmt: skip
    Part(
        "RK1039",
        "HL-MON-2",
        "监护仪支架,压铸铝",
        "35.00",
        "CNY",
        -210,
        "messenger",
        quoted=-205,
        lost="客户项目暂停,明年再议",
    ),
    Part(
        "RK1041",
        "MM-CAP-1",
        "Motor end cap, die-cast aluminium",
        "4.60",
        "EUR",
        -250,
        "referral",
        quoted=-244,
        lost="Price: 12% above the customer's target",
    ),
    Part(
        "RK1042",
        "BF-VB-4",
        "Hydraulic valve block, 6061-T6",
        "58.00",
        "EUR",
        -340,
        "email",
        quoted=-333,
        lost="No reply after the quotation",
    ),
    Part(
        "RK1038",
        "LPM-GL-7",
        "Cable gland housing, brass",
        "1.85",
        "EUR",
        -120,
        "email",
        quoted=-115,
        lost="Price: the customer chose a supplier in Vietnam",
    ),
    Part(
        "RK1040",
        "OK-SPR-3",
        "Compression spring, SUS631",
        "0.30",
        "USD",
        -95,
        "email",
        lost="Outside our processes: springs are not made here",
    ),
]


def load(users: dict, report) -> None:
    """Add the history under the demo customers that exist, then targets and closed months."""
    for part in HISTORY:
        customer = Customer.objects.filter(code=part.customer).select_related("owner").first()
        if customer is not None:
            _tell(Story(customer, customer.owner, report), part)
    manager = users.get("mia")
    if manager is not None:
        _targets(users, manager, report)
        _close_months(manager, report)


def _tell(story: Story, part: Part) -> None:
    project = Project.objects.filter(customer=story.customer, name=part.name).first()
    if project is None:
        project = story.project(part.name, part.received, channel=part.channel,
                                request=part.spec, currency=part.currency)  # fmt: skip
    elif project.quotations.exists() or project.orders.exists():
        return  # told before
    terms = {"currency": part.currency, "incoterm": part.incoterm, "incoterm_place": part.place}
    if part.quoted is not None:
        status = "declined" if part.lost else "accepted"
        story.quotation(project, part.quoted, [(part.name, part.spec, 1000, part.price)],
                        status=status, **terms)  # fmt: skip
    if part.lost:
        Project.objects.filter(pk=project.pk).update(
            status=Project.Status.LOST, lost_reason=part.lost
        )
        return
    if part.sample is not None:
        _sample(story, project, part, terms)
    for batch in part.batches:
        _mass(story, project, part, batch, terms)


def _sample(story, project, part, terms) -> None:
    on = part.sample
    order = story.order(project, "sample", on, on + 25, [line(part.name, 20, part.price,
                        part.spec)], payment_terms="100% T/T in advance", **terms)  # fmt: skip
    order = story.confirm(order, on + 1)
    order = story.pay(order, on + 2, order.total, f"{order.code} advance")
    order = story.produce(order, on + 4, on + 18)
    order = story.ship(order, on + 20, "DHL Express", f"77{abs(on):04d}1", AIR)
    order = story.move(order, "confirm_arrival", on + 20 + AIR, arrived_on=day(on + 20 + AIR))
    order = story.move(order, "reconcile", on + 21 + AIR)
    order = story.move(order, "mark_paid", on + 21 + AIR)
    story.move(order, "close", on + 30 + AIR)


def _mass(story, project, part, batch: Batch, terms) -> None:
    """One repeat order, as far as it has come by today: each step happens on its day."""
    on = batch.ordered
    delivery, due = on + 35, on + 65
    price = Decimal(part.price)
    order = story.order(
        project, "mass", on, delivery, [line(part.name, batch.quantity, price, part.spec)],
        payment_terms="30% deposit, 70% within 30 days of shipment",
        payment_due_on=day(due), **terms,
    )  # fmt: skip
    shipped = delivery + batch.ship_late - 5
    arrived = shipped + part.transit
    # Money still to come in must not be overdue (the demo's one overdue order is RK888-1-M1).
    paid = max(min(due + batch.pay_late, -1) if due < 0 else due, arrived + 1)
    steps = [
        (on + 1, lambda o: story.confirm(o, on + 1)),
        (on + 2, lambda o: story.pay(o, on + 2, money(o.total * Decimal("0.3")),
                                     f"{o.code} deposit 30%")),
        (on + 4, lambda o: story.produce(o, on + 4, shipped - 3 if shipped - 3 < 0 else None)),
        (shipped, lambda o: story.ship(o, shipped, "COSCO (sea)" if part.transit == SEA
                                       else "SF Express", f"{o.code}-BL", part.transit)),
        (arrived, lambda o: story.move(o, "confirm_arrival", arrived, arrived_on=day(arrived))),
        (arrived + 1, lambda o: story.move(o, "reconcile", arrived + 1)),
        (paid, lambda o: story.pay(o, paid, o.balance, f"{o.code} balance")),
        (paid + 5, lambda o: _close(story, o, paid + 5)),
    ]  # fmt: skip
    for when, step in steps:
        if when >= 0:
            break
        order = step(order)
    if batch.complaint and arrived + 6 < 0:
        _complaint(story, order, arrived + 6, batch.complaint)


def _close(story, order, on: int):
    if order.state != "paid":  # paid before it was reconciled
        order = story.move(order, "mark_paid", on)
    return story.move(order, "close", on)


def _complaint(story, order, received: int, complaint: tuple) -> None:
    cause, severity, content, analysis, action = complaint
    told = min(received + 7, -1)
    opened = sales.open_complaint(order, user=story.user, values={
        "received_on": day(received), "severity": severity, "content": content,
        "cause_analysis": analysis, "cause": cause, "corrective_action": action,
        "result": "8D report sent; accepted by the customer.", "result_told_on": day(told),
    })  # fmt: skip
    sales.close_complaint(opened, user=story.user, closed_on=day(told))


# Monthly order value targets (base currency), new customers and leads followed, per person.
TARGETS = {"alice": ("150000", 1, 2), "bob": ("180000", 1, 2)}


def _targets(users, manager, report) -> None:
    today = timezone.localdate()
    for back in range(12, -2, -1):  # a year back, this month and the next
        month = figures.month_start(today, back)
        for username, (value, new, leads) in TARGETS.items():
            person = users.get(username)
            if person is None or Target.objects.filter(salesperson=person, month=month).exists():
                continue
            if MonthClose.objects.filter(month=month).exists():
                continue
            # A little more each month, as the company grows.
            grown = Decimal(value) * (1 + Decimal(12 - back) / 100)
            services.set_target(person, month, user=manager, order_value=grown.quantize(
                Decimal(1000)), new_customers=new, leads_followed=leads)  # fmt: skip
            report.created.append(f"target {username} {month:%Y-%m}")


def _close_months(manager, report) -> None:
    """Every month of the year but the last is closed: the last waits for the manager."""
    today = timezone.localdate()
    for back in range(12, 1, -1):
        month = figures.month_start(today, back)
        if not MonthClose.objects.filter(month=month).exists():
            services.close_month(month, user=manager, today=today)
            report.created.append(f"closed {month:%Y-%m}")
