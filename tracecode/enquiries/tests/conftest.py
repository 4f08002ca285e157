import pytest
from aiosmtpd.controller import Controller

from tracecode.mail import services as mail_services
from tracecode.mail.tests.test_outgoing_smtp import Collector, free_port

from .translations import install_pending


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    """Each test keeps its files in its own folder, and reads this branch's translations."""
    install_pending()
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback; its `envelopes` are what was sent."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "sales@reko-parts.example"
    mail_services.forget_server_status()
    yield collector
    controller.stop()


@pytest.fixture
def no_mail_server(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 5},
        }
    }
    mail_services.forget_server_status()
