"""Threads show, file and pass on only what the user may see, whatever the References say.

A thread is walked through mails the user may see only: a hidden mail neither shows (not
even its subject) nor joins two visible parts of a thread. Replies follow their thread at
import only into customers their owner may see; the shared mailbox (no owner) follows the
rules as before, because the company's mailbox is the company's.
"""

import pytest
from django.urls import reverse

from tracecode.mail import services
from tracecode.mail.models import How, MailAccount, MailMessage

from .factories import customer_with_project, mail_bytes

pytestmark = pytest.mark.django_db

ALICES_ID = "<price-offer@nordwerk.example>"


def store(raw, owner=None, source=MailMessage.Source.UPLOAD, account=None):
    return services.store_mail(raw, source=source, owner=owner, user=owner, account=account)


def upload(raw, user):
    """As the Import page does for `user`: owner and importer are the uploader."""
    report = services.import_raw_items([("crafted.eml", raw, None)], source="upload", owner=user,
                                       user=user)  # fmt: skip
    return MailMessage.objects.get(pk=report.mails[0])


def alices_mail(alice):
    """Alice's price offer, filed under her order, with the price list attached."""
    _c, _p, order = customer_with_project(alice)
    mail = store(
        mail_bytes(
            subject=f"[{order}] price offer",
            message_id=ALICES_ID,
            attachments=[("prices.txt", b"USD 4.20 per piece", "text", "plain")],
        ),
        owner=alice,
    )
    return mail, order


def bobs_code(bob):
    _c, _p, order = customer_with_project(bob, "Kowa Seiki Co., Ltd.")
    return order


def codes(mail):
    return sorted(link.code for link in mail.links.all())


def test_alices_page_does_not_list_the_subject_of_bobs_crafted_reply(alice, bob, client_of):
    mine, _order = alices_mail(alice)
    crafted = mail_bytes(subject=f"[{bobs_code(bob)}] Re: secret bid", references=[ALICES_ID])
    upload(crafted, bob)
    page = client_of(alice).get(reverse("mail:detail", args=[mine.pk])).content.decode()
    assert "secret bid" not in page


def test_bobs_page_does_not_list_the_subject_of_alices_mail(alice, bob, client_of):
    alices_mail(alice)
    crafted = upload(mail_bytes(subject="Re: what is the price", references=[ALICES_ID]), bob)
    response = client_of(bob).get(reverse("mail:detail", args=[crafted.pk]))
    assert response.status_code == 200  # his own upload, unfiled
    assert "price offer" not in response.content.decode()


def test_a_crafted_reply_of_bob_is_not_filed_under_alices_order(alice, bob):
    _mine, _order = alices_mail(alice)
    crafted = upload(mail_bytes(subject="Re: price offer", references=[ALICES_ID]), bob)
    assert codes(crafted) == []  # unfiled: bob's, as it would be without the References
    assert MailMessage.objects.visible_to(bob).filter(pk=crafted.pk).exists()
    assert not MailMessage.objects.visible_to(alice).filter(pk=crafted.pk).exists()


