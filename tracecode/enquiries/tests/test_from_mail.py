"""A mail from an unknown buyer becomes a coded customer and project in one step: the form
starts from the mail, saving files the mail, its thread and its drawing, and the reply with
the acknowledgement and the new code opens."""

import email
import email.policy

import pytest
from django.urls import reverse

from tracecode.customers.models import Contact, Customer
from tracecode.customers.tests.factories import new_contact
from tracecode.enquiries.models import Enquiry
from tracecode.files.models import StoredFile
from tracecode.mail.models import MailMessage
from tracecode.sales.models import Project
from tracecode.sales.tests.factories import make_customer

from .factories import DRAWING, buyer_mail, reply_from_buyer

pytestmark = pytest.mark.django_db


def form_data(page_context, **changes) -> dict:
    """What the page's form posts when nothing is changed."""
    form = page_context["form"]
    data = {}
    for part in [*form.parts, form.customer]:
        for name in part.fields:
            value = part[name].value()
            if value is None or value is False:
                continue
            data[part.add_prefix(name)] = "on" if value is True else value
    return {**data, **changes}


def test_the_form_starts_from_the_mail(manager, client_of):
    mail = buyer_mail()
    page = client_of(manager).get(reverse("enquiries:from_mail", args=[mail.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Hoffmann Antriebstechnik GmbH"' in html
    assert 'value="Markus Hoffmann"' in html
    assert 'value="+497117820455"' in html
    assert 'value="Drehteile Flansch FL-220"' in html
    assert '<option value="DE" selected>' in html
    assert "FL-220 rev B.pdf" in html
    assert '<option value="Drawing" selected>' in html


def test_a_mail_from_an_unknown_buyer_becomes_customer_and_project(manager, bob, client_of):
    mail = buyer_mail()
    second = reply_from_buyer(mail)
    client = client_of(manager)
    start = client.get(reverse("enquiries:from_mail", args=[mail.pk]))
    response = client.post(
        reverse("enquiries:from_mail", args=[mail.pk]),
        form_data(start.context, **{"c-owner": "bob"}),
    )

    customer = Customer.objects.get(company_name="Hoffmann Antriebstechnik GmbH")
    project = Project.objects.get(customer=customer)
    assert project.code == f"{customer.code}-1"
    assert (customer.owner, customer.country) == (bob, "DE")
    assert customer.address == "Industriestraße 12\n70565 Stuttgart\nGermany"
    contact = Contact.objects.get(customer=customer)
    assert (contact.name, contact.email, contact.is_main) == (
        "Markus Hoffmann", "m.hoffmann@hoffmann-antriebstechnik.de", True,
    )  # fmt: skip
    assert (project.name, project.target_quantity, project.channel) == (
        "Drehteile Flansch FL-220", 2000, "email",
    )  # fmt: skip
    # the mail and its thread are filed under the project
    assert set(mail.links.values_list("code", flat=True)) == {project.code}
    assert set(second.links.values_list("code", flat=True)) == {project.code}
    # the drawing is in the project's Drawing folder: one file, the attachment points at it
    drawing = StoredFile.objects.get(code=project.code, document_type="Drawing")
    assert drawing.file.read() == DRAWING
    assert mail.attachments.get().file.name == drawing.file.name
    assert drawing.file.name.startswith(f"{customer.code} Hoffmann Antriebstechnik GmbH/")
    assert "/Drawing/" in drawing.file.name
    # the enquiry is recorded, and the reply with the acknowledgement opens
    enquiry = Enquiry.objects.get()
    assert (enquiry.source, enquiry.status, enquiry.project, enquiry.assigned_to) == (
        "mail", "accepted", project, bob,
    )  # fmt: skip
    assert enquiry.received_at == mail.date
    assert response.status_code == 302
    assert response.url.startswith(reverse("mail:reply", args=[mail.pk]))
    reply = client.get(response.url).content.decode()
    assert f'value="Re: [{project.code}] Anfrage: Drehteile Flansch FL-220, 2.000 Stück"' in reply
    assert f"Our reference is {project.code}" in reply
    assert "Dear Markus Hoffmann," in reply


def test_sending_the_acknowledgement_is_the_first_reply(alice, client_of, smtp):
    mail = buyer_mail(owner=alice)
    client = client_of(alice)
    start = client.get(reverse("enquiries:from_mail", args=[mail.pk]))
    opened = client.post(reverse("enquiries:from_mail", args=[mail.pk]), form_data(start.context))
    compose = client.get(opened.url)
    form = compose.context["form"]
    data = {name: form[name].value() or "" for name in ("code", "to", "cc", "subject", "body")}
    sent = client.post(reverse("mail:reply", args=[mail.pk]), data)
    assert sent.status_code == 302

    project = Project.objects.get()
    out = email.message_from_bytes(smtp.envelopes[0].content, policy=email.policy.default)
    assert out["Subject"].startswith(f"Re: [{project.code}] ")
    assert out["In-Reply-To"] == mail.message_id
    assert smtp.envelopes[0].rcpt_tos == ["m.hoffmann@hoffmann-antriebstechnik.de"]
    enquiry = Enquiry.objects.get()
    reply = MailMessage.objects.get(direction=MailMessage.Direction.OUT)
    assert (enquiry.first_reply_at, enquiry.reply_mail) == (reply.date, reply)


def test_a_known_sender_picks_the_existing_customer(alice, client_of):
    known = make_customer(alice, "Hoffmann Antriebstechnik GmbH")
    new_contact(known, alice, "Petra Lang", email="p.lang@hoffmann-antriebstechnik.de")
    mail = buyer_mail(owner=alice)
    client = client_of(alice)
    start = client.get(reverse("enquiries:from_mail", args=[mail.pk]))
    assert start.context["form"].choice["customer"].value() == known.code
    assert "This customer may already be in the archive" in start.content.decode()
    client.post(reverse("enquiries:from_mail", args=[mail.pk]), form_data(start.context))
    assert Customer.objects.count() == 1
    assert Project.objects.get().code == f"{known.code}-1"
    assert known.contacts.filter(email="m.hoffmann@hoffmann-antriebstechnik.de").exists()


def test_a_new_customer_like_an_existing_one_is_asked_about_again(alice, client_of):
    make_customer(alice, "Hoffmann Antriebstechnik GmbH")
    mail = buyer_mail(owner=alice)
    client = client_of(alice)
    start = client.get(reverse("enquiries:from_mail", args=[mail.pk]))
    # the name was typed differently at first, so the check did not find it: typed right now
    data = form_data(start.context, customer="new", offered="")
    stopped = client.post(reverse("enquiries:from_mail", args=[mail.pk]), data)
    assert stopped.status_code == 200
    assert "pick it, or choose a new customer again" in stopped.content.decode()
    assert not Project.objects.exists()
    again = client.post(
        reverse("enquiries:from_mail", args=[mail.pk]),
        {**data, "offered": stopped.context["form"].choice.data["offered"]},
    )
    assert again.status_code == 302
    assert Customer.objects.count() == 2


def test_bob_cannot_make_an_enquiry_of_alices_mail_nor_pick_her_customer(
    alice, bob, viewer, client_of
):
    mail = buyer_mail(owner=alice)
    assert client_of(bob).get(reverse("enquiries:from_mail", args=[mail.pk])).status_code == 404
    alices = make_customer(alice, "Stuttgart Hydraulik GmbH")
    bobs_mail = buyer_mail(owner=bob, hours_ago=2)
    bobs_mail_id = bobs_mail.pk
    client = client_of(bob)
    start = client.get(reverse("enquiries:from_mail", args=[bobs_mail_id]))
    picked = client.post(
        reverse("enquiries:from_mail", args=[bobs_mail_id]),
        form_data(start.context, other=alices.code),
    )
    assert picked.status_code == 200
    assert f"{alices.code} is not a customer you may add enquiries to." in picked.content.decode()
    assert not Project.objects.exists()


def test_a_viewer_cannot_make_enquiries(alice, viewer, client_of):
    from tracecode.customers.models import CustomerShare

    customer = make_customer(alice, "Hoffmann Antriebstechnik GmbH")
    CustomerShare.objects.create(customer=customer, user=viewer)
    mail = buyer_mail(owner=alice)
    from tracecode.mail import services

    services.file_mail(mail, customer.code, alice)
    assert client_of(viewer).get(reverse("enquiries:from_mail", args=[mail.pk])).status_code == 403
