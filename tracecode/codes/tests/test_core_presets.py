"""Every preset loads, and each rule family gives its seed's own example code."""

import datetime

import pytest

from tracecode.codes.core import Values, check, example_names, load_preset, preset_text


def code(preset: str, scheme: str, serial: int, **values: object) -> str:
    fields = {k: str(v) for k, v in values.items() if k not in ("parent", "date")}
    given = Values(parent=values.get("parent"), fields=fields, date=values.get("date"))
    return load_preset(preset)[scheme].format(given, serial)


@pytest.mark.parametrize("name", ["reko", *example_names()])
def test_every_preset_file_passes_check(name):
    assert check(preset_text(name)) == []


def test_there_is_an_example_file_per_rule_family():
    assert len(example_names()) == 10


def test_example_scheme_names_are_unique_across_files():
    names = [scheme for example in example_names() for scheme in load_preset(example)]
    assert len(names) == len(set(names))
    merged = load_preset("examples/material")
    for example in example_names():
        merged = merged.merged(load_preset(example))
    assert len(merged) == len(names)


def test_reko_is_the_default_preset():
    assert list(load_preset()) == [
        "customer",
        "contact",
        "project",
        "quotation",
        "order",
        "complaint",
    ]


def test_reko_customer_888_is_RK888():
    assert code("reko", "customer", 888) == "RK888"


def test_reko_customer_serial_grows_past_999_to_RK1038():
    assert code("reko", "customer", 1038) == "RK1038"


def test_reko_sixth_enquiry_of_RK888_is_RK888_6():
    assert code("reko", "project", 6, parent="RK888") == "RK888-6"


def test_reko_first_sample_order_of_project_6_is_S1():
    assert code("reko", "order", 1, parent="RK888-6", kind="S") == "RK888-6-S1"


def test_reko_second_mass_order_is_M2():
    assert code("reko", "order", 2, parent="RK1038-1", kind="M") == "RK1038-1-M2"


def test_reko_processing_order_is_P1():
    assert code("reko", "order", 1, parent="RK1038-1", kind="P") == "RK1038-1-P1"


def test_reko_quotation_and_contact():
    assert code("reko", "quotation", 1, parent="RK1038-1") == "RK1038-1-Q1"
    assert code("reko", "contact", 1, parent="RK1038") == "RK1038-C01"


def test_reko_second_complaint_about_an_order_is_dash_2():
    complaint = load_preset()["complaint"]
    assert complaint.first_serial == 2
    assert code("reko", "complaint", 2, parent="RK1038-1-S1") == "RK1038-1-S1-2"


def test_material_rule_2_2_5_gives_01_01_00001():
    assert code("examples/material", "material", 1, subclass="01.01") == "01.01.00001"
    assert code("examples/material", "material", 1, subclass="02.02") == "02.02.00001"
    assert code("examples/material", "material", 1, subclass="05.05") == "05.05.00001"


def test_crm_customer_contact_and_product_codes():
    crm = "examples/crm"
    assert code(crm, "crm_customer", 1, region="01", industry="02", size="01") == "01-02-01-001"
    assert code(crm, "crm_contact", 1, parent="01-02-01-001") == "01-02-01-001-001"
    assert code(crm, "crm_product", 1, category="01", type="02") == "01-02-001"


def test_nine_digit_dealer_code_of_urumqi_is_980601001():
    assert code("examples/dealer", "dealer", 1, province="98", city="0601") == "980601001"


def test_brand_date_order_is_SO_BG_1209001():
    september_2012 = datetime.date(2012, 9, 14)
    order = code(
        "examples/brand_date",
        "qnet_order",
        1,
        document="SO",
        level="B",
        market="G",
        date=september_2012,
    )
    assert order == "SO-BG-1209001"
    customer = code(
        "examples/brand_date",
        "qnet_customer",
        1,
        level="B",
        market="G",
        brand="A",
        date=september_2012,
    )
    assert customer == "BG-A-1209001"


