"""The demo company's sales: enquiries, quotations, orders in every state, money, documents.

`load(users, report)` is called by tracecode/web/demo.py inside its transaction. Customers
are looked up by code (a missing one is skipped) and projects by customer and name, so a
second run adds nothing. Dates are counted back from today, so the picture stays current:
one payment partial, one overdue, one processing order waiting on IQC, complaints open and
closed, PI/CI/PL generated for a few orders.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tracecode.customers.models import Customer
from tracecode.files import services as files
from tracecode.files.models import StoredFile
from tracecode.registers.models import Material, Supplier

from . import documents, services
from .models import Order, OrderEvent, Project, Quotation


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def at(offset: int, hour: int = 10) -> datetime.datetime:
    moment = datetime.datetime.combine(day(offset), datetime.time(hour, 0))
    return timezone.make_aware(moment)


def backdate(order, offset: int) -> None:
    """The timeline entry just written happened on that day, not at demo-load time."""
    event = OrderEvent.objects.filter(order=order).order_by("-pk").first()
    if event is not None:
        OrderEvent.objects.filter(pk=event.pk).update(at=at(offset, 9 + event.pk % 8))


def material(name):
    """A material of the registers demo, by name (None when the registers have no demo)."""
    return Material.objects.filter(name=name).first()


def supplier(name):
    return Supplier.objects.filter(name__startswith=name).first()


def line(part, quantity, price, spec="", unit="pcs", cartons=None, **weights) -> dict:
    return {
        "part_number": part,
        "specification": spec,
        "quantity": Decimal(quantity),
        "unit": unit,
        "unit_price": Decimal(price),
        "cartons": cartons,
        **{name: Decimal(value) for name, value in weights.items()},
    }


class Story:
    """Helpers that tell one customer's story through the services, as people would."""

    def __init__(self, customer, user, report):
        self.customer, self.user, self.report = customer, user, report

    def project(self, name, received, **values) -> Project | None:
        if Project.objects.filter(customer=self.customer, name=name).exists():
            return None
        project = services.create_project(
            self.customer, user=self.user, name=name, received_on=day(received), **values
        )
        Project.objects.filter(pk=project.pk).update(created_at=at(received))
        self.report.created.append(f"project {project.code} ({name})")
        return project

    def drawing(self, project, name, title):
        self.paper(project, name, title, "Drawing", project.received_on)

    def paper(self, record, name, title, document_type, on):
        """A PDF filed under a customer, project or order, dated `on`."""
        customer = record if isinstance(record, Customer) else record.customer
        html = (
            "<html><body style='font-family: \"Noto Sans CJK SC\"'>"
            f"<h1>{title}</h1><p>{customer.company_name} · {record.code}</p>"
            "<p>General tolerances ISO 2768-mK · dimensions in mm</p></body></html>"
        )
        data = documents.render_pdf(html)
        upload = SimpleUploadedFile(name, data, content_type="application/pdf")
        stored = files.store(
            record, upload, user=self.user, document_type=document_type, description=title, date=on
        )
        StoredFile.objects.filter(pk=stored.pk).update(
            uploaded_at=at((on - timezone.localdate()).days, 11)
        )
        self.report.created.append(f"file {stored.file.name}")

    def quotation(self, project, quoted, lines, *, issue=1, status=None, **values) -> Quotation:
        values = {"quoted_on": day(quoted), "valid_until": day(quoted + 30), **values}
        rows = [
            {
                "item": i,
                "specification": s,
                "quantity": Decimal(q),
                "unit": "pcs",
                "unit_price": Decimal(p),
            }
            for i, s, q, p in lines
        ]
        quotation = services.create_quotation(project, user=self.user, values=values, lines=rows)
        for _ in range(issue):
            services.issue_quotation(quotation, user=self.user)
        if status:
            services.set_quotation_status(quotation, status)
        self.report.created.append(f"quotation {quotation.code}")
        return quotation

    def order(self, project, kind, ordered, delivery, lines, **values) -> Order:
        values = {
            **services.order_initial(project, kind),  # what the order form would prefill
            "ordered_on": day(ordered),
            "delivery_date": day(delivery),
            **values,
        }
        order = services.create_order(project, kind, user=self.user, values=values, lines=lines)
        backdate(order, ordered)
        self.report.created.append(f"order {order.code}")
        return order

    def move(self, order, action, on, **data):
        order = services.transition(order, action, user=self.user, data=data)
        backdate(order, on)
        return order

    def confirm(self, order, on):
        return self.move(order, "confirm", on, confirmed_on=day(on))

    def produce(self, order, started, ready=None):
        for name in ("production_notified", "stock_checked", "material_prepared"):
            services.tick_checkpoint(order, name, user=self.user, done_on=day(started - 1))
            backdate(order, started - 1)
        order = self.move(order, "start_production", started)
        if ready is not None:
            order = self.move(order, "finish_production", ready)
        return order

    def ship(self, order, on, carrier, tracking, transit):
        return self.move(
            order,
            "ship",
            on,
            carrier=carrier,
            tracking_number=tracking,
            etd=day(on),
            eta=day(on + transit),
            eta_told_on=day(on),
        )

    def pay(self, order, on, amount, reference):
        services.record_payment(
            order,
            user=self.user,
            values={"received_on": day(on), "amount": Decimal(amount), "reference": reference},
        )
        backdate(order, on)
        order.refresh_from_db()
        return order

    def documents(self, order, *kinds):
        for kind in kinds:
            services.generate_document(order, kind, user=self.user)