def test_filing_bobs_whole_thread_files_only_bobs_mail(alice, bob, client_of):
    mine, _order = alices_mail(alice)
    code = bobs_code(bob)
    crafted = upload(mail_bytes(subject="Re: price offer", references=[ALICES_ID]), bob)
    client = client_of(bob)
    response = client.post(
        reverse("mail:detail", args=[crafted.pk]), {"code": code, "whole_thread": "on"}, follow=True
    )
    assert f"1 mail filed under {code}." in response.content.decode()
    assert codes(mine) == [_order]
    attachment = mine.attachments.get()
    assert client.get(reverse("mail:attachment", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("mail:detail", args=[mine.pk])).status_code == 404


def test_filing_bobs_whole_thread_by_api_files_only_bobs_mail(alice, bob, client, token_of):
    mine, order = alices_mail(alice)
    crafted = upload(mail_bytes(subject="Re: price offer", references=[ALICES_ID]), bob)
    response = client.post(
        f"/api/mail/{crafted.pk}/file",
        {"code": bobs_code(bob), "whole_thread": True},
        "application/json",
        headers={"Authorization": token_of(bob)},
    )
    assert response.json() == {"filed": [crafted.pk]}
    assert codes(mine) == [order]


def test_a_hidden_mail_does_not_join_two_visible_parts_of_a_thread(alice, bob):
    _c, _p, order = customer_with_project(alice)
    first = store(mail_bytes(subject=f"[{order}] one", message_id="<1@x>"), owner=alice)
    store(mail_bytes(subject=f"[{bobs_code(bob)}] two", message_id="<2@x>", in_reply_to="<1@x>"))
    third = store(mail_bytes(subject=f"[{order}] three", message_id="<3@x>", in_reply_to="<2@x>"))
    assert services.thread_of(first, alice) == [first]
    assert services.thread_of(third, alice) == [third]


def test_the_whole_thread_of_what_one_may_see_is_still_filed_together(alice):
    _c, project, _o = customer_with_project(alice)
    first = store(mail_bytes(subject="question", message_id="<1@x>"), owner=alice)
    store(mail_bytes(subject="Re: question", message_id="<2@x>", in_reply_to="<1@x>"), owner=alice)
    filed = services.file_mail(first, project, alice, whole_thread=True)
    assert [m.subject for m in filed] == ["question", "Re: question"]


def test_bobs_reply_uploaded_first_is_not_pulled_into_alices_order_later(alice, bob):
    crafted = upload(
        mail_bytes(subject="Re: price offer", message_id="<r@x>", in_reply_to=ALICES_ID), bob
    )
    _mine, _order = alices_mail(alice)
    assert codes(crafted) == []
    assert MailMessage.objects.visible_to(bob).filter(pk=crafted.pk).exists()


def test_bobs_mail_claiming_a_message_id_does_not_capture_alices_replies(alice, bob):
    _c, _p, _order = customer_with_project(alice)
    reply = store(mail_bytes(subject="Re: offer", in_reply_to="<offer@x>"), owner=alice)
    upload(mail_bytes(subject=f"[{bobs_code(bob)}] offer", message_id="<offer@x>"), bob)
    assert codes(reply) == []
    assert not MailMessage.objects.visible_to(bob).filter(pk=reply.pk).exists()


def test_filing_by_hand_passes_the_code_on_only_to_replies_one_may_see(alice, bob):
    _c, project, _o = customer_with_project(alice)
    mine = store(mail_bytes(subject="question", message_id="<q@x>"), owner=alice)
    bobs_reply = upload(mail_bytes(subject="Re: question", in_reply_to="<q@x>"), bob)
    services.file_mail(mine, project, alice)
    assert codes(bobs_reply) == []
    assert MailMessage.objects.visible_to(bob).filter(pk=bobs_reply.pk).exists()


def test_the_shared_mailbox_follows_threads_as_before(alice):
    _mine, order = alices_mail(alice)
    reply = store(mail_bytes(subject="Re: price offer", in_reply_to=ALICES_ID), source="imap")
    assert [(x.code, x.how) for x in reply.links.all()] == [(order, How.THREAD)]


def test_a_personal_mailbox_follows_only_threads_its_owner_may_see(alice, bob):
    mine, order = alices_mail(alice)
    account = MailAccount.objects.create(
        name="Bob", host="127.0.0.1", username="bob", password="pw", owner=bob
    )
    theirs = store(
        mail_bytes(subject="Re: price offer", in_reply_to=ALICES_ID), owner=bob,
        source="imap", account=account,
    )  # fmt: skip
    assert codes(theirs) == []
    alices_reply = store(
        mail_bytes(subject="Re: price offer", in_reply_to=ALICES_ID), owner=alice, source="imap"
    )
    assert codes(alices_reply) == [order]
