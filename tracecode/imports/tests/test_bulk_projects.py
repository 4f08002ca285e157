"""A chunk's new projects are written together (Projects.save_rows): whatever the sheet holds,
that saves exactly what saving each row through save_row saves: codes under their customers,
parts named by the project's name, history, projects won or lost by their moves."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracecode.codes.models import CodeEntry
from tracecode.codes.services import forget_schemes
from tracecode.registers.tests.factories import make_part
from tracecode.sales.models import Project, ProjectEvent
from tracecode.sales.tests.factories import make_customer, make_project

from . import both_ways
from .both_ways import flawed
from .helpers import run

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Customer", "Project name", "Part", "Enquiry received", "Status",
          "Reason lost"]  # fmt: skip
# RK001 has a project (RK001-1) and a part SP1003; RK003 is the administrator's (alice may not
# change it). Codes: none, old ones (in lower case too, repeated), the project made before the
# import, one under another customer.
GOOD = {
    "Code": st.sampled_from([None] * 6 + ["RK001-1", "RK001-5", "rk001-5", "RK002-3", "RK001-2"]),
    "Customer": st.sampled_from(["RK001", "rk001", "RK002", "RK003"]),
    "Project name": st.sampled_from(["SP1003", "sp1003 ", "Bracket", "支架"]),
    "Part": st.sampled_from(["", "", "", "01-04-001"]),
    "Enquiry received": st.sampled_from(["", "2025-11-03", "2026-01-15"]),
    "Status": st.sampled_from(["", "", "", "new", "won", "lost"]),
    "Reason lost": st.sampled_from(["", "", "price"]),
}
BAD = {"Code": "XX-12", "Customer": "RK999", "Project name": "", "Part": "NOPE",
       "Enquiry received": "someday", "Status": "sampling"}  # fmt: skip
FIRST = {"Code": None, "Customer": "RK001", "Project name": "Bracket", "Part": "",
         "Enquiry received": "", "Status": "", "Reason lost": ""}  # fmt: skip


def rows_of():
    return flawed(GOOD, BAD, clean=30)


def sheet(rows: list[dict]) -> bytes:
    return both_ways.sheet("Projects", HEADER, rows)


def world(alice, administrator):
    """Three customers, a project and a part, as the import finds them."""
    forget_schemes()  # the example before rolled its schemes back
    nordwerk = make_customer(alice, "Nordwerk Automotive GmbH")  # RK001
    make_customer(alice, "Kowa Seiki K.K.", country="JP")  # RK002
    make_customer(administrator, "Lyon Précision SARL", country="FR")  # RK003
    make_part(nordwerk, "SP1003")  # 01-04-001
    make_project(nordwerk, alice, name="Housing")  # RK001-1


@example(
    rows=[
        FIRST,  # RK001-2
        {**FIRST, "Code": "RK001-5", "Project name": "SP1003"},  # its part by its name
        {**FIRST, "Customer": "RK002", "Status": "won"},  # RK002-1, then won
        {**FIRST, "Code": "rk001-5", "Project name": "支架"},  # the second row's, updated
        {**FIRST, "Status": "lost", "Reason lost": "price"},  # RK001-6, then lost
        {**FIRST, "Code": "RK001-1", "Enquiry received": "2025-11-03"},  # updated
        {**FIRST, "Customer": "rk001"},  # RK001-7
    ],
    keep_good=False, chunk=500, as_manager=False,
)  # fmt: skip
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(rows_of(), min_size=1, max_size=12), keep_good=st.booleans(),
       chunk=st.sampled_from([2, 3, 500]), as_manager=st.booleans())  # fmt: skip
def test_bulk_saves_what_row_by_row_saves(
    rows, keep_good, chunk, as_manager, administrator, alice, monkeypatch
):
    user = administrator if as_manager else alice
    bulk, one_by_one = both_ways.compared(
        "projects",
        user,
        sheet(rows),
        keep_good,
        chunk,
        monkeypatch,
        lambda: world(alice, administrator),
    )
    assert bulk == one_by_one


def test_a_chunk_of_projects_gets_codes_parts_and_history_as_one_by_one(alice, administrator):
    world(alice, administrator)
    rows = [FIRST, {**FIRST, "Project name": "SP1003"}, {**FIRST, "Code": "RK001-9"},
            {**FIRST, "Customer": "RK002", "Status": "won"}, FIRST]  # fmt: skip
    outcome = run("projects", sheet(rows), alice)
    assert outcome.counts() == {"new": 5, "updated": 0, "unchanged": 0, "failed": 0}
    assert [u["code"] for u in outcome.undo] == ["RK001-2", "RK001-3", "RK001-9", "RK002-1",
                                                 "RK001-10"]  # fmt: skip
    assert Project.objects.get(code="RK001-3").part.code == "01-04-001"
    assert Project.objects.get(code="RK002-1").status == Project.Status.WON
    created = ProjectEvent.objects.filter(action="created", by=alice)
    assert sorted(created.values_list("project__code", flat=True)) == [
        "RK001-1", "RK001-10", "RK001-2", "RK001-3", "RK001-9", "RK002-1"]  # fmt: skip
    assert CodeEntry.objects.get(code="RK001-9").origin == "imported"