def nordwerk(story: Story) -> None:
    """RK888, automotive, EUR: samples approved, mass order shipped with the balance overdue."""
    project = story.project(
        "SP1003",
        -150,
        channel="trade_show",
        request="Zinc die-cast housing for the EV wallbox, drawing SP1003 rev B. "
        "Black e-coat, IP67 sealing face. About 20,000 pcs a year.",
        target_quantity=Decimal(20000),
        target_price=Decimal("2.20"),
        currency="EUR",
    )
    if project is None:
        return
    story.drawing(project, "SP1003 housing rev B.pdf", "Drawing SP1003 housing, rev. B")
    spec = "ZAMAK 5 die-cast, black e-coat 20 µm, sealing face Ra 1.6"
    story.quotation(
        project,
        -140,
        [("SP1003", spec, 1000, "2.45"), ("SP1003", spec, 5000, "2.25")]
        + [("SP1003", spec, 20000, "2.10")],
        status="accepted",
        currency="EUR",
        incoterm="FCA",
        incoterm_place="Shanghai",
        lead_time="25 days after sample approval",
        payment_terms="30% T/T deposit, 70% against B/L copy",
    )
    packing = "Blister trays of 50 pcs, 10 trays per export carton, VDA label"
    sample = story.order(
        project,
        "sample",
        -120,
        -95,
        [line("SP1003", 50, "2.45", spec, cartons=1, net_weight="6.2", gross_weight="7.0")],
        customer_po="NW-4500123987",
        currency="EUR",
        incoterm="FCA",
        incoterm_place="Shanghai",
        payment_terms="100% T/T before shipment",
        packaging_requirements=packing,
        inspection_requirements="First article inspection report, 5 pcs CMM measured",
    )
    story.paper(
        project.customer, "Mutual NDA REKO-Nordwerk.pdf", "Mutual NDA, signed", "NDA", day(-148)
    )
    story.paper(sample, "NW-4500123987.pdf", "Purchase order NW-4500123987", "Purchase order",
                day(-119))  # fmt: skip
    sample = story.confirm(sample, -118)
    sample = story.produce(sample, -116, -104)
    story.documents(sample, "PI", "CI", "PL")
    sample = story.pay(sample, -103, "122.50", "SEPA 2026-NW-0812")
    sample = story.ship(sample, -102, "DHL Express", "4829301746", 4)
    sample = story.move(sample, "confirm_arrival", -98, arrived_on=day(-98))
    sample = story.move(sample, "reconcile", -97)
    sample = story.move(sample, "mark_paid", -97)
    story.move(sample, "close", -90)
    complaint = services.open_complaint(
        sample,
        user=story.user,
        values={
            "received_on": day(-96),
            "severity": "minor",
            "content": "2 of 50 samples show flow lines on the visible face (photos attached).",
            "cause_analysis": "Die temperature too low in the first shots after start-up.",
            "corrective_action": "First 20 shots scrapped after each start-up; added to the WI.",
            "result": "8D report D3-D8 sent to Mr. Becker; accepted.",
            "result_told_on": day(-92),
        },
    )
    services.close_complaint(complaint, user=story.user, closed_on=day(-92))

    mass = story.order(
        project,
        "mass",
        -70,
        -20,
        [
            line("SP1003", 5000, "2.25", spec, cartons=10, net_weight="620", gross_weight="668"),
            line("SP1004", 5000, "0.85", "Gasket EPDM 70 ShA", cartons=2, net_weight="40"),
        ],
        customer_po="NW-4500125530",
        currency="EUR",
        incoterm="FCA",
        incoterm_place="Shanghai",
        payment_terms="30% T/T deposit, 70% within 30 days of B/L date",
        payment_due_on=day(-8),
        packaging_requirements=packing,
        inspection_requirements="AQL 0.65 level II; PPAP level 3 with the first shipment",
    )
    mass = story.confirm(mass, -68)
    mass = story.pay(mass, -66, "4650.00", "SEPA 2026-NW-0977 deposit 30%")
    mass = story.produce(mass, -60, -40)
    story.documents(mass, "PI", "CI", "PL")
    story.ship(mass, -38, "Maersk (sea, FCL)", "MAEU 238517764", 40)

    later = story.project(
        "SP2040",
        -12,
        channel="email",
        request="Bracket for the wallbox wall mount, steel, galvanised. RFQ for 10k pcs.",
        target_quantity=Decimal(10000),
        currency="EUR",
    )
    if later is not None:
        story.quotation(
            later,
            -6,
            [("SP2040", "S355, hot-dip galvanised", 10000, "0.92")],
            issue=0,
            currency="EUR",
            incoterm="FCA",
            incoterm_place="Shanghai",
        )


