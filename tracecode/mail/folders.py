"""The mails, attachments and chat media stored in a customer's folder, for its .zip and sync."""

from .models import ChatMedia, MailAttachment, MailMessage


def stored_names(customer):
    mails = MailMessage.objects.filter(links__customer=customer).exclude(eml="")
    yield from mails.values_list("eml", flat=True).distinct()
    attachments = MailAttachment.objects.filter(mail__links__customer=customer)
    yield from attachments.values_list("file", flat=True).distinct()
    media = ChatMedia.objects.filter(message__links__customer=customer)
    yield from media.values_list("file", flat=True).distinct()
