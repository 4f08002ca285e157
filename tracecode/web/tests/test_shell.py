import pytest
from django.utils.translation import override

from tracecode.customers.tests.factories import make_customer
from tracecode.testing import startup

pytestmark = pytest.mark.django_db


def test_healthz_says_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_pages_carry_the_security_headers(client_of, alice):
    response = client_of(alice).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_static_assets_are_served_by_the_app(client):
    for path in ["/static/vendor/htmx/htmx.min.js", "/static/vendor/bootstrap/bootstrap.min.css"]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_the_shell_is_in_chinese_when_chosen(client_of, alice):
    client = client_of(alice)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/").content.decode()
    assert "客户" in page and "退出登录" in page


def test_the_home_page_lists_recent_customers(client_of, alice):
    customer = make_customer(alice, name="Lyon Précision Médicale SARL")
    page = client_of(alice).get("/").content.decode()
    assert customer.code in page and "Lyon Précision" in page


def test_a_bad_database_url_refuses_to_start_with_one_line(tmp_path):
    env = {"TRACECODE_DATABASE_URL": "mysql//nonsense", "TRACECODE_DATA_DIR": str(tmp_path)}
    result = startup.check(env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tracecode: TRACECODE_DATABASE_URL")


def test_a_bad_sqlite_mmap_size_refuses_to_start_with_one_line(tmp_path):
    env = {"TRACECODE_SQLITE_MMAP_MB": "2GB", "TRACECODE_DATA_DIR": str(tmp_path)}
    result = startup.check(env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "tracecode: TRACECODE_SQLITE_MMAP_MB must be a number of megabytes: '2GB'"
    ]


def test_the_connection_reads_as_the_settings_say():
    """SQLite reads through memory-mapped pages; PostgreSQL plans the search's prepared
    statements once (Django's own are never prepared)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA mmap_size")
            assert cursor.fetchone()[0] >= 2**30
        else:
            cursor.execute("SHOW plan_cache_mode")
            assert cursor.fetchone()[0] == "force_generic_plan"


def test_options_a_postgresql_url_gives_are_kept(monkeypatch):
    from tracecode.settings import database

    url = "postgres://tc@db.example:5432/tc?options=-c%20search_path%3Dtc"
    options = database(url)["OPTIONS"]["options"]
    assert options == "-c search_path=tc -c plan_cache_mode=force_generic_plan"
    monkeypatch.setenv("TRACECODE_DB_PGBOUNCER", "true")  # PgBouncer refuses such options
    assert database(url)["OPTIONS"]["options"] == "-c search_path=tc"


def test_every_ui_string_has_a_chinese_translation():
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "locale/zh_Hans/LC_MESSAGES/django.po"
    entries = po.read_text().split("\n\n")[1:]  # the first entry is the catalogue header
    missing = [e for e in entries if 'msgstr ""' in e.splitlines()[-1] and "msgstr[" not in e]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert entries, "the zh-hans catalogue is empty"
    assert not missing, missing[:3]
    assert not fuzzy, fuzzy[:3]
    with override("zh-hans"):
        from django.utils.translation import gettext

        assert gettext("Customers") == "客户"


def test_the_documented_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        "TRACECODE_DATA_DIR": str(tmp_path),
        "TRACECODE_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "TRACECODE_ALLOWED_HOSTS": "crm.example.com",
        "TRACECODE_HTTPS": "true",
    }
    result = startup.check(env, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_model_change_has_its_migration():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
