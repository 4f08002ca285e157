"""Processing (toll manufacturing) orders: BOM, contract review, agreement, IQC per lot."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tracecode.sales import services, workflow

from .factories import (
    MOVE_DATA,
    PRODUCTION_CHECKS,
    make_customer,
    make_order,
    make_project,
    move,
    today,
)

pytestmark = pytest.mark.django_db

BOM = [
    {
        "part_number": "PCB-7731",
        "description": "Bare board, customer-supplied",
        "quantity_per_unit": Decimal("1"),
        "unit": "pcs",
        "supplied_by": "customer",
    },
    {
        "part_number": "IC-STM32G0",
        "description": "MCU, customer-supplied",
        "quantity_per_unit": Decimal("1"),
        "unit": "pcs",
        "supplied_by": "customer",
    },
    {
        "part_number": "SOLDER-SAC305",
        "description": "Solder paste",
        "quantity_per_unit": Decimal("0.002"),
        "unit": "kg",
        "supplied_by": "factory",
    },
]


@pytest.fixture
def order(alice):
    project = make_project(make_customer(alice, name="苏州精工电子有限公司"), name="PCBA-7731")
    return make_order(
        project, "processing", process_requirements="Lead-free reflow, IPC-A-610 class 2"
    )


def confirm(order, user):
    return services.transition(order, "confirm", user=user, data=MOVE_DATA["confirm"]())


def receive(order, part, lot, user):
    line = order.bom_lines.get(part_number=part)
    return services.receive_material(
        order,
        user=user,
        values={
            "bom_line": line,
            "lot_number": lot,
            "quantity": Decimal("500"),
            "received_on": today(),
        },
    )


def test_a_processing_order_is_numbered_p1(order):
    assert order.code.endswith("-P1") and order.is_processing


def test_it_is_confirmed_only_after_bom_contract_review_and_agreement(order, alice):
    with pytest.raises(workflow.IllegalTransition) as refused:
        confirm(order, alice)
    assert refused.value.problems == [
        "the customer's BOM is not entered",
        "“Contract review” is not done",
        "“Processing agreement signed” is not done",
    ]
    services.save_bom(order, BOM)
    services.tick_checkpoint(order, "contract_review", user=alice)
    services.tick_checkpoint(order, "processing_agreement", user=alice)
    assert confirm(order, alice).state == "confirmed"


def test_production_waits_until_every_customer_material_passed_iqc(order, alice):
    services.save_bom(order, BOM)
    for name in ("contract_review", "processing_agreement", *PRODUCTION_CHECKS):
        services.tick_checkpoint(order, name, user=alice)
    order = confirm(order, alice)
    pcb = receive(order, "PCB-7731", "L2026-1101", alice)
    with pytest.raises(workflow.IllegalTransition) as refused:
        services.transition(order, "start_production", user=alice)
    assert refused.value.problems == [
        "no lot of PCB-7731 has passed incoming inspection (IQC)",
        "no lot of IC-STM32G0 has passed incoming inspection (IQC)",
        "lots waiting for IQC: L2026-1101",
    ]
    services.inspect_lot(pcb, user=alice, values={"result": "passed", "inspected_on": today()})
    mcu = receive(order, "IC-STM32G0", "L2026-1102", alice)
    services.inspect_lot(
        mcu,
        user=alice,
        values={
            "result": "rejected",
            "inspected_on": today(),
            "inspection_note": "Wrong date code",
        },
    )
    with pytest.raises(workflow.IllegalTransition, match="no lot of IC-STM32G0"):
        services.transition(order, "start_production", user=alice)
    again = receive(order, "IC-STM32G0", "L2026-1109", alice)
    services.inspect_lot(
        again,
        user=alice,
        values={
            "result": "concession",
            "inspected_on": today(),
            "inspection_note": "Date code 2 weeks old, accepted",
        },
    )
    assert services.transition(order, "start_production", user=alice).state == "in_production"


def test_checkpoints_of_processing_orders_do_not_apply_to_sample_orders(alice):
    sample = make_order(make_project(make_customer(alice)))
    with pytest.raises(workflow.IllegalTransition, match="not a checkpoint of this order"):
        services.tick_checkpoint(sample, "contract_review", user=alice)


def test_the_bom_is_fixed_once_confirmed(order, alice):
    services.save_bom(order, BOM)
    services.tick_checkpoint(order, "contract_review", user=alice)
    services.tick_checkpoint(order, "processing_agreement", user=alice)
    order = confirm(order, alice)
    with pytest.raises(ValidationError, match="fixed once the order is confirmed"):
        services.save_bom(order, BOM[:1])


def test_repairs_are_recorded_after_delivery(order, alice):
    services.save_bom(order, BOM)
    for name in ("contract_review", "processing_agreement"):
        services.tick_checkpoint(order, name, user=alice)
    with pytest.raises(ValidationError, match="delivered processing orders"):
        services.record_repair(order, user=alice, values={"quantity": 3, "fault": "No boot"})
    order = confirm(order, alice)
    for part in ("PCB-7731", "IC-STM32G0"):
        lot = receive(order, part, f"L-{part}", alice)
        services.inspect_lot(lot, user=alice, values={"result": "passed", "inspected_on": today()})
    order = move(order, "start_production", "finish_production", "ship", user=alice)
    repair = services.record_repair(
        order,
        user=alice,
        values={
            "quantity": Decimal("3"),
            "fault": "No boot: cold joint on U3",
            "received_on": today(),
        },
    )
    assert repair.order == order and order.events.filter(action="repair").exists()
