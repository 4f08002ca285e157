"""The demo company's registers: the materials of its processing order, the suppliers it buys
from, and its customers' parts (their prices come from the sales demo's quotations and orders).

`load(users, report)` is called by tracecode/web/demo.py inside its transaction, after the
customers and before the sales demo (whose lines and BOM then name these records). Each
record is looked up by its name first, so a second run adds nothing; materials are created
in this order, so the seed's example 01.01.00001 is CPIDE131218DA1.
"""

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from tracecode.core.pdf import render_pdf
from tracecode.customers.models import Customer
from tracecode.files import services as files

from . import services
from .models import Material, Part, Supplier

MATERIALS = [
    # subclass, name, specification, unit, manufacturer
    ("01.01", "CPIDE131218DA1", "Adhesive copper-clad polyimide laminate, PI 12.5 µm, "
     "RA copper 18 µm (原材料-有胶基材)", "m2", "Taiflex"),
    ("02.01", "RC0402JR-07910K", "Chip resistor 0402, 91 kΩ ±5 %", "pcs", "Yageo"),
    ("08.01", "IC_STM32G030K8T6", "MCU STM32G030K8T6, LQFP32, supplied by the customer",
     "pcs", "STMicroelectronics"),
    ("08.03", "PCB-7731 bare board", "4-layer FR4 bare board, supplied by the customer",
     "pcs", ""),
    ("10.01", "Solder paste SAC305", "Lead-free solder paste SAC305, type 4, 500 g jars",
     "kg", "Alpha"),
    ("04.01", "Drilling 803-2C7993A", "Outsourced CNC drilling of flex panels", "pcs", ""),
]  # fmt: skip

SUPPLIERS = [
    # name, country, region, phone, email, materials, subclasses, contact
    ("Dongguan Taiflex Electronic Materials Co., Ltd.", "CN", "441900", "+86 769 8765 4321",
     "sales@taiflex-dg.example", ["CPIDE131218DA1"], ["01.01", "01.03"],
     ("Liu Wei", "Sales engineer", "liu.wei@taiflex-dg.example")),
    ("Shenzhen Yageo Components Trading Co., Ltd.", "CN", "440300", "+86 755 2345 6789",
     "orders@yageo-sz.example", ["RC0402JR-07910K"], ["02.01", "02.02"],
     ("Zhang Min", "Account manager", "zhang.min@yageo-sz.example")),
    ("Alpha Assembly Solutions (Shanghai) Co., Ltd.", "CN", "310115", "+86 21 5046 1100",
     "cs@alpha-sh.example", ["Solder paste SAC305"], ["10.01"],
     ("Chen Jie", "Customer service", "chen.jie@alpha-sh.example")),
    ("Suzhou Jingzuan Drilling Services Co., Ltd.", "CN", "320500", "+86 512 6666 0303",
     "jobs@jingzuan.example", ["Drilling 803-2C7993A"], ["04.01"],
     ("Wang Fang", "Production planner", "wang.fang@jingzuan.example")),
]  # fmt: skip

PARTS = [
    # customer, number, name, category, type, material spec, process, unit, HS code, rev
    ("RK888", "SP1003", "EV wallbox housing", "02", "01", "ZAMAK 5",
     "Die casting, black e-coat 20 µm, sealing face Ra 1.6", "pcs", "79070090", "B"),
    ("RK888", "SP1004", "Housing gasket", "05", "06", "EPDM 70 Shore A",
     "Compression moulding", "pcs", "40169300", "A"),
    ("RK888", "SP2040", "Wall-mount bracket", "03", "02", "S355, hot-dip galvanised",
     "Laser cutting, bending, galvanising", "pcs", "73269098", "A"),
    ("RK1036", "PCBA-7731", "Control board assembly", "07", "08", "FR4 4-layer, lead-free",
     "SMT, reflow, ICT (processing order, customer-supplied PCB and MCU)", "pcs", "85389099",
     "A"),
    ("RK1037", "BRKT-77", "Titanium bracket", "01", "02", "Ti-6Al-4V",
     "CNC machining, anodising type II", "pcs", "88073000", "C"),
    ("RK1037", "MB-200", "MB-200 manifold block", "01", "04", "AL 6061-T6",
     "CNC machining, hard anodising", "pcs", "84819000", "A"),
    ("RK1038", "MED-220", "Surgical instrument handle", "04", "07", "PEEK natural",
     "CNC machining, UDI laser marking", "pcs", "90189084", "A"),
    ("RK1040", "OK-SHAFT-12", "Ground shaft", "01", "03", "SUS420J2, hardened",
     "Turning, hardening, grinding h6", "pcs", "84831095", "A"),
    ("RK1041", "MM-GEAR-3", "Sintered gear", "06", "05", "Fe-Cu-C, steam treated",
     "Powder metallurgy, sintering", "pcs", "84834029", "D"),
]  # fmt: skip


def load(users, report) -> None:
    """Add the demo's registers; the manager Mia keeps them."""
    keeper = users.get("mia")
    if keeper is not None:
        keeper.user_permissions.add(Permission.objects.get(codename="keep_registers"))
    admin = users.get("admin") or keeper
    materials = {}
    for subclass, name, spec, unit, maker in MATERIALS:
        material = Material.objects.filter(name=name).first()
        if material is None:
            material = Material(
                subclass=subclass, name=name, specification=spec, unit=unit, manufacturer=maker
            )
            services.create_material(material, user=admin)
            report.created.append(f"material {material.code} ({name})")
        materials[name] = material
    for name, country, region, phone, email, supplied, subclasses, contact in SUPPLIERS:
        if Supplier.objects.filter(name=name).exists():
            continue
        supplier = Supplier(
            name=name, country=country, region=region, phone=phone, email=email,
            subclasses=subclasses,
        )  # fmt: skip
        person, title, address = contact
        services.create_supplier(
            supplier,
            user=admin,
            materials=[materials[m] for m in supplied],
            contacts=[{"name": person, "job_title": title, "email": address}],
        )
        report.created.append(f"supplier {supplier.code} ({name})")
    for code, number, name, category, kind, spec, process, unit, hs, rev in PARTS:
        customer = Customer.objects.filter(code=code).select_related("owner").first()
        if customer is None or Part.objects.filter(customer=customer, customer_part_number=number):
            continue
        part = Part(
            customer=customer, customer_part_number=number, name=name, category=category,
            part_type=kind, material_spec=spec, process=process, unit=unit, hs_code=hs,
            origin="CN", drawing_revision=rev,
        )  # fmt: skip
        services.create_part(part, user=customer.owner)
        report.created.append(f"part {part.code} ({number})")
        if number == "MB-200":
            drawing(part, customer.owner, report)


def drawing(part, user, report) -> None:
    """A drawing filed under the part: it lands in the customer's folder, in the part's."""
    html = (
        "<html><body style='font-family: \"Noto Sans CJK SC\"'>"
        f"<h1>{part.name}, rev. {part.drawing_revision}</h1>"
        f"<p>{part.customer.company_name} · {part.customer_part_number} · {part.code}</p>"
        f"<p>Material {part.material_spec} · {part.process}</p></body></html>"
    )
    upload = SimpleUploadedFile(
        f"{part.customer_part_number} rev {part.drawing_revision}.pdf",
        render_pdf(html),
        content_type="application/pdf",
    )
    stored = files.store(
        part, upload, user=user, document_type="Drawing", description=f"{part.name} drawing"
    )
    report.created.append(f"file {stored.file.name}")
