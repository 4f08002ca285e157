"""Filing: where a mail belongs (its codes, its thread, its sender), filing by hand, threads."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from tracecode.customers.models import Contact, Customer
from tracecode.files import services as files

from ..models import (
    How,
    MailLink,
    MailMessage,
)
from .codes import check_code, linkable_codes, linkable_customers
from .storage import UNFILED_FOLDER, _move, folder_for

# Links a later, better one replaces: a reply filed by its sender learns its thread's code.
WEAK = {How.THREAD, How.SENDER}


@dataclass
class Link:
    code: str
    customer: Customer
    how: str


def links_for(
    subject: str,
    text: str,
    references: Iterable[str],
    sender: str,
    cache: dict | None = None,
    owner=None,
) -> list[Link]:
    """Where a mail of `owner` belongs: subject codes, else body codes, else its thread, else
    its sender; only under customers the owner may see (the others count as none)."""
    allowed = linkable_customers(owner, cache)
    for how, where in ((How.SUBJECT, subject), (How.BODY, text)):
        found = linkable_codes(where, cache, allowed)
        if found:
            return [Link(code, customer, how) for code, customer in found]
    references = [r for r in references if r]
    if references:
        inherited = {
            link.code: Link(link.code, link.customer, How.THREAD)
            for link in thread_links(references, owner)
            if allowed is None or link.customer_id in allowed
        }
        if inherited:
            return list(inherited.values())
    if sender:
        customers = {c.pk: c for c in Customer.objects.filter(email__iexact=sender)}
        for contact in Contact.objects.filter(email__iexact=sender).select_related("customer"):
            customers[contact.customer_id] = contact.customer
        if allowed is not None:  # a hidden customer's address neither files nor makes ambiguous
            customers = {pk: c for pk, c in customers.items() if pk in allowed}
        if len(customers) == 1:
            customer = next(iter(customers.values()))
            return [Link(customer.code, customer, How.SENDER)]
    return []


def thread_links(references: Iterable[str], owner=None):
    """The links a reply of `owner` may inherit from the mails it references: a private copy
    passes its codes on to its owner's replies only."""
    parents = Q(mail__private_copy=False)
    if owner is not None:
        parents |= Q(mail__owner=owner)
    return (
        MailLink.objects.filter(parents, mail__message_id__in=list(references))
        .select_related("customer", "mail")
        .order_by("pk")
    )


def link_message(mail: MailMessage, cache: dict | None = None) -> list[MailLink]:
    """File a stored mail by the rules (see links_for); returns the links it got."""
    references = list(mail.references.values_list("message_id", flat=True))
    found = links_for(mail.subject, mail.text, references, mail.sender, cache, mail.owner)
    return _add_links(mail, found)


def _add_links(mail: MailMessage, found: list[Link], user=None) -> list[MailLink]:
    made = []
    existing = set(mail.links.values_list("code", flat=True))
    for link in found:
        if link.code in existing:
            continue
        existing.add(link.code)
        made.append(
            MailLink.objects.create(
                mail=mail, code=link.code, customer=link.customer, how=link.how, linked_by=user
            )
        )
    return made


def relink_replies(mail: MailMessage, user=None) -> int:
    """Replies already imported that are unfiled (or filed by sender only) join `mail`'s thread.

    Only replies `user` may see (the one who imported or filed `mail`; None: the system, for
    the shared mailbox), each only under codes its own owner may see, so that nobody's reply
    moves into a customer hidden from them and a crafted Message-ID captures nothing. A
    private copy passes its codes on to its owner's replies only.
    """
    count = 0
    queue = [mail]
    done = {mail.pk}
    cache: dict = {}
    candidates = MailMessage.objects.all() if user is None else MailMessage.objects.visible_to(user)
    while queue:
        parent = queue.pop()
        links = [
            Link(x.code, x.customer, How.THREAD) for x in parent.links.select_related("customer")
        ]
        if not links:
            continue
        replies = candidates.filter(references__message_id=parent.message_id)
        if parent.private_copy:
            replies = replies.filter(owner_id=parent.owner_id)
        for reply in replies.select_related("owner").distinct():
            if reply.pk in done:
                continue
            done.add(reply.pk)
            if set(reply.links.values_list("how", flat=True)) - WEAK:
                continue  # filed by its own code or by hand: left as it is
            allowed = linkable_customers(reply.owner, cache)
            passed = [x for x in links if allowed is None or x.customer.pk in allowed]
            if passed and _add_links(reply, passed):
                count += 1
                _moved(reply)
                _reindex(reply)
            queue.append(reply)
    return count


