import pytest

from tracecode.company.tests.translations import install_pending


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    """Each test keeps its files in its own folder, and reads this branch's translations."""
    install_pending()
    settings.MEDIA_ROOT = tmp_path / "files"
