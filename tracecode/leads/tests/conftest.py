import pytest


@pytest.fixture(autouse=True)
def pending_translations(settings, tmp_path):
    from tracecode.reports.tests.translations import install_pending

    settings.MEDIA_ROOT = tmp_path
    install_pending()
