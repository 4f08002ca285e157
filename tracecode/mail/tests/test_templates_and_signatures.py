"""Templates in English and Chinese with placeholders, kept in the app and edited by
administrators; a signature per user, edited by that user, under every mail they write."""

import pytest
from django.urls import reverse

from tracecode.mail.admin import MailTemplateForm
from tracecode.mail.defaults import ACKNOWLEDGEMENT
from tracecode.mail.models import MailTemplate, Signature
from tracecode.mail.services import compose
from tracecode.sales.tests.factories import make_customer, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(alice):
    customer = make_customer(alice, "Hoffmann Antriebstechnik GmbH")
    from tracecode.customers.tests.factories import new_contact

    new_contact(customer, alice, "Markus Hoffmann", email="m.hoffmann@hoffmann.example")
    return make_project(customer, alice, name="FL-220 flange")


def test_the_default_templates_come_in_both_languages():
    keys = set(MailTemplate.objects.values_list("key", flat=True))
    assert {ACKNOWLEDGEMENT, "quotation", "proforma-invoice", "shipment-notice"} <= keys
    for template in MailTemplate.objects.all():
        assert template.body and template.body_zh, template.key
        assert not compose.unknown_placeholders(template.body + template.body_zh)


def test_placeholders_are_filled_in_the_chosen_language(alice, project):
    template = MailTemplate.objects.get(key=ACKNOWLEDGEMENT)
    values = compose.values_for(project.code, alice, language="en")
    subject, body = compose.render(template, "en", values)
    assert subject == f"[{project.code}] Your enquiry: FL-220 flange"
    assert body.startswith("Dear Markus Hoffmann,\n\nthank you for your enquiry for FL-220 flange.")
    assert f"Our reference is {project.code}" in body
    subject, body = compose.render(template, "zh-hans", compose.values_for(project.code, alice))
    assert subject == f"[{project.code}] 您的询价：FL-220 flange"
    assert f"我们的编号是 {project.code}" in body


def test_an_unknown_placeholder_is_left_as_written_and_refused_in_the_admin():
    assert compose.fill("{code} {price} {0}", {"code": "RK1"}) == "RK1 {price} {0}"
    form = MailTemplateForm(
        {"key": "offer", "name": "Offer", "body": "Price: {price} for {code}", "position": 1}
    )
    assert not form.is_valid()
    assert "Unknown placeholders: {price}." in form.errors["body"][0]


def test_administrators_edit_templates_in_the_admin(administrator, alice, client_of):
    assert client_of(alice).get("/admin/mail/mailtemplate/").status_code == 302  # to sign-in
    page = client_of(administrator).get("/admin/mail/mailtemplate/")
    assert page.status_code == 200
    assert "Acknowledgement of an enquiry" in page.content.decode()


def test_each_user_edits_their_own_signature(alice, bob, client_of):
    response = client_of(alice).post(
        reverse("mail:signature"),
        {"text": "Alice Wang\nSales, REKO Precision Parts", "text_zh": "王爱丽\n瑞科精密 销售部"},
    )
    assert response.status_code == 302
    assert Signature.objects.get(user=alice).text_zh == "王爱丽\n瑞科精密 销售部"
    assert "Alice Wang" not in client_of(bob).get(reverse("mail:signature")).content.decode()
    assert compose.signature_of(bob).startswith("Bob\n")  # no signature yet: name and company


def test_a_new_mail_starts_with_the_signature_of_its_language(alice, project, client_of):
    Signature.objects.create(user=alice, text="Alice Wang, REKO", text_zh="王爱丽 瑞科")
    client = client_of(alice)
    english = client.get(reverse("mail:compose", args=[project.code])).content.decode()
    assert "Alice Wang, REKO" in english
    chinese = client.get(
        reverse("mail:compose", args=[project.code]) + f"?template={ACKNOWLEDGEMENT}"
        "&language=zh-hans"
    ).content.decode()
    assert "王爱丽 瑞科" in chinese
    assert f"我们的编号是 {project.code}" in chinese
    assert f'value="[{project.code}] 您的询价：FL-220 flange"' in chinese


def test_use_template_puts_its_text_above_what_was_typed_and_keeps_the_rest(
    alice, project, client_of
):
    response = client_of(alice).post(
        reverse("mail:compose", args=[project.code]),
        {"to": "m.hoffmann@hoffmann.example", "cc": "einkauf@hoffmann.example",
         "subject": f"[{project.code}] ", "body": "P.S. Drawings received.",
         "template": "quotation", "language": "en", "use_template": "1"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="m.hoffmann@hoffmann.example"' in page
    assert 'value="einkauf@hoffmann.example"' in page
    assert f'value="[{project.code}] Quotation for FL-220 flange"' in page
    assert "please find attached our quotation for FL-220 flange" in page
    assert page.index("please find attached our quotation") < page.index("P.S. Drawings received.")


def test_the_api_lists_and_fills_templates_and_keeps_signatures(
    alice, bob, project, client, token_of
):
    auth = {"Authorization": token_of(alice)}
    keys = [t["key"] for t in client.get("/api/mail/templates", headers=auth).json()]
    assert ACKNOWLEDGEMENT in keys
    filled = client.post(
        f"/api/mail/templates/{ACKNOWLEDGEMENT}/render",
        {"code": project.code, "language": "zh-hans"},
        "application/json",
        headers=auth,
    ).json()
    assert filled["subject"] == f"[{project.code}] 您的询价：FL-220 flange"
    hidden = client.post(
        f"/api/mail/templates/{ACKNOWLEDGEMENT}/render",
        {"code": project.code},
        "application/json",
        headers={"Authorization": token_of(bob)},
    )
    assert hidden.status_code == 404
    client.put("/api/mail/signature", {"text": "Alice"}, "application/json", headers=auth)
    assert client.get("/api/mail/signature", headers=auth).json() == {
        "text": "Alice",
        "text_zh": "",
    }
