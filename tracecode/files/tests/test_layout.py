"""Folder and file names that every operating system accepts, and that do not move."""

import datetime

import pytest

from tracecode.files import layout
from tracecode.files.folders import folder_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "given, safe",
    [
        ("Acme: Parts / Tools?", "Acme_ Parts _ Tools_"),
        ("CON", "CON_"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("report\x00\x07.pdf", "report.pdf"),
        ("gpj\u202e.exe", "gpj.exe"),
        ("  trailing dots...  ", "trailing dots"),
        ("", "file"),
        ("..", "file"),
        ("苏州精工电子有限公司", "苏州精工电子有限公司"),
    ],
)
def test_names_are_safe_everywhere(given, safe):
    assert layout.safe_name(given) == safe


def test_long_names_are_cut_but_keep_their_extension():
    name = layout.safe_name("x" * 300 + ".step")
    assert len(name) <= layout.NAME_CHARS and name.endswith(".step")


def test_a_file_is_named_by_its_code_type_date_and_version():
    day = datetime.date(2026, 11, 22)
    assert (
        layout.file_name("RK1038-1", "Drawing", day, 1, ".pdf") == "RK1038-1 Drawing 2026-11-22.pdf"
    )
    assert layout.file_name("RK1038-1-S1", "PI", day, 3, ".xlsx") == (
        "RK1038-1-S1 PI 2026-11-22 v3.xlsx"
    )


def test_a_folder_keeps_its_first_name_when_the_company_is_renamed(customer, project):
    first = folder_of(project)
    assert first == f"{customer.code} Nordwerk Automotive GmbH/{project.code} SP1003 housing"
    customer.company_name = "Nordwerk Automotive AG"
    customer.save()
    project.name = "SP1003 housing rev C"
    project.save()
    assert folder_of(project) == first


def test_an_order_folder_is_its_code_under_its_project(order, project):
    assert folder_of(order) == f"{folder_of(project)}/{order.code}"


def test_a_company_name_with_reserved_characters_makes_a_safe_folder(alice):
    from tracecode.sales.tests.factories import make_customer

    customer = make_customer(alice, name='Müller <GmbH> & "Söhne": Werk 2/3')
    assert folder_of(customer) == f"{customer.code} Müller _GmbH_ & _Söhne__ Werk 2_3"
