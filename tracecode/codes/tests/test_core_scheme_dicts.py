"""Schemes are stored as plain dicts and come back the same; sets merge and re-validate."""

import json

import pytest

from tracecode.codes.core import SchemeError, SchemeSet, example_names, load, load_preset


@pytest.mark.parametrize("name", ["reko", *example_names()])
def test_every_preset_round_trips_through_json_dicts(name):
    schemes = load_preset(name)
    stored = json.loads(json.dumps(schemes.as_dicts()))
    again = SchemeSet.from_dicts(stored)
    assert again == schemes
    assert list(again) == list(schemes)
    for scheme in schemes.values():
        assert again[scheme.name].as_dict() == scheme.as_dict()


def test_as_dict_holds_every_setting():
    order = load_preset()["order"].as_dict()
    assert order == {
        "label": "Order",
        "label_zh": "订单",
        "pattern": "{parent}-{kind}{serial:1+}",
        "parent": "project",
        "tables": {
            "kind": {
                "S": {"label": "Sample order", "label_zh": "样品订单"},
                "M": {"label": "Mass order", "label_zh": "批量订单"},
                "P": {"label": "Processing order (toll manufacturing)", "label_zh": "来料加工订单"},
            }
        },
        "start": 1,
        "step": 1,
        "on_overflow": "error",
        "scope": ["parent", "kind"],
        "max_length": 20,
    }


def test_a_scheme_without_label_is_labelled_from_its_name():
    scheme = load('[scheme.sales_order]\npattern = "SO{serial:4}"\n')["sales_order"]
    assert (scheme.label, scheme.label_zh) == ("Sales order", "Sales order")


def test_the_set_is_a_mapping_in_file_order():
    schemes = load_preset()
    assert "order" in schemes and "invoice" not in schemes
    assert len(schemes) == 6
    assert schemes["order"].name == "order"
    assert list(schemes)[0] == "customer"


def test_merged_replaces_same_named_schemes_and_keeps_order():
    wider = load('[scheme.customer]\nlabel = "Customer"\npattern = "RK{serial:4+}"\n')
    merged = load_preset().merged(wider)
    assert list(merged) == list(load_preset())
    assert merged["customer"].serial_width == 4
    assert merged["order"].parent_scheme is merged["project"]
    assert merged["project"].longest_length() == 8


def test_merged_adds_new_schemes_at_the_end():
    extra = load('[scheme.invoice]\npattern = "INV{YYYY}{serial:4}"\n')
    assert list(load_preset().merged(extra))[-1] == "invoice"


def test_merged_is_validated_again():
    too_long = load('[scheme.customer]\npattern = "REKOCUSTOMER{serial:6+}"\n')
    with pytest.raises(SchemeError) as raised:
        load_preset().merged(too_long)
    refused = {p.scheme for p in raised.value.problems}
    assert refused == {"contact", "quotation", "order", "complaint"}