def test_distribution_and_sales_contracts_count_separately():
    september_2012 = datetime.date(2012, 9, 3)
    preset = "examples/brand_date"
    distribution = code(
        preset, "qnet_distribution_contract", 1, level="B", brand="A", date=september_2012
    )
    sales = code(preset, "qnet_sales_contract", 1, level="B", brand="A", date=september_2012)
    assert (distribution, sales) == ("B.DHT-A-1209001", "B.CHT-A-1209001")


def test_province_city_initials_give_ZJHZ_D0001():
    result = code(
        "examples/province_city", "pc_customer", 1, province="浙江", city="杭州", attribute="D"
    )
    assert result == "ZJHZ-D0001"


def test_category_type_region_code_is_CPD0201001():
    result = code(
        "examples/category_region",
        "cr_customer",
        1,
        category="产品1",
        customer_type="代理商",
        region="0201",
    )
    assert result == "CPD0201001"


def test_category_type_region_counts_per_type_and_region_not_category():
    scheme = load_preset("examples/category_region")["cr_customer"]
    casing = Values(fields={"category": "肠衣", "customer_type": "代理商", "region": "0201"})
    assert scheme.scope_key(casing) == "customer_type=D|region=0201"
    assert scheme.format(casing, 2) == "CYD0201002"


def test_signing_date_code_ends_with_a_serial():
    result = code(
        "examples/signing_date",
        "sl_customer",
        1,
        region=4,
        attribute=2,
        size=1,
        channel=1,
        developer="A",
        date=datetime.date(2005, 2, 20),
    )
    assert result == "SL05024211A01"


def test_shop_stores_take_even_serials_from_02():
    shop = load_preset("examples/shop")["shop_store"]
    shanghai = Values(fields={"attribute": "1", "region": "1", "city": "99"})
    assert shop.first_serial == 2
    assert shop.format(shanghai, shop.first_serial) == "119902"
    assert shop.format(shanghai, shop.next_serial(2)) == "119904"


def test_document_numbers_of_seed_11():
    erp = "examples/erp_documents"
    november = datetime.date(2026, 11, 5)
    assert code(erp, "erp_customer", 1, region="110101") == "C1101010001"
    assert code(erp, "erp_supplier", 1, region="110101") == "S1101010001"
    assert code(erp, "erp_quotation", 1, date=november) == "BJ2026110001"
    assert code(erp, "erp_contract_review", 1, date=november) == "HP2026110001"
    contract = code(erp, "erp_sales_contract", 1, entity="SZQ", date=november)
    assert contract == "WXHSZQ2026110001"
    assert len(contract) == 16
    assert code(erp, "erp_supplementary_contract", 1, parent=contract) == contract + "-1"
    assert code(erp, "erp_supplementary_contract", 2, parent=contract) == contract + "-2"
    assert code(erp, "erp_production_batch", 1, company="QWK", date=november) == "QWK2026110501"


def test_internal_documents_start_at_100_and_widen():
    notice = load_preset("examples/erp_documents")["erp_invoicing_notice"]
    assert notice.format(Values(), notice.next_serial(None)) == "100"
    assert notice.format(Values(), 1000) == "1000"


def test_numeric_multi_level_codes_of_seed_10():
    numeric = "examples/numeric"
    assert code(numeric, "gy_department", 1, plant=7, department="01") == "7011"
    assert code(numeric, "gy_employee", 1) == "00001"
    assert code(numeric, "gy_customer", 1, industry=1, origin=2) == "12001"
    assert code(numeric, "gy_supplier", 1, origin=1) == "1001"
    assert code(numeric, "gy_warehouse", 1, plant=8, kind="03") == "8031"
    assert code(numeric, "gy_material", 1, category=1, subcategory="01") == "1010001"
    assert code(numeric, "gy_work_centre", 1, workshop="01") == "01001"
    assert code(numeric, "gy_process", 1, process_class="01") == "0101"
