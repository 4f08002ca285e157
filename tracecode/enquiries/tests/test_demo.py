"""The demo company has an enquiry waiting from its website and an unknown buyer's mail with
a drawing, to try the intake on; loading it again adds nothing."""

import pytest

from tracecode.enquiries.demo import GERMAN_MAIL_ID
from tracecode.enquiries.models import AssignmentRule, Enquiry
from tracecode.mail.models import MailMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_waiting_web_enquiry_and_an_unknown_buyers_mail():
    from tracecode.web.demo import load_demo

    load_demo()
    waiting = Enquiry.objects.get()
    assert (waiting.source, waiting.status, waiting.project) == ("web", "pending", None)
    assert waiting.assigned_to is not None and waiting.is_overdue
    assert waiting.files.get().file.read().startswith(b"%PDF-1.4")
    mail = MailMessage.objects.unfiled().get(message_id=GERMAN_MAIL_ID)
    assert mail.owner is None  # the shared mailbox: managers see it
    assert mail.attachments.get().filename == "FL-220 rev B.pdf"
    rules = AssignmentRule.objects.count()
    assert rules >= 3

    again = load_demo()
    assert Enquiry.objects.count() == 1
    assert AssignmentRule.objects.count() == rules
    assert MailMessage.objects.filter(message_id=GERMAN_MAIL_ID).count() == 1
    assert not [item for item in again.created if "enquir" in item]
