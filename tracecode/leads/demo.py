"""The demo company's order leads: some waiting for the manager, some followed up, one
rejected, one lost, and two that became enquiries and orders (one last year, one this week).

Called by tracecode/web/demo.py after the sales demo; a lead is found by its reporter and
product, so a second run adds nothing. Dates are days from today; each step of a lead's
history is dated the day it happened.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from tracecode.customers.models import Customer, CustomerSource
from tracecode.sales import services as sales
from tracecode.sales.demo import Story, day, line

from . import services
from .models import Lead, LeadEvent


@dataclass
class Told:
    reporter: str
    product: str
    value: str
    currency: str
    month: int  # expected order month, months from now
    probability: int
    reported: int
    source: str
    details: str
    customer: str = ""  # an existing customer's code, else the prospect below
    prospect: dict = field(default_factory=dict)
    # what happened since: (day, move, arguments) in order
    story: list = field(default_factory=list)


LEADS = [
    Told(
        "bob",
        "Seat track fittings FTG-12",
        "60000",
        "USD",
        0,
        60,
        -312,
        "trade-show",
        "Met their purchasing team at the Aircraft Interiors Expo; they are moving 3 fittings "
        "out of a supplier in Mexico.",
        customer="RK1037",
        story=[
            (
                -310,
                "accept",
                {
                    "plan": "Send the AS9100 certificate and visit Everett.",
                    "due": -300,
                    "note": "Fits our 5-axis line.",
                },
            ),
            (-308, "result", "Certificate sent, drawing FTG-12 received."),
            (-306, "convert", {"name": "FTG-12"}),
        ],
    ),  # fmt: skip
    Told(
        "alice",
        "Instrument trays, 3 variants",
        "18000",
        "USD",
        1,
        60,
        -25,
        "trade-show",
        "Booth visit at MD&M: 3 tray variants, anodised aluminium, 500 sets a year.",
        customer="RK1043",
        story=[
            (
                -22,
                "accept",
                {
                    "plan": "Quote the 3 variants within a week.",
                    "due": -15,
                    "note": "A new medical customer: worth it.",
                },
            ),
            (-15, "result", "Quotation agreed by phone; they want samples of variant A."),
            (-4, "convert", {"name": "GL-TRAY-3", "sample": True}),
        ],
    ),  # fmt: skip
    Told(
        "bob",
        "CNC shafts for textile machines",
        "12000",
        "USD",
        2,
        50,
        -40,
        "referral",
        "Referred by Osaka Kiki: Vina Precision machines shafts for Japanese customers and "
        "wants a second source.",
        prospect={
            "company_name": "Vina Precision JSC",
            "country": "VN",
            "contact_name": "Nguyen Van An",
            "email": "an.nguyen@vinaprecision.example",
        },
        story=[
            (
                -36,
                "accept",
                {
                    "plan": "Call Mr An, send the capability list, ask for the drawing.",
                    "due": -20,
                    "note": "",
                },
            ),
            (-30, "result", "Capability list sent; drawing promised for next week."),
            (-12, "result", "Drawing received: 3 shaft sizes, SUS304, ground."),
        ],
    ),  # fmt: skip
    Told(
        "alice",
        "Pump housings, cast iron",
        "45000",
        "EUR",
        2,
        40,
        -6,
        "trade-show",
        "Hanse Pumpen looks for a second supplier of GJL-250 housings, 4,000 a year.",
        prospect={
            "company_name": "Hanse Pumpen GmbH",
            "country": "DE",
            "contact_name": "Frau Petersen",
            "email": "einkauf@hanse-pumpen.example",
        },
    ),
    Told(
        "bob",
        "Brake caliper brackets",
        "30000",
        "USD",
        3,
        30,
        -3,
        "platform",
        "RFQ on the platform for 20,000 brackets a year, ductile iron.",
        prospect={
            "company_name": "Bangkok Motor Parts Co., Ltd.",
            "country": "TH",
            "email": "sourcing@bkkmotorparts.example",
        },
    ),
    Told(
        "alice",
        "Stainless hinges",
        "8000",
        "EUR",
        1,
        20,
        -55,
        "website",
        "Web form: 2,000 stainless hinges for boat hatches.",
        prospect={
            "company_name": "Nordic Marine AB",
            "country": "SE",
            "email": "info@nordicmarine.example",
        },
        story=[(-50, "reject", "Volumes too small for our line; passed to a partner workshop.")],
    ),  # fmt: skip
    Told(
        "bob",
        "Ground pins, new size 12 mm",
        "25000",
        "USD",
        -1,
        70,
        -90,
        "referral",
        "Osaka Kiki plans a new packaging machine with a 12 mm pin.",
        customer="RK1040",
        story=[
            (
                -86,
                "accept",
                {
                    "plan": "Offer the 12 mm pin with the 8 mm price logic.",
                    "due": -70,
                    "note": "Existing customer, good chance.",
                },
            ),
            (-70, "result", "Offer sent; they are comparing with in-house grinding."),
            (-45, "result", "Still deciding; visit planned."),
            (-40, "lose", "The customer decided to grind the pins in-house."),
        ],
    ),  # fmt: skip
]


def load(users: dict, report) -> None:
    """Add the demo's leads whose reporter exists and that are not there yet."""
    manager = users.get("mia")
    for told in LEADS:
        reporter = users.get(told.reporter)
        if reporter is None or manager is None:
            continue
        if Lead.objects.filter(reported_by=reporter, product=told.product).exists():
            continue
        customer = Customer.objects.filter(code=told.customer).first() if told.customer else None
        if told.customer and customer is None:
            continue
        lead = _report(told, reporter, customer)
        report.created.append(f"lead {lead.code}")
        for on, move, argument in told.story:
            _happen(lead, on, move, argument, reporter, manager, report)


