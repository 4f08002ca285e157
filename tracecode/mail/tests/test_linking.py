"""Where a mail is filed: subject codes, then body codes, then its thread, then its sender."""

import pytest

from tracecode.mail import services
from tracecode.mail.models import How, MailMessage

from .factories import customer_with_project, mail_bytes, new_contact

pytestmark = pytest.mark.django_db


def store(raw, owner=None):
    return services.store_mail(raw, source=MailMessage.Source.UPLOAD, owner=owner)


def links(mail):
    return sorted((link.code, link.how) for link in mail.links.all())


def test_codes_in_the_subject_come_first(alice):
    _customer, project, order = customer_with_project(alice)
    mail = store(mail_bytes(subject=f"{order} drawing", body=f"see also {project}"))
    assert links(mail) == [(order, How.SUBJECT)]


def test_codes_in_the_body_when_the_subject_has_none(alice):
    _customer, project, _order = customer_with_project(alice)
    mail = store(mail_bytes(subject="drawing", body=f"This is about {project}."))
    assert links(mail) == [(project, How.BODY)]


def test_one_mail_may_belong_to_several_codes(alice):
    _c, _p, order = customer_with_project(alice)
    _c2, _p2, other = customer_with_project(alice, "Kowa Seiki Co., Ltd.")
    mail = store(mail_bytes(subject=f"{order} and {other}: combined shipment"))
    assert {code for code, _how in links(mail)} == {order, other}
    assert mail.links.values("customer").distinct().count() == 2


def test_an_unregistered_code_links_nothing(alice):
    mail = store(mail_bytes(subject="RK9999-1-S1 quotation", sender="x@unknown.example"))
    assert links(mail) == []


def test_a_reply_without_code_inherits_its_thread(alice):
    _c, _p, order = customer_with_project(alice)
    first = store(mail_bytes(subject=f"[{order}] samples", message_id="<a@x>"))
    reply = store(mail_bytes(subject="Re: samples", message_id="<b@x>", in_reply_to="<a@x>"))
    second = store(
        mail_bytes(subject="Re: Re: samples", message_id="<c@x>", references=["<a@x>", "<b@x>"])
    )
    assert links(first) == [(order, How.SUBJECT)]
    assert links(reply) == [(order, How.THREAD)]
    assert links(second) == [(order, How.THREAD)]


def test_a_reply_imported_before_its_parent_is_relinked_when_the_parent_arrives(alice):
    _c, _p, order = customer_with_project(alice)
    reply = store(mail_bytes(subject="Re: samples", message_id="<b@x>", in_reply_to="<a@x>"))
    assert links(reply) == []
    store(mail_bytes(subject=f"[{order}] samples", message_id="<a@x>"))
    assert links(reply) == [(order, How.THREAD)]


def test_the_senders_address_links_to_the_contacts_customer(alice):
    customer, _p, _o = customer_with_project(alice)
    new_contact(customer, alice, "Jonas Weber", email="jonas@nordwerk.example")
    mail = store(mail_bytes(subject="hello", sender="JONAS@nordwerk.example"))
    assert links(mail) == [(customer.code, How.SENDER)]


def test_the_company_email_links_too(alice):
    customer, _p, _o = customer_with_project(alice, email="info@kowa.example")
    mail = store(mail_bytes(subject="hello", sender="info@kowa.example"))
    assert links(mail) == [(customer.code, How.SENDER)]


def test_an_address_of_two_customers_is_ambiguous_and_waits_unfiled(alice):
    first, _p, _o = customer_with_project(alice, "A GmbH", email="agent@trade.example")
    second, _p, _o = customer_with_project(alice, "B GmbH", email="agent@trade.example")
    mail = store(mail_bytes(subject="hello", sender="agent@trade.example"))
    assert links(mail) == []
    assert MailMessage.objects.unfiled().filter(pk=mail.pk).exists()


def test_a_forwarded_mail_is_filed_like_any_other(alice):
    _c, _p, order = customer_with_project(alice)
    inner = mail_bytes(subject=f"[{order}] the original")
    from email.message import EmailMessage

    outer = EmailMessage()
    outer["Subject"] = "Fwd: see below"
    outer["From"] = "colleague@reko-parts.example"
    outer["To"] = "mail@reko-parts.example"
    outer["Message-ID"] = "<fwd@reko>"
    outer.set_content("FYI")
    outer.add_attachment(inner, maintype="message", subtype="rfc822")
    mail = store(bytes(outer))
    assert [code for code, _how in links(mail)] == [order]


def test_in_one_mbox_a_reply_before_its_parent_joins_the_thread(alice, tmp_path):
    from .factories import mbox_bytes

    _c, _p, order = customer_with_project(alice)
    path = tmp_path / "box.mbox"
    path.write_bytes(
        mbox_bytes(
            mail_bytes(subject="Re: samples", message_id="<b@x>", in_reply_to="<a@x>"),
            mail_bytes(subject=f"[{order}] samples", message_id="<a@x>"),
        )
    )
    services.import_files([path])
    assert links(MailMessage.objects.get(message_id="<b@x>")) == [(order, How.THREAD)]
