import pytest

from tracecode.mail.models import ChatMessage, MailMessage

pytestmark = pytest.mark.django_db


def test_the_demo_files_mails_and_a_chat_and_runs_twice():
    from tracecode.mail import demo
    from tracecode.web.demo import load_demo

    report = load_demo()
    demo.load({u.username: u for u in report.users}, report)
    # and the unknown German buyer's mail of the enquiries demo, and Nordwerk's request for the
    # wallbox order's documents with its reply (tracecode/contracts/demo.py)
    assert MailMessage.objects.count() == 7
    assert MailMessage.objects.unfiled().count() == 2
    assert ChatMessage.objects.filter(links__isnull=False).count() == 3
    again = load_demo()
    demo.load({u.username: u for u in again.users}, again)
    assert MailMessage.objects.count() == 7
    assert ChatMessage.objects.count() == 3
    thread = MailMessage.objects.exclude(pk__in=MailMessage.objects.unfiled())
    codes = {link.code for mail in thread for link in mail.links.all()}
    assert len(codes) == 2  # Lyon's order, Nordwerk's wallbox order