def suzhou(story: Story) -> None:
    """RK1036, Suzhou, CNY: a processing (toll manufacturing) order waiting on IQC."""
    project = story.project(
        "PCBA-7731",
        -45,
        channel="visit",
        request="来料加工:客户提供 PCB 与 MCU,我方贴片、回流焊、测试。每月 2000 套。",
        target_quantity=Decimal(2000),
        currency="CNY",
    )
    if project is None:
        return
    story.drawing(project, "PCBA-7731 装配图 rev A.pdf", "PCBA-7731 装配图 rev A")
    order = story.order(
        project,
        "processing",
        -30,
        10,
        [line("PCBA-7731", 2000, "3.80", "贴片 + 回流焊 + ICT 测试,加工费")],
        customer_po="SZJG-PO-2026-118",
        currency="CNY",
        incoterm="EXW",
        incoterm_place="南京",
        payment_terms="月结 30 天",
        process_requirements="无铅回流焊;IPC-A-610 二级;100% ICT 测试并附报告",
        packaging_requirements="防静电袋,每箱 100 套",
    )
    services.save_bom(
        order,
        [
            {
                "part_number": "PCB-7731",
                "material": material("PCB-7731 bare board"),
                "description": "裸板(客供)",
                "quantity_per_unit": Decimal(1),
                "unit": "pcs",
                "supplied_by": "customer",
            },
            {
                "part_number": "IC-STM32G0",
                "material": material("IC_STM32G030K8T6"),
                "description": "MCU STM32G030(客供)",
                "quantity_per_unit": Decimal(1),
                "unit": "pcs",
                "supplied_by": "customer",
            },
            {
                "part_number": "STIFF-7731",
                "material": material("CPIDE131218DA1"),
                "description": "补强用有胶基材(我方采购)",
                "quantity_per_unit": Decimal("0.004"),
                "unit": "m2",
                "supplied_by": "factory",
                "supplier": supplier("Dongguan Taiflex"),
            },
            {
                "part_number": "R-91K-0402",
                "material": material("RC0402JR-07910K"),
                "description": "电阻 0402 91kΩ(我方采购)",
                "quantity_per_unit": Decimal(4),
                "unit": "pcs",
                "supplied_by": "factory",
                "supplier": supplier("Shenzhen Yageo"),
            },
            {
                "part_number": "SOLDER-SAC305",
                "material": material("Solder paste SAC305"),
                "description": "锡膏(我方采购)",
                "quantity_per_unit": Decimal("0.002"),
                "unit": "kg",
                "supplied_by": "factory",
                "supplier": supplier("Alpha Assembly"),
            },
        ],
    )
    for name, offset in (("contract_review", -29), ("processing_agreement", -27)):
        services.tick_checkpoint(order, name, user=story.user, done_on=day(offset))
        backdate(order, offset)
    order = story.move(order, "confirm", -27, confirmed_on=day(-27))
    lines = {line.part_number: line for line in order.bom_lines.all()}
    pcb = services.receive_material(
        order,
        user=story.user,
        values={
            "bom_line": lines["PCB-7731"],
            "lot_number": "SZ-2611-0042",
            "quantity": Decimal(2000),
            "received_on": day(-6),
        },
    )
    backdate(order, -6)
    services.inspect_lot(
        pcb,
        user=story.user,
        values={"result": "passed", "inspected_on": day(-5), "inspection_note": "AQL 0.65 通过"},
    )
    backdate(order, -5)
    services.receive_material(
        order,
        user=story.user,
        values={
            "bom_line": lines["IC-STM32G0"],
            "lot_number": "ST-2545-A17",
            "quantity": Decimal(2000),
            "received_on": day(-2),
        },
    )
    backdate(order, -2)
    services.tick_checkpoint(order, "production_notified", user=story.user, done_on=day(-1))