def thread_of(mail: MailMessage, user) -> list[MailMessage]:
    """The mails `user` may see that are connected to `mail` by In-Reply-To/References,
    `mail` included.

    The walk goes through visible mails only: a hidden mail neither shows (not even its
    subject) nor joins two visible parts of a thread, since joining them would tell it exists.
    """
    visible = MailMessage.objects.visible_to(user)
    found = {mail.pk: mail}
    queue = [mail]
    while queue:
        current = queue.pop()
        refs = list(current.references.values_list("message_id", flat=True))
        neighbours = visible.filter(
            Q(message_id__in=refs) | Q(references__message_id=current.message_id)
        )
        for other in neighbours.distinct():
            if other.pk not in found:
                found[other.pk] = other
                queue.append(other)
    return sorted(found.values(), key=lambda m: (m.date, m.pk))


def file_mail(
    mail: MailMessage, code: str, user, *, whole_thread: bool = False
) -> list[MailMessage]:
    """File a mail (or the part of its thread the user may see) under a code the user typed;
    returns the mails filed."""
    customer = check_code(code, user)
    code = code.strip().upper()
    mails = thread_of(mail, user) if whole_thread else [mail]
    with transaction.atomic():
        for each in mails:
            _add_links(each, [Link(code, customer, How.MANUAL)], user)
            _moved(each)
    for each in mails:
        _reindex(each)
        relink_replies(each, user)
    return mails


def _moved(mail: MailMessage) -> None:
    """An unfiled mail's files move into the folder of its first code, and its attachments
    join that code's files."""
    link = mail.links.select_related("customer").first()
    if link is None:
        return
    if mail.eml.name.startswith(f"{UNFILED_FOLDER}/"):
        folder = folder_for(link.code, link.customer.code)
        mail.eml.name = _move(mail.eml.name, folder)
        mail.save(update_fields=["eml"])
        for attachment in mail.attachments.all():
            attachment.file.name = _move(attachment.file.name, folder)
            attachment.save(update_fields=["file"])
    file_attachments(mail, link)


def file_attachments(mail: MailMessage, link: MailLink | None = None) -> list:
    """The mail's attachments in the Files panel of its first code: each one a StoredFile
    of that code pointing at the attachment's own stored file (the same file, not a copy).

    Inline parts (logos and pictures inside the text) are left out, and so is anything an
    upload would be refused for (a program, a file that is not what its name says). Search
    finds the words inside an attachment through its mail, so the file's entry holds only
    its name and the mail's subject.
    """
    link = link or mail.links.select_related("customer").first()
    if link is None:
        return []
    filed = []
    for attachment in mail.attachments.all():
        if attachment.inline or not attachment.file.name:
            continue
        if attachment.file.name.startswith(f"{UNFILED_FOLDER}/"):
            continue
        stored = files.adopt(
            link.code, link.customer, attachment.file.name,
            shown_name=attachment.filename, description=mail.subject, user=link.linked_by,
        )  # fmt: skip
        if stored is not None:
            filed.append(stored)
    return filed


def _reindex(mail: MailMessage) -> None:
    if not apps.is_installed("tracecode.search"):
        return
    try:
        from tracecode.search import index
    except ImportError:
        return
    if type(mail) in {p.model for p in index.providers()}:
        index.write(mail)
