"""A waiting website enquiry is accepted (customer and project get their codes, the drawing
goes into the project's folder, the acknowledgement goes out through a real SMTP server) or
rejected (why is recorded, the drawing is deleted, no code is given). A salesperson sees and
decides the enquiries assigned to them; managers all of them and reassign."""

import email
import email.policy

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tracecode.codes.models import CodeEntry
from tracecode.customers.models import Customer
from tracecode.enquiries.models import AssignmentRule, Enquiry
from tracecode.files.models import StoredFile
from tracecode.mail.models import MailDraft, MailMessage
from tracecode.sales.models import Project

from .factories import web_enquiry
from .test_from_mail import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def enquiry(alice):
    AssignmentRule.objects.create(kind="country", country="CA", assignee=alice)
    return web_enquiry()


def accept(client, enquiry, **changes):
    start = client.get(reverse("enquiries:detail", args=[enquiry.pk]))
    data = form_data({"form": start.context["intake"]}, **changes)
    return client.post(reverse("enquiries:accept", args=[enquiry.pk]), data)


def test_accepting_gives_the_codes_files_the_drawing_and_acknowledges(
    alice, enquiry, client_of, smtp
):
    response = accept(client_of(alice), enquiry)
    assert response.status_code == 302
    customer = Customer.objects.get()
    project = Project.objects.get()
    assert (customer.company_name, customer.owner, customer.country) == (
        "Ontario Fluid Power Ltd.", alice, "CA",
    )  # fmt: skip
    assert customer.source.code == "website"
    assert (project.name, project.target_quantity, project.channel) == (
        "Hydraulic manifold block HM-40", 300, "website",
    )  # fmt: skip
    drawing = StoredFile.objects.get(code=project.code)
    assert drawing.document_type == "Drawing"
    held = enquiry.files.get()
    assert (held.file.name, held.stored) == ("", drawing)  # moved, not copied

    out = email.message_from_bytes(smtp.envelopes[0].content, policy=email.policy.default)
    assert smtp.envelopes[0].rcpt_tos == ["emily.carter@ontario-fluidpower.example"]
    assert out["Subject"] == f"[{project.code}] Your enquiry: Hydraulic manifold block HM-40"
    assert f"Our reference is {project.code}" in out.get_content()
    assert out.get_content().startswith("Dear Emily Carter,")
    enquiry.refresh_from_db()
    ack = MailMessage.objects.get()
    assert (enquiry.status, enquiry.project, enquiry.decided_by) == ("accepted", project, alice)
    assert (enquiry.first_reply_at, enquiry.reply_mail) == (ack.date, ack)
    assert list(ack.links.values_list("code", flat=True)) == [project.code]


def test_the_acknowledgement_speaks_the_enquirers_language(alice, client_of, smtp):
    AssignmentRule.objects.create(kind="turn", assignee=alice)
    enquiry = web_enquiry(email="wang@szhl.example", contact_name="王磊", country="CN")
    enquiry.language = "zh-hans"
    enquiry.save()
    accept(client_of(alice), enquiry)
    out = email.message_from_bytes(smtp.envelopes[0].content, policy=email.policy.default)
    code = Project.objects.get().code
    assert out["Subject"] == f"[{code}] 您的询价：Hydraulic manifold block HM-40"
    assert f"我们的编号是 {code}" in out.get_content()


def test_without_a_mail_server_the_codes_are_given_and_the_acknowledgement_kept(
    alice, enquiry, client_of, no_mail_server
):
    response = accept(client_of(alice), enquiry)
    draft = MailDraft.objects.get(owner=alice)
    assert response.status_code == 302
    assert response.url == reverse("mail:draft", args=[draft.pk])
    project = Project.objects.get()
    assert draft.subject == f"[{project.code}] Your enquiry: Hydraulic manifold block HM-40"
    assert draft.to == "emily.carter@ontario-fluidpower.example"
    assert "no mail server answers" in draft.error
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.first_reply_at) == ("accepted", None)


