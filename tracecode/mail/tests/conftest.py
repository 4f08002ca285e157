import pytest


@pytest.fixture(autouse=True)
def _mail_files(settings, tmp_path):
    """Each test keeps its files in its own folder and runs background tasks at once."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
