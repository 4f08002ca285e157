import pytest


@pytest.fixture(autouse=True)
def rates(settings, tmp_path):
    """Every report test converts with the same rates, and keeps generated files aside."""
    settings.MEDIA_ROOT = tmp_path
    settings.BASE_CURRENCY = "CNY"
    settings.EXCHANGE_RATES = {"USD": "7.10", "EUR": "7.75"}
    settings.HOME_COUNTRY = "CN"


@pytest.fixture(autouse=True)
def pending_translations():
    from .translations import install_pending

    install_pending()
