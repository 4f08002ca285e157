"""Reply, reply to all and forward, sent through a real SMTP server on loopback: the answer
stays in its thread (In-Reply-To, References) on both ends, carries the code in its
subject, and is filed under it; only mails one may see can be answered."""

import email
import email.policy

import pytest
from django.urls import reverse

from tracecode.mail import services
from tracecode.mail.models import How, MailMessage
from tracecode.sales.tests.factories import make_customer, make_project

from .factories import mail_bytes
from .test_outgoing_smtp import smtp_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def incoming(project, **fields):
    """A mail from the customer, filed by hand under the project (no code in its subject)."""
    fields.setdefault("subject", "Drawing for the bracket")
    fields.setdefault("message_id", "<m2@nordwerk.example>")
    fields.setdefault("references", ["<m1@nordwerk.example>"])
    fields.setdefault("in_reply_to", "<m1@nordwerk.example>")
    mail = services.store_mail(
        mail_bytes(**fields), source=MailMessage.Source.IMAP, owner=project.customer.owner
    )
    services.file_mail(mail, project.code, project.customer.owner)
    return mail


@pytest.fixture
def project(alice):
    return make_project(make_customer(alice), alice, name="SP1003")


def sent(smtp_server):  # noqa: F811
    return email.message_from_bytes(smtp_server.envelopes[-1].content, policy=email.policy.default)


def test_a_reply_stays_in_the_thread_with_the_code_in_its_subject(
    alice,
    project,
    client_of,
    smtp_server,  # noqa: F811
):
    mail = incoming(project)
    client = client_of(alice)
    page = client.get(reverse("mail:reply", args=[mail.pk])).content.decode()
    assert f'value="Re: [{project.code}] Drawing for the bracket"' in page
    assert 'value="jonas@nordwerk.example"' in page
    assert "&gt; Please find the drawing attached." in page  # the quoted mail

    response = client.post(
        reverse("mail:reply", args=[mail.pk]),
        {"code": project.code, "to": "jonas@nordwerk.example",
         "subject": f"Re: [{project.code}] Drawing for the bracket",
         "body": "Dear Jonas,\n\nthank you, we quote by Friday."},
    )  # fmt: skip
    reply = MailMessage.objects.get(direction=MailMessage.Direction.OUT)
    assert response.status_code == 302
    assert response.url == reverse("mail:detail", args=[reply.pk])
    out = sent(smtp_server)
    assert out["Subject"] == f"Re: [{project.code}] Drawing for the bracket"
    assert out["In-Reply-To"] == "<m2@nordwerk.example>"
    assert out["References"] == "<m1@nordwerk.example> <m2@nordwerk.example>"
    assert smtp_server.envelopes[-1].rcpt_tos == ["jonas@nordwerk.example"]
    assert [(x.code, x.how) for x in reply.links.all()] == [(project.code, How.SENT)]
    assert [m.pk for m in services.thread_of(mail, alice)] == [mail.pk, reply.pk]


def test_reply_to_all_copies_the_others_but_never_ourselves(alice, project, settings):
    settings.DEFAULT_FROM_EMAIL = "sales@reko-parts.example"
    mail = incoming(
        project,
        to="Sales <sales@reko-parts.example>, Alice <alice@reko.example>",
        sender="Jonas Weber <jonas@nordwerk.example>",
    )
    mail.cc = "Petra Lang <petra@nordwerk.example>, jonas@nordwerk.example"
    mail.save()
    written = services.compose.reply(mail, alice, to_all=True)
    assert written.to == ["jonas@nordwerk.example"]
    assert written.cc == ["petra@nordwerk.example"]
    assert services.compose.reply(mail, alice).cc == []


def test_a_reply_goes_to_the_reply_to_address(alice, project):
    raw = mail_bytes(subject="Order", message_id="<rt@nordwerk.example>").replace(
        b"From: ", b"Reply-To: purchasing@nordwerk.example\nFrom: ", 1
    )
    mail = services.store_mail(raw, source=MailMessage.Source.IMAP, owner=alice)
    services.file_mail(mail, project.code, alice)
    assert services.compose.reply(mail, alice).to == ["purchasing@nordwerk.example"]