def test_rejecting_records_why_deletes_the_drawing_and_gives_no_code(alice, enquiry, client_of):
    codes = CodeEntry.objects.count()
    held = enquiry.files.get().file.name
    client = client_of(alice)
    refused = client.post(reverse("enquiries:reject", args=[enquiry.pk]), {"reason": ""})
    assert "This field is required." in refused.content.decode()
    client.post(reverse("enquiries:reject", args=[enquiry.pk]), {"reason": "spam: SEO offer"})
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.reject_reason, enquiry.decided_by) == (
        "rejected", "spam: SEO offer", alice,
    )  # fmt: skip
    assert not default_storage.exists(held)
    assert CodeEntry.objects.count() == codes
    assert not Customer.objects.exists()
    again = client.post(reverse("enquiries:accept", args=[enquiry.pk]), {"customer": "new"})
    assert again.status_code == 302
    assert not Project.objects.exists()


def test_an_enquiry_is_accepted_once(alice, enquiry, client_of, smtp):
    client = client_of(alice)
    start = client.get(reverse("enquiries:detail", args=[enquiry.pk]))
    data = form_data({"form": start.context["intake"]})
    client.post(reverse("enquiries:accept", args=[enquiry.pk]), data)
    second = client.post(reverse("enquiries:accept", args=[enquiry.pk]), data, follow=True)
    assert Project.objects.count() == 1
    assert "This enquiry is accepted already; it cannot be accepted." in second.content.decode()
    assert Enquiry.objects.get().status == "accepted"


def test_a_salesperson_sees_the_enquiries_assigned_to_them_managers_all(
    alice, bob, manager, client_of
):
    AssignmentRule.objects.create(kind="country", country="CA", assignee=alice)
    AssignmentRule.objects.create(kind="country", country="DE", assignee=bob)
    alices = web_enquiry()
    bobs = web_enquiry(country="DE", company_name="Hoffmann Antriebstechnik GmbH")
    unassigned = web_enquiry(country="BR", company_name="Sao Paulo Bombas Ltda")
    assert unassigned.assigned_to is None

    def listed(user):
        page = client_of(user).get(reverse("enquiries:queue"))
        return {e.pk for e in page.context["page_obj"]}

    assert listed(alice) == {alices.pk}
    assert listed(bob) == {bobs.pk}
    assert listed(manager) == {alices.pk, bobs.pk, unassigned.pk}
    assert client_of(bob).get(reverse("enquiries:detail", args=[alices.pk])).status_code == 404
    assert client_of(bob).get(reverse("enquiries:held_file", args=[
        alices.pk, alices.files.get().pk])).status_code == 404  # fmt: skip


def test_bob_cannot_accept_reject_or_reassign_alices(alice, bob, enquiry, client_of):
    client = client_of(bob)
    assert client.post(reverse("enquiries:accept", args=[enquiry.pk]), {}).status_code == 404
    assert (
        client.post(reverse("enquiries:reject", args=[enquiry.pk]), {"reason": "x"}).status_code
        == 404
    )
    own = web_enquiry(country="US")
    own.assigned_to = bob
    own.save()
    assert (
        client.post(
            reverse("enquiries:assign", args=[own.pk]), {"assigned_to": "alice"}
        ).status_code
        == 403
    )
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.assigned_to) == ("pending", alice)


def test_a_manager_reassigns_and_the_new_salesperson_sees_it(
    alice, bob, manager, viewer, enquiry, client_of
):
    client = client_of(manager)
    client.post(reverse("enquiries:assign", args=[enquiry.pk]), {"assigned_to": "bob"})
    enquiry.refresh_from_db()
    assert (enquiry.assigned_to, enquiry.assigned_by, enquiry.rule) == (bob, manager, None)
    assert client_of(bob).get(reverse("enquiries:detail", args=[enquiry.pk])).status_code == 200
    assert client_of(alice).get(reverse("enquiries:detail", args=[enquiry.pk])).status_code == 404
    client = client_of(manager)  # the test client was signed in as alice and bob above
    refused = client.post(reverse("enquiries:assign", args=[enquiry.pk]), {"assigned_to": "victor"})
    assert refused.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.assigned_to == bob  # a viewer gets no enquiries
