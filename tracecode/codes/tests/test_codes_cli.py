import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tracecode.codes import core

pytestmark = pytest.mark.django_db


def run(*args, capsys):
    call_command("codes", *args)
    return capsys.readouterr().out


def test_check_accepts_every_shipped_preset(capsys):
    for name in ["reko", *core.example_names()]:
        out = run("check", str(core.preset_path(name)), capsys=capsys)
        assert "OK" in out


def test_check_prints_one_line_per_problem_and_fails(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[scheme.a]\npattern = "A{serial:2}{serial:3}"\n\n[scheme.b]\npattern = "B"\n')
    with pytest.raises(SystemExit) as exit_:
        call_command("codes", "check", str(path))
    assert exit_.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert "scheme.a" in lines[0] and "scheme.b" in lines[1]
    assert all(line.startswith(f"{path}: line") for line in lines)


def test_next_prints_the_code_last(capsys):
    assert run("next", "customer", capsys=capsys).splitlines()[-1] == "RK001"
    out = run("next", "project", "--parent", "RK001", capsys=capsys)
    assert out.splitlines()[-1] == "RK001-1"
    out = run("next", "order", "--parent", "RK001-1", "--field", "kind=S", capsys=capsys)
    assert out.splitlines()[-1] == "RK001-1-S1"


def test_preview_uses_nothing(capsys):
    assert run("preview", "customer", capsys=capsys).strip() == "RK001"
    assert run("next", "customer", capsys=capsys).strip() == "RK001"


def test_dated_schemes_take_the_given_date(tmp_path, capsys):
    path = tmp_path / "bj.toml"
    path.write_text('[scheme.bj]\npattern = "BJ{YYYY}{MM}{serial:4}"\n')
    run("load", str(path), capsys=capsys)
    assert run("next", "bj", "--date", "2025-03-09", capsys=capsys).strip() == "BJ2025030001"


def test_explain_and_find_print_json(capsys):
    import json

    explained = json.loads(run("explain", "RK1038-1-S1", capsys=capsys))
    assert explained["scheme"] == "order"
    found = json.loads(run("find", "PI", "RK1038-1-M2", "and", "RK10381x", capsys=capsys))
    assert [f["code"] for f in found] == ["RK1038-1-M2"]


def test_import_is_all_or_nothing(tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("code,name\nRK888,Nordwerk\n")
    bad.write_text("code\nRK889\nnot-a-code\n")
    with pytest.raises(CommandError, match="line 3"):
        call_command("codes", "import", str(bad), "--scheme", "customer")
    assert "imported 1" in run("import", str(good), "--scheme", "customer", capsys=capsys)
    assert run("next", "customer", capsys=capsys).strip() == "RK889"


def test_a_missing_file_is_one_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        call_command("codes", "check", "/nonexistent.toml")


def test_a_file_may_name_a_parent_scheme_already_in_force(tmp_path, capsys):
    path = tmp_path / "bj.toml"
    path.write_text('[scheme.quotation]\nparent = "project"\npattern = "{parent}-BJ{serial:2}"\n')
    assert "OK" in run("check", str(path), capsys=capsys)
    run("load", str(path), capsys=capsys)
    run("next", "customer", capsys=capsys)
    run("next", "project", "--parent", "RK001", capsys=capsys)
    assert run("next", "quotation", "--parent", "RK001-1", capsys=capsys).strip() == "RK001-1-BJ01"


def test_check_changes_nothing_in_the_database(tmp_path, capsys):
    from tracecode.codes.models import Scheme

    path = tmp_path / "ok.toml"
    path.write_text('[scheme.bj]\npattern = "BJ{YYYY}{MM}{serial:4}"\n')
    run("check", str(path), capsys=capsys)
    assert not Scheme.objects.exists()


def test_check_of_a_deeply_nested_file_is_one_line_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(SystemExit) as exit_:
        call_command("codes", "check", str(path))
    assert exit_.value.code == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "nested too deeply" in line
