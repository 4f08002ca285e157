"""Mails are found from the header box by words of their body and of their attachments'
text, by those who may see them."""

import pytest

from tracecode.mail import services
from tracecode.mail.models import MailMessage
from tracecode.mail.tests.factories import customer_with_project, mail_bytes
from tracecode.search.services import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


BODY = """Dear Alice,

the anodizing thickness on the last batch was 12 µm, please confirm before shipment.
法兰盘的平面度要求是0.05，请确认图纸。

Best regards
Jonas Weber"""


def store(order, **extra):
    raw = mail_bytes(subject=f"[{order}] anodizing question", body=BODY, **extra)
    return services.store_mail(raw, source=MailMessage.Source.UPLOAD)


def titles(user, query):
    return [hit.title for group in search(user, query).groups for hit in group.hits]


def test_a_word_of_the_body_finds_the_mail(alice):
    _c, _p, order = customer_with_project(alice)
    store(order)
    assert titles(alice, "anodizing thickness") == [f"[{order}] anodizing question"]
    assert titles(alice, "平面度") == [f"[{order}] anodizing question"]


def test_the_text_of_an_attachment_finds_the_mail(alice):
    _c, _p, order = customer_with_project(alice)
    report = ("report.txt", b"Hardness 58 HRC, case depth 0.8 mm", "text", "plain")
    store(order, attachments=[report])
    assert titles(alice, "case depth") == [f"[{order}] anodizing question"]
    assert titles(alice, "report.txt") == [f"[{order}] anodizing question"]


def test_the_excerpt_shows_the_body_around_the_match(alice):
    _c, _p, order = customer_with_project(alice)
    store(order)
    (hit,) = search(alice, "please confirm before").groups[0].hits
    assert "please confirm before shipment" in hit.text


def test_bob_does_not_find_alices_mail(alice, bob):
    _c, _p, order = customer_with_project(alice)
    store(order)
    for query in ("anodizing thickness", "平面度", "法兰", "Jonas Weber", order):
        assert search(bob, query).groups == []