def pacific(story: Story) -> None:
    """RK1037, aerospace, USD: sample paid, mass order arrived, partly paid, a complaint open."""
    project = story.project(
        "BRKT-77",
        -110,
        channel="platform",
        request="Ti-6Al-4V machined bracket, AS9100 supplier required, FAI per AS9102.",
        target_quantity=Decimal(400),
        target_price=Decimal("35.00"),
        currency="USD",
    )
    if project is None:
        return
    story.drawing(project, "BRKT-77 rev C.pdf", "Drawing BRKT-77 bracket, rev. C")
    spec = "Ti-6Al-4V, CNC machined, anodised type II"
    story.quotation(
        project,
        -100,
        [("BRKT-77", spec, 20, "48.00"), ("BRKT-77", spec, 400, "38.50")],
        issue=2,
        status="accepted",
        currency="USD",
        incoterm="DAP",
        incoterm_place="Wichita, KS",
        lead_time="6 weeks after PO",
        payment_terms="50% deposit, 50% before shipment",
    )
    sample = story.order(
        project,
        "sample",
        -90,
        -60,
        [line("BRKT-77", 20, "48.00", spec, cartons=1, net_weight="3.1", gross_weight="3.8")],
        customer_po="PAC-77-0101",
        currency="USD",
        incoterm="DAP",
        incoterm_place="Wichita, KS",
        payment_terms="100% T/T in advance",
        inspection_requirements="FAI per AS9102, material certs EN 10204 3.1",
    )
    sample = story.confirm(sample, -89)
    sample = story.pay(sample, -88, "960.00", "Wire PAC-20260811")
    sample = story.produce(sample, -85, -66)
    story.documents(sample, "PI")
    sample = story.ship(sample, -64, "FedEx International Priority", "7739 4410 2851", 3)
    sample = story.move(sample, "confirm_arrival", -61, arrived_on=day(-61))
    sample = story.move(sample, "reconcile", -60)
    story.move(sample, "mark_paid", -60)

    mass = story.order(
        project,
        "mass",
        -50,
        -6,
        [line("BRKT-77", 400, "38.50", spec, cartons=4, net_weight="62", gross_weight="70.5")],
        customer_po="PAC-77-0230",
        currency="USD",
        incoterm="DAP",
        incoterm_place="Wichita, KS",
        payment_terms="50% deposit, 50% within 15 days of arrival",
        payment_due_on=day(12),
        inspection_requirements="AQL 1.0, CoC and material certs with each shipment",
    )
    mass = story.confirm(mass, -49)
    mass = story.pay(mass, -48, "7700.00", "Wire PAC-20260912 deposit")
    mass = story.produce(mass, -40, -12)
    story.documents(mass, "PI", "CI", "PL")
    mass = story.ship(mass, -10, "UPS Worldwide Expedited", "1Z 999 AA1 01 2345 6784", 5)
    mass = story.move(mass, "confirm_arrival", -4, arrived_on=day(-4))
    story.move(mass, "reconcile", -3)
    services.open_complaint(
        mass,
        user=story.user,
        values={
            "received_on": day(-2),
            "severity": "major",
            "content": "Anodising colour mismatch on 12 of 400 brackets (lot 2611-B).",
            "quantity_affected": Decimal(12),
        },
    )