def _report(told: Told, reporter, customer) -> Lead:
    today = timezone.localdate()
    month = today.replace(day=1)
    for _ in range(abs(told.month)):
        step = 32 if told.month > 0 else -1
        month = (month + datetime.timedelta(days=step)).replace(day=1)
    lead = Lead(
        customer=customer,
        source=CustomerSource.objects.filter(code=told.source).first(),
        product=told.product,
        details=told.details,
        expected_value=Decimal(told.value),
        currency=told.currency,
        expected_month=month,
        probability=told.probability,
        reported_on=day(told.reported),
        **told.prospect,
    )
    services.report_lead(lead, user=reporter)
    _backdate(lead, told.reported)
    return lead


def _happen(lead, on: int, move: str, argument, reporter, manager, report) -> None:
    if move == "accept":
        services.accept(lead, user=manager, assigned_to=reporter, plan=argument["plan"],
                        follow_up_due=day(argument["due"]), note=argument["note"])  # fmt: skip
        Lead.objects.filter(pk=lead.pk).update(decided_on=day(on))
    elif move == "reject":
        services.reject(lead, user=manager, reason=argument)
        Lead.objects.filter(pk=lead.pk).update(decided_on=day(on), closed_on=day(on))
    elif move == "result":
        services.record_result(lead, user=reporter, note=argument, on=day(on))
    elif move == "lose":
        services.lose(lead, user=reporter, reason=argument)
        Lead.objects.filter(pk=lead.pk).update(closed_on=day(on))
    elif move == "convert":
        services.convert(lead, user=reporter)
        lead.refresh_from_db()
        project = lead.project
        type(project).objects.filter(pk=project.pk).update(
            name=argument["name"], received_on=day(on)
        )
        Lead.objects.filter(pk=lead.pk).update(closed_on=day(on))
        report.created.append(f"project {project.code} (from lead {lead.code})")
        if argument.get("sample"):
            _sample(lead, on, reporter, report)
    _backdate(lead, on)


def _sample(lead, on: int, user, report) -> None:
    """The enquiry a lead became gets its quotation and a confirmed sample order."""
    project = lead.project
    project.refresh_from_db()
    story = Story(project.customer, user, report)
    story.quotation(project, on + 1, [(project.name, "6061-T6, anodised", 20, "38.00")],
                    status="accepted", currency=lead.currency, incoterm="DAP",
                    incoterm_place="Grand Rapids, MI")  # fmt: skip
    order = story.order(project, "sample", on + 2, on + 30,
                        [line(project.name, 20, "38.00", "Variant A, 6061-T6, anodised")],
                        currency=lead.currency, payment_terms="100% T/T in advance")  # fmt: skip
    story.confirm(order, min(on + 3, -1))
    sales.tick_checkpoint(order, "production_notified", user=user, done_on=day(min(on + 3, -1)))


def _backdate(lead, on: int) -> None:
    """The history line just written happened that day, not when the demo was loaded."""
    moment = timezone.make_aware(datetime.datetime.combine(day(on), datetime.time(9, 30)))
    last = LeadEvent.objects.filter(lead=lead).order_by("-pk").first()
    if last is not None:
        LeadEvent.objects.filter(pk=last.pk).update(at=moment)
