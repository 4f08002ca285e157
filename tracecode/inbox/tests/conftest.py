import pytest

from tracecode.sales.tests.factories import make_customer, make_order, make_project


@pytest.fixture
def inbox(settings, tmp_path, alice):
    """The watched folder, scanned as alice, with no quiet period unless a test asks for one."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.INBOX_DIR = str(folder)
    settings.INBOX_USER = alice.username
    settings.INBOX_QUIET_SECONDS = 0
    return folder


@pytest.fixture
def order(alice):
    project = make_project(make_customer(alice), alice, name="SP1003")
    return make_order(project, "sample", user=alice)
