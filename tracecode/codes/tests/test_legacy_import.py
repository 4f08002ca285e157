import pytest

from tracecode.codes import services
from tracecode.codes.models import CodeEntry
from tracecode.codes.services import CodingError

from .helpers import give, load

pytestmark = pytest.mark.django_db


def test_imported_codes_are_kept_and_the_counter_moves_past_them():
    result = services.import_csv(
        "code,company\nRK888,Nordwerk\nRK1036,Suzhou\nRK1037,Pacific\n", "customer"
    )
    assert result.imported == ["RK888", "RK1036", "RK1037"]
    assert CodeEntry.objects.get(code="RK888").origin == "imported"
    assert give("customer") == "RK1038"


def test_a_bad_row_names_its_line_and_nothing_is_imported():
    with pytest.raises(CodingError) as error:
        services.import_csv("code\nRK888\nRK1036\nR-K7\nRK1037\n", "customer")
    assert str(error.value).startswith("line 4: R-K7 is not a customer code")
    assert not CodeEntry.objects.exists()
    assert give("customer") == "RK001"


def test_a_code_imported_twice_is_refused_with_its_line():
    with pytest.raises(CodingError, match="line 2: RK888 is already registered"):
        services.import_csv("RK888\nRK888\n", "customer")
    assert not CodeEntry.objects.exists()


def test_imports_move_counters_of_child_scopes_too():
    services.import_csv("RK888\n", "customer")
    services.import_csv("RK888-6\n", "project")
    assert give("project", parent="RK888") == "RK888-7"


def test_a_stepped_scheme_continues_after_the_imported_serial():
    load('[scheme.store]\npattern = "S{serial:2}"\nstart = 2\nstep = 2\n')
    services.register_legacy("S08", "store")  # stores are even, counters odd
    assert give("store") == "S10"


def test_a_code_the_scheme_cannot_give_is_refused():
    load('[scheme.store]\npattern = "S{serial:2}"\nstart = 2\nstep = 2\n')
    with pytest.raises(CodingError, match="S05 is not a store code"):
        services.register_legacy("S05", "store")


def test_importing_never_moves_a_counter_back(administrator):
    give("customer")
    services.set_next("customer", 10, user=administrator, reason="skip to 10")
    services.register_legacy("RK005", "customer")  # a number the skip left unused
    assert give("customer") == "RK010"


def test_a_carriage_return_ends_a_row_as_old_mac_files_do():
    result = services.import_csv("code\rRK888\rRK1036\r\nRK1037\n", "customer")
    assert result.imported == ["RK888", "RK1036", "RK1037"]


def test_a_carriage_return_inside_a_quoted_cell_is_a_bad_row():
    with pytest.raises(CodingError, match="line 2: "):
        services.import_csv('code\n"RK8\r88"\n', "customer")
    assert not CodeEntry.objects.exists()


def test_a_cell_too_large_for_csv_names_its_line():
    with pytest.raises(CodingError, match="line 3: "):
        services.import_csv("code\nRK888\n" + "8" * 200_000 + "\n", "customer")
    assert not CodeEntry.objects.exists()


def test_a_nul_character_is_a_bad_row():
    with pytest.raises(CodingError, match="line 2: "):
        services.import_csv("code\nRK8\x0088\n", "customer")
