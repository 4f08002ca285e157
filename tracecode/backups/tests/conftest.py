import pytest


@pytest.fixture(autouse=True)
def places(settings, tmp_path):
    """Files, archives and the demo password of each test in its own folders."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.BACKUP_TO = str(tmp_path / "backups")
    settings.DEMO_PASSWORD = "demo-pass-123"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return tmp_path
