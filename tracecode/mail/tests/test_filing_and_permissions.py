"""Who sees a mail, and filing unfiled mail (or a whole thread) by typing a code."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tracecode.files.folders import folder_of_code
from tracecode.mail import services
from tracecode.mail.models import How, MailAccount, MailMessage

from .factories import customer_with_project, mail_bytes

pytestmark = pytest.mark.django_db


def store(raw, owner=None, account=None, source=MailMessage.Source.UPLOAD):
    return services.store_mail(raw, source=source, owner=owner, account=account)


def visible(user):
    return set(MailMessage.objects.visible_to(user).values_list("subject", flat=True))


def test_a_filed_mail_is_visible_to_those_who_see_its_customer(alice, bob, manager, viewer):
    _c, _p, order = customer_with_project(alice)
    store(mail_bytes(subject=f"[{order}] price"), owner=None, source="imap")  # shared mailbox
    assert visible(alice) == {f"[{order}] price"}
    assert visible(manager) == {f"[{order}] price"}
    assert visible(bob) == set()
    assert visible(viewer) == set()


def test_unfiled_mail_of_a_personal_account_only_to_its_owner_and_administrators(
    alice, bob, manager, administrator
):
    account = MailAccount.objects.create(
        name="Alice", host="127.0.0.1", username="alice", password="pw", owner=alice
    )
    store(mail_bytes(subject="private"), owner=alice, account=account, source="imap")
    assert visible(alice) == {"private"}
    assert visible(administrator) == {"private"}
    assert visible(manager) == set()
    assert visible(bob) == set()


def test_unfiled_mail_of_the_shared_mailbox_to_managers_and_administrators(
    alice, manager, administrator
):
    store(mail_bytes(subject="shared"), owner=None, source="imap")
    assert visible(manager) == {"shared"}
    assert visible(administrator) == {"shared"}
    assert visible(alice) == set()


def test_filing_by_a_typed_code(alice):
    _c, project, _o = customer_with_project(alice)
    mail = store(mail_bytes(subject="no code here"), owner=alice)
    services.file_mail(mail, project.lower(), alice)
    assert [(x.code, x.how, x.linked_by) for x in mail.links.all()] == [
        (project, How.MANUAL, alice)
    ]
    mail.refresh_from_db()
    assert mail.eml.name.startswith(f"{folder_of_code(project)}/Mails/")


def test_filing_refuses_an_unknown_code(alice):
    mail = store(mail_bytes(subject="no code"), owner=alice)
    with pytest.raises(ValidationError) as error:
        services.file_mail(mail, "RK9999-9", alice)
    assert "RK9999-9 is not a registered code." in str(error.value)
    assert not mail.links.exists()


def test_filing_under_a_customer_one_may_not_see_looks_like_an_unknown_code(alice, bob):
    _c, project, _o = customer_with_project(alice)
    mail = store(mail_bytes(subject="no code"), owner=bob)
    with pytest.raises(ValidationError):
        services.file_mail(mail, project, bob)


def test_a_viewer_may_not_file(alice, viewer):
    from tracecode.customers.models import CustomerShare

    customer, project, _o = customer_with_project(alice)
    CustomerShare.objects.create(customer=customer, user=viewer)
    mail = store(mail_bytes(subject="no code"), owner=viewer)
    with pytest.raises(PermissionDenied):
        services.file_mail(mail, project, viewer)


def test_filing_a_whole_thread_at_once(alice):
    _c, project, _o = customer_with_project(alice)
    first = store(mail_bytes(subject="question", message_id="<1@x>"), owner=alice)
    store(mail_bytes(subject="Re: question", message_id="<2@x>", in_reply_to="<1@x>"), owner=alice)
    store(
        mail_bytes(subject="Re: Re: question", message_id="<3@x>", references=["<1@x>", "<2@x>"]),
        owner=alice,
    )
    store(mail_bytes(subject="other", message_id="<9@x>"), owner=alice)
    filed = services.file_mail(first, project, alice, whole_thread=True)
    assert len(filed) == 3
    assert MailMessage.objects.unfiled().get().subject == "other"


def test_a_reply_arriving_after_filing_follows_the_thread(alice):
    _c, project, _o = customer_with_project(alice)
    first = store(mail_bytes(subject="question", message_id="<1@x>"), owner=alice)
    services.file_mail(first, project, alice)
    reply = store(mail_bytes(subject="Re: question", in_reply_to="<1@x>"), owner=alice)
    assert [(x.code, x.how) for x in reply.links.all()] == [(project, How.THREAD)]