def test_a_forward_carries_the_attachments_and_stays_in_the_thread(
    alice,
    project,
    client_of,
    smtp_server,  # noqa: F811
):
    mail = incoming(
        project,
        subject=f"Re: [{project.code}] Drawing rev B",
        attachments=[("bracket-rev-B.pdf", b"%PDF-1.4 rev B", "application", "pdf")],
    )
    client = client_of(alice)
    page = client.get(reverse("mail:forward", args=[mail.pk])).content.decode()
    assert f'value="Fwd: [{project.code}] Drawing rev B"' in page
    key = f"attachment:{mail.attachments.get().pk}"
    assert f'value="{key}" id="pick-1-1" checked' in page
    response = client.post(
        reverse("mail:forward", args=[mail.pk]),
        {"code": project.code, "to": "qc@reko-parts.example", "files": [key],
         "subject": f"Fwd: [{project.code}] Drawing rev B", "body": "Please check rev B."},
    )  # fmt: skip
    assert response.status_code == 302
    out = sent(smtp_server)
    assert out["In-Reply-To"] == "<m2@nordwerk.example>"
    names = [part.get_filename() for part in out.iter_attachments()]
    assert names == ["bracket-rev-B.pdf"]
    assert [p.get_content() for p in out.iter_attachments()] == [b"%PDF-1.4 rev B"]


def test_the_api_replies_with_what_the_page_would_start_with(
    alice,
    project,
    client,
    token_of,
    smtp_server,  # noqa: F811
):
    mail = incoming(project)
    auth = {"Authorization": token_of(alice)}
    started = client.get(f"/api/mail/{mail.pk}/reply", headers=auth).json()
    assert started["subject"] == f"Re: [{project.code}] Drawing for the bracket"
    assert started["references"] == ["<m1@nordwerk.example>", "<m2@nordwerk.example>"]
    response = client.post(
        f"/api/mail/{mail.pk}/reply", {"body": "Thank you, Jonas."}, "application/json",
        headers=auth,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["subject"] == started["subject"]
    assert response.json()["in_reply_to"] == "<m2@nordwerk.example>"
    assert sent(smtp_server)["To"] == "jonas@nordwerk.example"


def test_bob_cannot_answer_alices_mail(
    alice,
    bob,
    project,
    client_of,
    token_of,
    client,
    smtp_server,  # noqa: F811
):
    mail = incoming(project)
    for name in ("mail:reply", "mail:reply_all", "mail:forward"):
        assert client_of(bob).get(reverse(name, args=[mail.pk])).status_code == 404
    auth = {"Authorization": token_of(bob)}
    answer = client.post(
        f"/api/mail/{mail.pk}/reply", {"body": "x"}, "application/json", headers=auth
    )
    assert answer.status_code == 404
    assert client.get(f"/api/mail/{mail.pk}/forward", headers=auth).status_code == 404
    assert smtp_server.envelopes == []


def test_a_reply_cannot_be_filed_under_a_code_one_may_not_see(
    alice,
    bob,
    project,
    client_of,
    smtp_server,  # noqa: F811
):
    mail = incoming(project)
    bobs = make_project(make_customer(bob, "Pacific Aero"), bob)
    response = client_of(alice).post(
        reverse("mail:reply", args=[mail.pk]),
        {"code": bobs.code, "to": "jonas@nordwerk.example", "subject": "Re: x", "body": "y"},
    )
    assert response.status_code == 200
    assert f"{bobs.code} is not a registered code." in response.content.decode()
    assert smtp_server.envelopes == []


def test_a_viewer_may_read_but_not_answer(alice, viewer, project, client_of):
    from tracecode.customers.models import CustomerShare

    CustomerShare.objects.create(customer=project.customer, user=viewer)
    mail = incoming(project)
    assert client_of(viewer).get(reverse("mail:detail", args=[mail.pk])).status_code == 200
    assert client_of(viewer).get(reverse("mail:reply", args=[mail.pk])).status_code == 403
