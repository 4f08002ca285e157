import pytest

from .translations import install_pending


@pytest.fixture(autouse=True)
def _imports(settings, tmp_path):
    """Each test keeps its files in its own folder, runs tasks at once, and reads this
    branch's translations."""
    install_pending()
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def lists(db):
    """The customer sheet's lists (industries, sources …), as a new installation has them."""
    from tracecode.customers.lists import seed_app_lists

    seed_app_lists()
