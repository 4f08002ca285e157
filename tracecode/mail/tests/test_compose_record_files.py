"""A new mail takes the record's files along: a generated PI, a quotation revision's PDF,
an uploaded drawing, filed under the code or below it, picked in the compose form. Only
files the writer may see are offered, and a key for any other file is refused."""

import datetime
import email
import email.policy

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tracecode.files import services as files
from tracecode.mail.models import MailMessage
from tracecode.mail.services import compose
from tracecode.sales import services as sales
from tracecode.sales.models import Document, QuotationRevision
from tracecode.sales.tests.factories import make_customer, make_order, make_project

from .test_outgoing_smtp import smtp_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% proforma invoice\n"


def records(owner, name="Nordwerk Automotive GmbH"):
    project = make_project(make_customer(owner, name), owner)
    order = make_order(project, user=owner)
    pi = Document.objects.create(
        order=order, kind="PI", version=1,
        pdf=ContentFile(PDF, name=f"{order.code} PI 2026-03-10.pdf"),
        xlsx=ContentFile(b"PK\x03\x04 xlsx", name=f"{order.code} PI 2026-03-10.xlsx"),
    )  # fmt: skip
    drawing = files.store(
        project, SimpleUploadedFile("bracket.pdf", b"%PDF-1.4 drawing"), user=owner
    )
    return project, order, pi, drawing


def test_the_compose_form_offers_the_files_under_the_code_and_below(alice):
    project, order, pi, drawing = records(alice)
    until = {"valid_until": datetime.date(2026, 4, 4)}
    quotation = sales.create_quotation(project, user=alice, values=until, lines=[])
    revision = QuotationRevision.objects.create(
        quotation=quotation, number=1, issued_on=datetime.date(2026, 3, 4),
        pdf=ContentFile(b"%PDF-1.4 quotation", name=f"{quotation.code} Quotation.pdf"),
    )  # fmt: skip
    offered = {a.key: a for a in compose.attachables(project.code, alice)}
    assert f"revision:{revision.pk}:pdf" in offered
    assert f"document:{pi.pk}:pdf" in offered
    assert f"document:{pi.pk}:xlsx" in offered
    assert f"file:{drawing.pk}:file" in offered
    assert offered[f"file:{drawing.pk}:file"].name == drawing.stored_name
    assert drawing.stored_name.startswith(f"{project.code} Drawing ")
    under_order = {a.key for a in compose.attachables(order.code, alice)}
    assert f"document:{pi.pk}:pdf" in under_order
    assert f"file:{drawing.pk}:file" not in under_order  # the project's, not the order's


def test_picked_files_are_sent_with_the_mail(
    alice,
    client_of,
    smtp_server,  # noqa: F811
):
    project, order, pi, drawing = records(alice)
    response = client_of(alice).post(
        reverse("mail:compose", args=[project.code]),
        {"to": "jonas@nordwerk.example", "subject": f"[{project.code}] PI and drawing",
         "body": "Please find both attached.",
         "files": [f"document:{pi.pk}:pdf", f"file:{drawing.pk}:file"]},
    )  # fmt: skip
    assert response.status_code == 302
    out = email.message_from_bytes(smtp_server.envelopes[0].content, policy=email.policy.default)
    attached = {p.get_filename(): p.get_content() for p in out.iter_attachments()}
    assert attached == {pi.pdf.name.rsplit("/")[-1]: PDF, drawing.stored_name: b"%PDF-1.4 drawing"}
    kept = MailMessage.objects.get()
    assert sorted(kept.attachments.values_list("filename", flat=True)) == sorted(attached)


def test_a_file_of_a_customer_one_may_not_see_cannot_be_picked(
    alice,
    bob,
    client_of,
    smtp_server,  # noqa: F811
):
    project, order, _pi, _drawing = records(alice)
    _p, _o, bobs_pi, bobs_drawing = records(bob, "Pacific Aero Components Inc.")
    offered = {a.key for a in compose.attachables(order.code, alice)}
    assert f"document:{bobs_pi.pk}:pdf" not in offered
    response = client_of(alice).post(
        reverse("mail:compose", args=[order.code]),
        {"to": "jonas@nordwerk.example", "subject": "x", "body": "y",
         "files": [f"document:{bobs_pi.pk}:pdf", f"file:{bobs_drawing.pk}:file"]},
    )  # fmt: skip
    assert response.status_code == 200
    assert smtp_server.envelopes == []
    assert not MailMessage.objects.exists()


def test_the_api_lists_and_sends_the_records_files(
    alice,
    bob,
    client,
    token_of,
    smtp_server,  # noqa: F811
):
    project, order, pi, _drawing = records(alice)
    auth = {"Authorization": token_of(alice)}
    listed = client.get(f"/api/mail/attachable?code={project.code}", headers=auth).json()
    assert f"document:{pi.pk}:pdf" in [item["key"] for item in listed]
    hidden = client.get(
        f"/api/mail/attachable?code={project.code}", headers={"Authorization": token_of(bob)}
    )
    assert hidden.status_code == 404
    response = client.post(
        "/api/mail/send",
        {"code": order.code, "to": "jonas@nordwerk.example", "subject": f"[{order.code}] PI",
         "body": "Attached.", "files": [f"document:{pi.pk}:pdf"]},
        "application/json", headers=auth,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert [a["filename"] for a in response.json()["attachments"]] == [pi.pdf.name.rsplit("/")[-1]]
    refused = client.post(
        "/api/mail/send",
        {"code": order.code, "to": "jonas@nordwerk.example", "subject": "x", "body": "y",
         "files": ["document:999999:pdf"]},
        "application/json", headers=auth,
    )  # fmt: skip
    assert refused.status_code == 422
    assert "files" in refused.json()["error"]["fields"]