def lyon(story: Story) -> None:
    """RK1038, medical, EUR: a sample order in production, ahead of its delivery date."""
    project = story.project(
        "MED-220",
        -40,
        channel="website",
        request="PEEK handle for a surgical instrument, ISO 13485 documentation needed.",
        target_quantity=Decimal(3000),
        currency="EUR",
    )
    if project is None:
        return
    spec = "PEEK natural, machined, laser marked UDI"
    story.quotation(
        project,
        -35,
        [("MED-220", spec, 30, "24.00"), ("MED-220", spec, 3000, "11.40")],
        currency="EUR",
        incoterm="DAP",
        incoterm_place="Lyon",
        lead_time="4 weeks",
    )
    order = story.order(
        project,
        "sample",
        -14,
        16,
        [line("MED-220", 30, "24.00", spec)],
        customer_po="LPM-2026-044",
        currency="EUR",
        incoterm="DAP",
        incoterm_place="Lyon",
        payment_terms="30 days net",
        payment_due_on=day(46),
        inspection_requirements="Dimensional report on 5 pcs, material certificate",
    )
    order = story.confirm(order, -12)
    story.produce(order, -9)


def shenzhen(story: Story) -> None:
    """RK1039, a new enquiry that came in this week."""
    story.project(
        "HL-ENC-05",
        -3,
        channel="messenger",
        request="监护仪外壳,ABS+PC,阻燃 V-0,首批 500 套,请报价(含模具费)。",
        target_quantity=Decimal(500),
        currency="CNY",
    )


def osaka(story: Story) -> None:
    """RK1040, a quotation that did not win."""
    project = story.project(
        "OK-SHAFT-12",
        -80,
        channel="email",
        request="Ground shaft, SUS420J2, h6, 5,000 pcs/month.",
        target_price=Decimal("1.10"),
        currency="USD",
    )
    if project is None:
        return
    story.quotation(
        project,
        -75,
        [("OK-SHAFT-12", "SUS420J2, hardened, ground h6", 5000, "1.38")],
        status="declined",
        currency="USD",
        incoterm="FOB",
        incoterm_place="Shanghai",
    )
    Project.objects.filter(pk=project.pk).update(
        status=Project.Status.LOST, lost_reason="Price: the customer chose a supplier in Vietnam"
    )


def milano(story: Story) -> None:
    """RK1041, a sample order cancelled on a design change, its successor in draft."""
    project = story.project(
        "MM-GEAR-3",
        -60,
        channel="referral",
        request="Sintered gear, module 1.5, 32 teeth; drawing to follow.",
        target_quantity=Decimal(8000),
        currency="EUR",
    )
    if project is None:
        return
    first = story.order(
        project,
        "sample",
        -50,
        -20,
        [line("MM-GEAR-3", 100, "1.90", "Fe-Cu-C sintered, steam treated")],
        currency="EUR",
        incoterm="FCA",
        incoterm_place="Ningbo",
    )
    story.move(first, "confirm", -48, confirmed_on=day(-48))
    story.move(
        first,
        "cancel",
        -45,
        cancel_reason="Design change: the customer moved to module 1.25 (drawing rev D)",
    )
    story.order(
        project,
        "sample",
        -5,
        30,
        [line("MM-GEAR-3", 100, "2.05", "Module 1.25, Fe-Cu-C sintered, rev D")],
        currency="EUR",
        incoterm="FCA",
        incoterm_place="Ningbo",
    )


STORIES = [
    ("RK888", nordwerk),
    ("RK1036", suzhou),
    ("RK1037", pacific),
    ("RK1038", lyon),
    ("RK1039", shenzhen),
    ("RK1040", osaka),
    ("RK1041", milano),
]


def load(users, report) -> None:
    """Add the demo's sales records under the demo customers that exist."""
    for code, tell in STORIES:
        customer = Customer.objects.filter(code=code).select_related("owner").first()
        if customer is None:
            continue
        tell(Story(customer, customer.owner, report))
