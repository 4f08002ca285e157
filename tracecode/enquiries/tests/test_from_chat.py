"""The same from a WhatsApp message: the form starts from the message (the number gives the
country), saving files the chat's waiting messages and the drawing it brought, and the
acknowledgement is a mail when the enquirer gave an address, else text for the chat."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from tracecode.enquiries.models import Enquiry
from tracecode.files.models import StoredFile
from tracecode.mail import services as mail_services
from tracecode.mail.defaults import ACKNOWLEDGEMENT
from tracecode.mail.models import ChatMedia
from tracecode.sales.models import Project

from .factories import DRAWING
from .test_from_mail import form_data

pytestmark = pytest.mark.django_db

CHAT = (
    "3/5/26, 9:02 AM - +49 151 23456789: Hello, Markus Hoffmann here. We need about 500 pcs "
    "of a flange FL-220, drawing follows\n"
    "3/5/26, 9:03 AM - +49 151 23456789: FL-220.pdf (file attached)\n"
)


@pytest.fixture
def message(alice):
    upload = mail_services.import_chat("WhatsApp Chat with +49 151 23456789.txt", CHAT.encode(),
                                       alice, date_order="MDY")  # fmt: skip
    first, second = upload.messages.order_by("timestamp", "pk")
    name = default_storage.save("Unfiled/WhatsApp/FL-220.pdf", ContentFile(DRAWING))
    ChatMedia.objects.create(message=first, filename="FL-220.pdf", file=name)
    return first


def test_a_chat_message_becomes_customer_and_project(alice, message, client_of):
    client = client_of(alice)
    start = client.get(reverse("enquiries:from_chat", args=[message.pk]))
    html = start.content.decode()
    assert 'value="+4915123456789"' in html
    assert '<option value="DE" selected>' in html
    data = form_data(start.context, **{"c-company_name": "Hoffmann Antriebstechnik GmbH",
                                       "k-name": "Markus Hoffmann"})  # fmt: skip
    response = client.post(reverse("enquiries:from_chat", args=[message.pk]), data)

    project = Project.objects.get()
    enquiry = Enquiry.objects.get()
    assert (enquiry.source, enquiry.chat_message, enquiry.project) == ("chat", message, project)
    assert project.channel == "messenger"
    drawing = StoredFile.objects.get(code=project.code)
    assert (drawing.document_type, drawing.file.read()) == ("Drawing", DRAWING)
    assert ChatMedia.objects.get().file.name == drawing.file.name
    filed = set(message.chat.messages.values_list("links__code", flat=True))
    assert filed == {project.code}  # the chat's other waiting message too
    # no mail address: the acknowledgement is text for the chat, with the number's link
    assert response.url.startswith(reverse("enquiries:chat_reply", args=[enquiry.pk]))
    reply = client.get(response.url).content.decode()
    assert f"Our reference is {project.code}" in reply
    assert "https://wa.me/4915123456789?text=" in reply
    client.post(reverse("enquiries:replied", args=[enquiry.pk]))
    enquiry.refresh_from_db()
    assert enquiry.first_reply_at is not None


def test_with_a_mail_address_the_acknowledgement_is_a_mail(alice, message, client_of):
    client = client_of(alice)
    start = client.get(reverse("enquiries:from_chat", args=[message.pk]))
    data = form_data(start.context, **{"c-company_name": "Hoffmann Antriebstechnik GmbH",
                                       "k-email": "m.hoffmann@hoffmann.example"})  # fmt: skip
    response = client.post(reverse("enquiries:from_chat", args=[message.pk]), data)
    project = Project.objects.get()
    assert response.url.startswith(reverse("mail:compose", args=[project.code]))
    assert f"template={ACKNOWLEDGEMENT}" in response.url
    page = client.get(response.url).content.decode()
    assert 'value="m.hoffmann@hoffmann.example"' in page
    assert f'value="[{project.code}] Your enquiry: ' in page


def test_bob_cannot_make_an_enquiry_of_alices_chat(alice, bob, message, client_of):
    assert client_of(bob).get(reverse("enquiries:from_chat", args=[message.pk])).status_code == 404
