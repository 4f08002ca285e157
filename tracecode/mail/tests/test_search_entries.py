"""Mails in the search index: subject, body, sender and attachment text, with mail permissions."""

import pytest

from tracecode.mail import records, services
from tracecode.mail.models import MailMessage

from .factories import customer_with_project, mail_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def found(user, query):
    from tracecode.search.services import search

    return [hit.title for group in search(user, query).groups for hit in group.hits]


def test_a_filed_mail_is_found_by_a_word_of_its_attachment_by_those_who_see_it(alice, bob):
    _c, _p, order = customer_with_project(alice)
    services.store_mail(
        mail_bytes(
            subject=f"[{order}] inspection report",
            sender="Jonas Weber <jonas@nordwerk.example>",
            body="Report attached.",
            attachments=[("report.txt", b"hardness 58 HRC quenchingtest ok", "text", "plain")],
        ),
        source=MailMessage.Source.UPLOAD,
    )
    assert found(alice, "quenchingtest") == [f"[{order}] inspection report"]
    assert found(alice, "nordwerk.example") == [f"[{order}] inspection report"]
    assert found(bob, "quenchingtest") == []


def test_a_mail_filed_later_is_found_then(alice):
    _c, project, _o = customer_with_project(alice)
    mail = services.store_mail(
        mail_bytes(subject="zeppelinbracket question"),
        source=MailMessage.Source.UPLOAD,
        owner=alice,
    )
    assert found(alice, "zeppelinbracket") == []  # personal and unfiled: not in the index
    services.file_mail(mail, project, alice)
    assert found(alice, "zeppelinbracket") == ["zeppelinbracket question"]


def test_the_entries_of_a_mail_under_two_customers(alice):
    _c, _p, first = customer_with_project(alice)
    _c2, _p2, second = customer_with_project(alice, "Kowa Seiki")
    mail = services.store_mail(
        mail_bytes(subject=f"{first} and {second}"), source=MailMessage.Source.UPLOAD
    )
    entries = list(records.mail_entries(mail))
    assert sorted(e["code"] for e in entries) == sorted([first, second])
    assert len({e["customer"] for e in entries}) == 2
