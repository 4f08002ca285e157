"""An upload is filed only under codes its uploader may see, and answers alike for unknown and
hidden codes or Message-IDs; the codes shown on a mail or chat are the ones the viewer may see.

A code of a customer the uploader may not see counts as no code at all: the mail or message
stays the uploader's, unfiled (or filed by the next rule: body, thread, sender). A Message-ID
already stored where the uploader cannot see is kept again as the uploader's own copy, so the
import reports and shows it exactly like a new mail.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tracecode.customers.models import CustomerShare
from tracecode.mail import services
from tracecode.mail.models import ChatMessage, How, ImportBatch, MailMessage

from .factories import customer_with_project, mail_bytes, new_contact

pytestmark = pytest.mark.django_db


def upload(raw, user, where="upload.eml"):
    return services.import_raw_items([(where, raw, None)], source="upload", owner=user, user=user)


def uploaded(raw, user) -> MailMessage:
    return MailMessage.objects.get(pk=upload(raw, user).mails[0])


def links(mail):
    return sorted((link.code, link.how) for link in mail.links.all())


def sees(user, mail) -> bool:
    return MailMessage.objects.visible_to(user).filter(pk=mail.pk).exists()


def test_bobs_mail_naming_alices_order_stays_bobs_and_unfiled(alice, bob, client_of):
    _c, _p, order = customer_with_project(alice)
    mail = uploaded(mail_bytes(subject=f"[{order}] your price?"), bob)
    assert links(mail) == []
    assert sees(bob, mail)
    assert not sees(alice, mail)
    timeline = client_of(alice).get(reverse("mail:timeline", args=[order]))
    assert "your price?" not in timeline.content.decode()


def test_a_hidden_code_reads_like_an_unknown_one_and_the_next_rule_decides(alice, bob):
    _c, _p, alices_order = customer_with_project(alice)
    _c2, _p2, bobs_order = customer_with_project(bob, "Kowa Seiki Co., Ltd.")
    hidden = uploaded(mail_bytes(subject=f"{alices_order} offer", body=f"re {bobs_order}"), bob)
    unknown = uploaded(mail_bytes(subject="RK9999-9-S1 offer", body=f"re {bobs_order}"), bob)
    assert links(hidden) == links(unknown) == [(bobs_order, How.BODY)]


def test_the_sender_of_alices_customer_does_not_file_bobs_mail(alice, bob):
    customer, _p, _o = customer_with_project(alice)
    new_contact(customer, alice, "Jonas Weber", email="jonas@nordwerk.example")
    mail = uploaded(mail_bytes(subject="hello", sender="jonas@nordwerk.example"), bob)
    assert links(mail) == []
    assert sees(bob, mail)


def test_a_shared_customer_is_one_bob_may_file_under(alice, bob):
    customer, _p, order = customer_with_project(alice)
    CustomerShare.objects.create(customer=customer, user=bob)
    mail = uploaded(mail_bytes(subject=f"[{order}] price"), bob)
    assert links(mail) == [(order, How.SUBJECT)]


def test_a_hidden_message_id_is_imported_like_a_new_one(alice, bob):
    _c, _p, order = customer_with_project(alice)
    alices = uploaded(mail_bytes(subject=f"[{order}] offer", message_id="<offer@x>"), alice)
    hidden = upload(mail_bytes(subject="probe", message_id="<offer@x>"), bob)
    new = upload(mail_bytes(subject="probe", message_id="<never-seen@x>"), bob)
    assert (hidden.imported, hidden.skipped) == (new.imported, new.skipped) == (1, 0)
    copy = MailMessage.objects.get(pk=hidden.mails[0])
    assert (copy.message_id, copy.subject, links(copy)) == ("<offer@x>", "probe", [])
    assert sees(bob, copy)
    assert not sees(bob, alices)
    assert not sees(alice, copy)
    alices.refresh_from_db()
    assert alices.subject == f"[{order}] offer"


def test_a_second_upload_of_ones_own_mail_is_skipped(alice, bob):
    _c, _p, order = customer_with_project(alice)
    uploaded(mail_bytes(subject=f"[{order}] offer", message_id="<offer@x>"), alice)
    upload(mail_bytes(subject="probe", message_id="<offer@x>"), bob)
    again = upload(mail_bytes(subject="probe", message_id="<offer@x>"), bob)
    assert (again.imported, again.skipped) == (0, 1)
    assert (upload(mail_bytes(message_id="<offer@x>"), alice).skipped) == 1


def test_the_import_page_reports_a_hidden_message_id_like_a_new_one(
    alice, bob, client_of, django_capture_on_commit_callbacks
):
    _c, _p, order = customer_with_project(alice)
    uploaded(mail_bytes(subject=f"[{order}] offer", message_id="<offer@x>"), alice)
    client = client_of(bob)
    pages = []
    for message_id in ("<offer@x>", "<never-seen@x>"):
        eml = SimpleUploadedFile("probe.eml", mail_bytes(subject="probe", message_id=message_id))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("mail:import"), {"files": [eml]})
        pages.append(client.get(response.url).content.decode())
    assert "Imported 1, skipped 0 (already there), failed 0." in pages[0]
    assert "Imported 1, skipped 0 (already there), failed 0." in pages[1]
    assert [b.imported for b in ImportBatch.objects.order_by("pk")] == [1, 1]
    unfiled = client.get(reverse("mail:unfiled")).content.decode()
    assert unfiled.count("probe") == 2


def test_the_codes_shown_on_a_mail_are_the_ones_the_viewer_may_see(
    alice, bob, client, client_of, token_of
):
    _c, _p, alices_order = customer_with_project(alice)
    _c2, _p2, bobs_order = customer_with_project(bob, "Kowa Seiki Co., Ltd.")
    mail = services.store_mail(
        mail_bytes(subject=f"{alices_order} and {bobs_order}: one shipment"), source="imap"
    )
    page = client_of(bob).get(reverse("mail:detail", args=[mail.pk])).content.decode()
    listed = client_of(bob).get(reverse("mail:list")).content.decode()
    timeline = client_of(bob).get(reverse("mail:timeline", args=[bobs_order])).content.decode()
    assert alices_order not in page.replace(f"{alices_order} and", "")  # only in the subject
    assert alices_order not in listed.replace(f"{alices_order} and", "")
    assert alices_order not in timeline.replace(f"{alices_order} and", "")
    auth = {"Authorization": token_of(bob)}
    detail = client.get(f"/api/mail/{mail.pk}", headers=auth).json()
    assert detail["codes"] == [{"code": bobs_order, "how": "subject"}]
    items = client.get(f"/api/mail/?code={bobs_order}", headers=auth).json()["items"]
    assert items[0]["codes"] == [{"code": bobs_order, "how": "subject"}]
    alices = client.get(f"/api/mail/{mail.pk}", headers={"Authorization": token_of(alice)})
    assert alices.json()["codes"] == [{"code": alices_order, "how": "subject"}]


CHAT = "1/15/26, 9:05 AM - Zhang Wei: {code} is ready to ship\n"


def test_bobs_chat_naming_alices_order_stays_bobs(alice, bob):
    _c, _p, order = customer_with_project(alice)
    chat = services.import_chat("chat.txt", CHAT.format(code=order).encode(), bob)
    message = chat.messages.get()
    assert list(message.links.all()) == []
    assert ChatMessage.objects.visible_to(bob).filter(pk=message.pk).exists()
    assert not ChatMessage.objects.visible_to(alice).exists()


def test_the_chat_api_counts_a_hidden_code_like_an_unknown_one(alice, bob, client, token_of):
    _c, _p, order = customer_with_project(alice)
    auth = {"Authorization": token_of(bob)}
    answers = []
    for code in (order, "RK9999-9-S1"):
        chat = SimpleUploadedFile("chat.txt", CHAT.format(code=code).encode())
        answer = client.post("/api/mail/chats", {"file": chat}, headers=auth).json()
        answers.append((answer["messages"], answer["filed"]))
    assert answers == [(1, 0), (1, 0)]


def test_the_codes_shown_on_a_chat_are_the_ones_the_viewer_may_see(
    alice, bob, administrator, client_of
):
    _c, _p, alices_order = customer_with_project(alice)
    _c2, _p2, bobs_order = customer_with_project(bob, "Kowa Seiki Co., Ltd.")
    text = CHAT.format(code=f"{alices_order} with {bobs_order}").encode()
    # The administrator sees both, so the message is filed under both. The import returns the
    # upload; the page is the chat's (their numbers differ once a chat has had two uploads).
    chat = services.import_chat("chat.txt", text, administrator).chat
    links = chat.messages.get().links.select_related("customer__owner")
    assert {(x.code, x.customer.owner.username) for x in links} == {
        (alices_order, "alice"),
        (bobs_order, "bob"),
    }
    answer = client_of(bob).get(reverse("mail:chat", args=[chat.pk]))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert f'href="{reverse("mail:timeline", args=[alices_order])}"' not in page
    assert f'href="{reverse("mail:timeline", args=[bobs_order])}"' in page
