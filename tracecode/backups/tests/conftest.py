import pytest


@pytest.fixture(autouse=True)
def places(settings, tmp_path):
    """Files, archives and the demo password of each test in its own folders."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.BACKUP_TO = str(tmp_path / "backups")
    settings.DEMO_PASSWORD = "demo-pass-123"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return tmp_path


@pytest.fixture
def wipe():
    """`wipe()` empties the database (no tables) and the file store; the tables come back
    (migrated, empty) after the test if it left none, for the tests after it."""
    from django.core.management import call_command
    from django.db import connection

    from .helpers import wipe as empty

    yield empty
    if "django_migrations" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


@pytest.fixture(autouse=True)
def alone_on_the_database(request):
    """A restore on PostgreSQL refuses while another session uses the database, as it must in
    production; here the live server of an earlier browser test may still hold one. Its
    connection is checked before reuse (CONN_HEALTH_CHECKS), so it simply reconnects."""
    if "django_db_setup" not in request.fixturenames:
        yield
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    yield
