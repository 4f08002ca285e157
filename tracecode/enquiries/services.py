"""The rules of the intake, one function each: views, API, demo and tests call these.

    proposal_for_mail(mail, user)        what the form starts with (guesses, duplicates, files)
    from_mail(mail, intake, user=…)      customer (new or picked) + project, mail and thread
                                         filed, drawings into the project's folder
    submit(data, files, address=…)       the website form: waits as pending, no code
    accept(enquiry, intake, user=…)      … and the acknowledgement goes out
    reject(enquiry, reason, user=…)      why is recorded; held drawings are deleted

Customers and projects are made by their apps' services (customers.services.create_customer,
sales.services.create_project), mails filed by mail.services.file_mail, files stored by
files.services.store: the intake adds no second way to make any of them.
"""

import datetime
import hashlib
import posixpath
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.accounts.models import Role
from tracecode.codes import registry
from tracecode.customers import services as customers
from tracecode.customers.duplicates import PUBLIC_MAIL_DOMAINS, find_duplicates
from tracecode.customers.models import Contact, Customer, CustomerSource
from tracecode.files import layout
from tracecode.files import services as files
from tracecode.files.inspect import HEAD_BYTES, inspect
from tracecode.files.models import StoredFile
from tracecode.mail import services as mail_services
from tracecode.mail.defaults import ACKNOWLEDGEMENT
from tracecode.mail.models import ChatMessage, MailMessage
from tracecode.mail.services import compose
from tracecode.sales import services as sales
from tracecode.sales.models import Project

from . import prefill
from .models import AssignmentRule, Enquiry, EnquiryFile, FormSettings, Submission

# PostgreSQL: the rate limit's count and insert happen under one lock (SQLite's immediate
# transaction holds the write lock, which serialises as well).
LOCK = "SELECT pg_advisory_xact_lock(%s)"
LOCK_KEY = int.from_bytes(hashlib.sha256(b"enquiry-form").digest()[:8], "big", signed=True)
FILES_PER_SUBMISSION = 10
DRAWINGS = {".pdf", ".dwg", ".dxf", ".step", ".stp", ".igs", ".iges", ".x_t", ".sldprt"}
DRAWINGS |= {".sldasm", ".prt", ".stl", ".3mf", ".catpart", ".ipt", ".iam", ".jt"}
PHOTOS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff"}
SPECIFICATIONS = {".doc", ".docx", ".xls", ".xlsx", ".txt", ".csv", ".odt", ".ods", ".rtf"}


class EnquiryError(Exception):
    """A move the enquiry cannot make (accepting it twice …); the API answers 409."""

    code = "refused"


class RateLimited(Exception):
    """Too many submissions from one address, or from everywhere, within the hour."""


# Moves -------------------------------------------------------------------------------------


def move(enquiry: Enquiry, action: str, *, user) -> Enquiry:
    """Perform `action` (accept, reject) on the enquiry, locked; EnquiryError if it may not."""
    locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    target = Enquiry.TRANSITIONS.get((action, locked.status))
    if target is None:
        raise EnquiryError(not_waiting(locked, action))
    enquiry.status = target
    enquiry.decided_by, enquiry.decided_at = user, timezone.now()
    return enquiry


def not_waiting(enquiry: Enquiry, action: str) -> str:
    status = enquiry.get_status_display()
    if action == "reject":
        return _("This enquiry is %(status)s already; it cannot be rejected.") % {"status": status}
    return _("This enquiry is %(status)s already; it cannot be accepted.") % {"status": status}


# Assignment --------------------------------------------------------------------------------


def can_be_assigned(user) -> bool:
    return user is not None and user.is_active and user.role in (Role.SALES, Role.MANAGER)


def pick_assignee(
    country: str = "", industry=None, *, advance: bool = True
) -> tuple[object, AssignmentRule | None]:
    """Who gets an enquiry by the administrator's rules: the first country or industry rule
    that fits, else the in-turn person whose last enquiry is longest ago (`advance`: and it
    is their turn now; without it, only who it would be). (None, None) when no rule gives
    anybody: managers see the enquiry unassigned and assign it."""
    rules = AssignmentRule.objects.filter(active=True, assignee__is_active=True).exclude(
        assignee__role__in=[Role.VIEWER, Role.ADMIN]
    )
    if advance:
        rules = rules.select_for_update()
    rules = list(rules.select_related("assignee").order_by("position", "pk"))
    for rule in rules:
        if rule.kind == AssignmentRule.Kind.COUNTRY and country and rule.country == country:
            return rule.assignee, rule
        industry_pk = getattr(industry, "pk", industry)
        if (
            rule.kind == AssignmentRule.Kind.INDUSTRY
            and industry_pk
            and rule.industry_id == industry_pk
        ):
            return rule.assignee, rule
    turn = [r for r in rules if r.kind == AssignmentRule.Kind.TURN]
    if not turn:
        return None, None
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    rule = min(turn, key=lambda r: (r.last_assigned_at or never, r.position, r.pk))
    if advance:
        AssignmentRule.objects.filter(pk=rule.pk).update(last_assigned_at=timezone.now())
    return rule.assignee, rule


def assign_by_rules(enquiry: Enquiry) -> Enquiry:
    with transaction.atomic():
        enquiry.assigned_to, enquiry.rule = pick_assignee(enquiry.country, enquiry.industry)
        enquiry.assigned_at = timezone.now() if enquiry.assigned_to else None
        enquiry.assigned_by = None
        if enquiry.pk:
            enquiry.save(update_fields=["assigned_to", "rule", "assigned_at", "assigned_by"])
    return enquiry


def reassign(enquiry: Enquiry, to, *, by) -> Enquiry:
    """A manager gives the enquiry to another salesperson."""
    if not by.sees_everything or not by.can_write:
        raise PermissionDenied
    if not can_be_assigned(to):
        raise ValidationError({"assigned_to": [_("Enquiries go to sales people and managers.")]})
    enquiry.assigned_to, enquiry.assigned_by = to, by
    enquiry.assigned_at, enquiry.rule = timezone.now(), None
    enquiry.save(update_fields=["assigned_to", "assigned_by", "assigned_at", "rule"])
    return enquiry


# The website form --------------------------------------------------------------------------


def form_enabled() -> bool:
    return FormSettings.current().enabled


def set_form_enabled(enabled: bool, *, user) -> FormSettings:
    if not user.is_administrator:
        raise PermissionDenied
    current = FormSettings.current()
    current.enabled, current.changed_by, current.changed_at = enabled, user, timezone.now()
    current.save()
    return current


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LOCK, [LOCK_KEY])


def count_submission(address: str | None, *, spam: bool = False) -> None:
    """Record one post of the form, or refuse it with RateLimited: at most
    TRACECODE_ENQUIRY_FORM_PER_ADDRESS an hour from one address and
    TRACECODE_ENQUIRY_FORM_PER_HOUR from everywhere (counted in the database, under a lock:
    every app server counts the same posts)."""
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    with transaction.atomic():
        _lock()
        recent = Submission.objects.filter(at__gte=hour_ago)
        if recent.count() >= settings.ENQUIRY_FORM_PER_HOUR or (
            address and recent.filter(address=address).count() >= settings.ENQUIRY_FORM_PER_ADDRESS
        ):
            raise RateLimited
        Submission.objects.create(address=address, spam=spam)
        Submission.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=2)).delete()


def check_upload(upload) -> None:
    """A drawing sent with the form is checked as every upload is (files/inspect.py)."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    inspect(files.original_name(upload.name) or "file", head, upload.size)


def submit(values: dict, uploads, *, address: str | None, language: str = "en"):
    """Keep a website submission as a pending enquiry (no code), assigned by the rules.

    `values` come from a valid EnquirySubmissionForm. Refused drawings are left out and named
    (the rest of the enquiry is kept). Returns the enquiry and the refusals.
    """
    refused, kept = [], []
    for upload in list(uploads)[:FILES_PER_SUBMISSION]:
        try:
            check_upload(upload)
        except ValidationError as error:
            refused.append({"name": upload.name, "messages": error.messages})
        else:
            kept.append(upload)
    for upload in list(uploads)[FILES_PER_SUBMISSION:]:
        refused.append({"name": upload.name, "messages": [_("At most %(n)d files.") % {"n": 10}]})
    with transaction.atomic():
        enquiry = Enquiry(
            source=Enquiry.Source.WEB, address=address, language=language,
            **{k: values.get(k) or "" for k in ("company_name", "contact_name", "email", "phone",
                                                   "country", "part_name", "message")},
            quantity=values.get("quantity"), industry=values.get("industry"),
        )  # fmt: skip
        assign_by_rules(enquiry)
        enquiry.save()
        for upload in kept:
            name = files.original_name(upload.name) or "drawing"
            held = EnquiryFile(enquiry=enquiry, filename=name, size=upload.size)
            held.content_type = (getattr(upload, "content_type", "") or "")[:100]
            held.file.save(layout.safe_name(name), upload, save=False)
            held.save()
    return enquiry, refused


# What an enquiry form starts with ----------------------------------------------------------


@dataclass
class Offered:
    """A file that came with the enquiry, offered to be filed under the new project."""

    key: str  # `attachment:12` (a mail's), `media:4` (a chat's), `held:7` (the web form's)
    name: str
    size: int | None
    document_type: str


def document_type_for(name: str) -> str:
    """Drawings into Drawing, pictures into Photo, documents into Specification."""
    ext = posixpath.splitext(name or "")[1].lower()
    if ext in DRAWINGS:
        return "Drawing"
    if ext in PHOTOS:
        return "Photo"
    if ext in SPECIFICATIONS:
        return "Specification"
    return "Other"


@dataclass
class Proposal:
    source: str
    guess: prefill.Guess
    received_at: datetime.datetime
    request: str
    files: list[Offered] = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    owner: object = None  # who the rules give it to
    earlier: list = field(default_factory=list)  # enquiries already made from the same mail
    preferred: str = ""  # the customer the sender's address belongs to, if the user may add to it

    @property
    def channel(self) -> str:
        return {"mail": "email", "web": "website", "chat": "messenger"}[self.source]


def _duplicates(user, guess: prefill.Guess):
    return find_duplicates(
        user, company_name=guess.company_name, email=guess.email, phone=guess.phone,
        website=guess.website,
    )  # fmt: skip


def _preferred(user, guess: prefill.Guess) -> str:
    """The customer the sender's address (or mail domain) already belongs to."""
    if not guess.email:
        return ""
    editable = Customer.objects.editable_by(user)
    for found in find_duplicates(user, email=guess.email):
        if editable.filter(pk=found.customer.pk).exists():
            return found.customer.code
    return ""


def _owner_for(user, guess: prefill.Guess):
    """Who the new customer goes to: the salesperson making it, or for a manager whom the
    rules name (the form lets them choose)."""
    if not user.sees_everything:
        return user
    found, _rule = pick_assignee(guess.country, None, advance=False)
    return found or user


def _note_rule(enquiry: Enquiry) -> None:
    """The enquiry went where the rules would send it: that rule assigned it (and an in-turn
    rule's person had their turn)."""
    found, rule = pick_assignee(enquiry.country, enquiry.industry, advance=False)
    if rule is not None and found == enquiry.assigned_to:
        enquiry.rule = rule
        enquiry.save(update_fields=["rule"])
        if rule.kind == AssignmentRule.Kind.TURN:
            AssignmentRule.objects.filter(pk=rule.pk).update(last_assigned_at=timezone.now())


def proposal_for_mail(mail: MailMessage, user) -> Proposal:
    attachments = [a for a in mail.attachments.all() if not a.inline]
    guess = prefill.from_mail(
        sender=mail.sender, sender_name=mail.sender_name, subject=mail.subject, text=mail.text,
        attachment_names=[a.filename for a in attachments], public_domains=PUBLIC_MAIL_DOMAINS,
    )  # fmt: skip
    offered = [
        Offered(f"attachment:{a.pk}", a.filename, a.size, document_type_for(a.filename))
        for a in attachments
    ]
    request = f"{mail.subject}\n\n{mail.text}".strip()[:5000]
    return Proposal(
        Enquiry.Source.MAIL, guess, mail.date, request, offered, _duplicates(user, guess),
        _owner_for(user, guess),
        list(Enquiry.objects.visible_to(user).filter(mail=mail).select_related("project")),
        _preferred(user, guess),
    )  # fmt: skip


def proposal_for_chat(message, user) -> Proposal:
    media = list(message.media.all())
    guess = prefill.from_chat(
        sender=message.sender, text=message.text, media_names=[m.filename for m in media]
    )
    offered = [
        Offered(f"media:{m.pk}", m.filename, None, document_type_for(m.filename)) for m in media
    ]
    return Proposal(
        Enquiry.Source.CHAT, guess, message.timestamp, message.text[:5000], offered,
        _duplicates(user, guess), _owner_for(user, guess),
        list(Enquiry.objects.visible_to(user).filter(chat_message=message)),
        _preferred(user, guess),
    )  # fmt: skip


def proposal_for(enquiry: Enquiry, user) -> Proposal:
    """A web enquiry as its acceptance form starts: what the enquirer typed."""
    domain = enquiry.email.rpartition("@")[2].lower()
    company_domain = "" if domain in PUBLIC_MAIL_DOMAINS else domain
    guess = prefill.Guess(
        company_name=enquiry.company_name, contact_name=enquiry.contact_name,
        email=enquiry.email, phone=enquiry.phone, country=enquiry.country,
        website=f"https://{company_domain}" if company_domain else "",
        part_name=enquiry.part_name, quantity=enquiry.quantity, language=enquiry.language,
    )  # fmt: skip
    offered = [
        Offered(f"held:{f.pk}", f.filename, f.size, document_type_for(f.filename))
        for f in enquiry.files.filter(stored__isnull=True)
    ]
    return Proposal(
        Enquiry.Source.WEB, guess, enquiry.received_at, enquiry.message, offered,
        _duplicates(user, guess), enquiry.assigned_to or user, [], _preferred(user, guess),
    )  # fmt: skip


# Accepting ---------------------------------------------------------------------------------


@dataclass
class Intake:
    """What the person decided on the form: the customer (an existing one, or a new unsaved
    one), the contact, the project's values, which files go where, the thread."""

    customer: Customer | None = None
    new_customer: Customer | None = None
    contact: dict = field(default_factory=dict)  # name, email, phone, job_title
    project: dict = field(default_factory=dict)  # Project fields
    files: list[tuple[str, str]] = field(default_factory=list)  # (key, document type)
    whole_thread: bool = True
    language: str = "en"


@dataclass
class Accepted:
    enquiry: Enquiry
    customer: Customer
    project: Project
    stored: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # {"name", "messages"}
    filed: list = field(default_factory=list)  # mails or chat messages filed
    acknowledgement: MailMessage | None = None
    draft: object = None  # the acknowledgement kept when it could not be sent
    problem: str = ""


def _customer_for(intake: Intake, user) -> Customer:
    if intake.customer is not None:
        if not Customer.objects.editable_by(user).filter(pk=intake.customer.pk).exists():
            raise PermissionDenied
        return intake.customer
    customer = intake.new_customer
    if customer.owner_id is None:
        customer.owner = user
    return customers.create_customer(customer, user=user)


def _contact_for(customer: Customer, values: dict, user) -> Contact | None:
    name = (values.get("name") or "").strip()
    email = (values.get("email") or "").strip()
    if not name and not email:
        return None
    known = customer.contacts.all()
    same = known.filter(email__iexact=email) if email else known.filter(name__iexact=name)
    if same.exists():
        return same.first()
    contact = Contact(
        name=name or email, email=email, phone=values.get("phone") or "",
        job_title=values.get("job_title") or "",
    )  # fmt: skip
    return customers.add_contact(contact, customer=customer, user=user)


def _describe(enquiry: Enquiry, customer: Customer, contact: dict) -> None:
    """What a mail or chat enquiry did not say in fields comes from the customer and contact
    it became (the queue shows who and where from)."""
    enquiry.company_name = enquiry.company_name or customer.company_name
    enquiry.country = enquiry.country or customer.country
    enquiry.industry = enquiry.industry or customer.industry
    enquiry.contact_name = enquiry.contact_name or (contact.get("name") or "")[:120]
    enquiry.email = enquiry.email or contact.get("email") or ""
    enquiry.phone = enquiry.phone or (contact.get("phone") or "")[:40]


def _make(enquiry: Enquiry, intake: Intake, *, user) -> tuple[Customer, Project]:
    """Customer (or the picked one), contact and project, and the enquiry accepted: one
    transaction, so a refusal leaves no half-made customer and gives no code away."""
    with transaction.atomic():
        if enquiry.pk:
            move(enquiry, "accept", user=user)
        else:
            enquiry.status = Enquiry.Status.ACCEPTED
            enquiry.decided_by, enquiry.decided_at = user, timezone.now()
        customer = _customer_for(intake, user)
        _contact_for(customer, intake.contact, user)
        project = sales.create_project(customer, user=user, **intake.project)
        enquiry.customer, enquiry.project = customer, project
        _describe(enquiry, customer, intake.contact)
        if enquiry.assigned_to is None or not enquiry.pk:
            enquiry.assigned_to = customer.owner
            enquiry.assigned_at = enquiry.assigned_at or timezone.now()
            enquiry.assigned_by = enquiry.assigned_by or user
        enquiry.save()
    return customer, project


def _store_existing(project, field_file, name: str, document_type: str, user, description):
    with field_file.open("rb") as handle:
        return files.store(
            project, File(handle, name=name), user=user, document_type=document_type,
            description=description,
        )  # fmt: skip


def _refile(item, project, name, document_type, user, description):
    """File a mail attachment or chat media into the project's folder as its document type.

    Not yet a file of any record: it moves (the attachment points at the stored file, the
    old copy goes), so there stays one file. Already a record's file: stored again here."""
    old = item.file.name
    stored = _store_existing(project, item.file, name, document_type, user, description)
    if not StoredFile.objects.filter(file=old).exists():
        item.file.name = stored.file.name
        item.save(update_fields=["file"])
        default_storage.delete(old)
    return stored


def _file_files(enquiry: Enquiry, project, chosen, user) -> tuple[list, list]:
    """Store the chosen files of the enquiry under the project, each as its type."""
    stored, refused = [], []
    description = _("from the enquiry of %(date)s") % {
        "date": f"{timezone.localtime(enquiry.received_at):%Y-%m-%d}"
    }
    for key, document_type in chosen:
        kind, _sep, pk = key.partition(":")
        try:
            if kind == "attachment" and enquiry.mail_id:
                item = enquiry.mail.attachments.get(pk=pk)
                stored.append(_refile(item, project, item.filename, document_type, user,
                                      description))  # fmt: skip
            elif kind == "media" and enquiry.chat_message_id:
                item = enquiry.chat_message.media.get(pk=pk)
                stored.append(_refile(item, project, item.filename, document_type, user,
                                      description))  # fmt: skip
            elif kind == "held":
                held = enquiry.files.get(pk=pk, stored__isnull=True)
                found = _store_existing(project, held.file, held.filename, document_type, user,
                                        description)  # fmt: skip
                default_storage.delete(held.file.name)
                held.file, held.stored = "", found
                held.save(update_fields=["file", "stored"])
                stored.append(found)
            else:
                raise ValidationError(_("%(key)s is not a file of this enquiry.") % {"key": key})
        except ValidationError as error:
            refused.append({"name": key, "messages": error.messages})
        except (ObjectDoesNotExist, ValueError, OSError):  # gone, or never this enquiry's
            refused.append({"name": key, "messages": [_("The file is gone.")]})
    return stored, refused


def _replied_in_thread(enquiry: Enquiry, mails) -> None:
    """A mail enquiry answered before it became one: its first answer counts."""
    answers = [
        m for m in mails
        if m.direction == MailMessage.Direction.OUT and m.date >= enquiry.received_at
    ]  # fmt: skip
    if answers and enquiry.first_reply_at is None:
        first = min(answers, key=lambda m: m.date)
        enquiry.first_reply_at, enquiry.reply_mail = first.date, first
        enquiry.save(update_fields=["first_reply_at", "reply_mail"])


def _apply_source(customer: Customer, source_code: str) -> None:
    if customer.source_id is None:
        found = CustomerSource.objects.filter(code=source_code).first()
        if found is not None:
            customer.source = found
            customer.save(update_fields=["source"])


def from_mail(mail: MailMessage, intake: Intake, *, user) -> Accepted:
    """A mail becomes an enquiry: customer (new or picked) and project, the mail (and its
    thread) filed under the project, the chosen attachments in the project's folder."""
    if not user.can_write or not MailMessage.objects.visible_to(user).filter(pk=mail.pk).exists():
        raise PermissionDenied
    enquiry = Enquiry(
        source=Enquiry.Source.MAIL, mail=mail, received_at=mail.date, language=intake.language,
        email=mail.sender, contact_name=mail.sender_name[:120], part_name=intake.project.get(
            "name", "")[:100], message=mail.text[:5000],
    )  # fmt: skip
    customer, project = _make(enquiry, intake, user=user)
    _note_rule(enquiry)
    stored, refused = _file_files(enquiry, project, intake.files, user)
    filed = mail_services.file_mail(mail, project.code, user, whole_thread=intake.whole_thread)
    _replied_in_thread(enquiry, filed)
    return Accepted(enquiry, customer, project, stored, refused, filed)


def from_chat(message, intake: Intake, *, user) -> Accepted:
    """A chat message becomes an enquiry; with `whole_thread`, the chat's other waiting
    messages are filed with it."""
    if (
        not user.can_write
        or not ChatMessage.objects.visible_to(user).filter(pk=message.pk).exists()
    ):
        raise PermissionDenied
    enquiry = Enquiry(
        source=Enquiry.Source.CHAT, chat_message=message, received_at=message.timestamp,
        language=intake.language, contact_name=message.sender[:120],
        part_name=intake.project.get("name", "")[:100], message=message.text[:5000],
    )  # fmt: skip
    customer, project = _make(enquiry, intake, user=user)
    _note_rule(enquiry)
    stored, refused = _file_files(enquiry, project, intake.files, user)
    messages = [message]
    if intake.whole_thread:
        waiting = mail_services.unfiled_of(message.chat, user).exclude(pk=message.pk)
        messages += list(waiting)
    filed = mail_services.file_chat_messages(messages, project.code, user)
    return Accepted(enquiry, customer, project, stored, refused, filed)


def acknowledgement(enquiry: Enquiry, user, language: str = "") -> compose.Compose:
    """The acknowledgement with the new code, to the enquirer, from the template."""
    written = compose.new_mail(
        enquiry.project.code, user, template_key=ACKNOWLEDGEMENT,
        language=language or enquiry.language,
    )  # fmt: skip
    if enquiry.email:
        written.to = [enquiry.email]
    return written


def accept(enquiry: Enquiry, intake: Intake, *, user) -> Accepted:
    """Accept a waiting web enquiry: customer and project as for a mail, the drawings into
    the project's folder, and the acknowledgement sent (kept as an unsent mail when the
    mail server cannot take it: the codes are given all the same)."""
    if not Enquiry.objects.visible_to(user).filter(pk=enquiry.pk).exists():
        raise PermissionDenied
    if not user.can_write:
        raise PermissionDenied
    customer, project = _make(enquiry, intake, user=user)
    _apply_source(customer, "website")
    stored, refused = _file_files(enquiry, project, intake.files, user)
    done = Accepted(enquiry, customer, project, stored, refused)
    written = acknowledgement(enquiry, user, intake.language)
    if not written.to:
        return done
    try:
        done.acknowledgement = compose.send(written, user)
    except mail_services.MailNotSent as error:
        done.problem = str(error)
        done.draft = compose.keep_draft(user, written, error=str(error))
    enquiry.refresh_from_db()
    return done


def reject(enquiry: Enquiry, reason: str, *, user) -> Enquiry:
    """Turn a waiting enquiry down (spam, not our business): the reason is recorded, the
    drawings it brought are deleted, and no code is given."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the enquiry is rejected.")]})
    with transaction.atomic():
        move(enquiry, "reject", user=user)
        enquiry.reject_reason = reason[:300]
        enquiry.save(update_fields=["status", "decided_by", "decided_at", "reject_reason"])
        held = list(enquiry.files.exclude(file=""))
        for item in held:
            EnquiryFile.objects.filter(pk=item.pk).update(file="")
    for item in held:
        default_storage.delete(item.file.name)
    return enquiry


def mark_replied(enquiry: Enquiry, *, user, at=None) -> Enquiry:
    """Answered outside Tracecode (on the phone, on WhatsApp): the first reply is now."""
    if enquiry.first_reply_at is None:
        enquiry.first_reply_at = at or timezone.now()
        enquiry.save(update_fields=["first_reply_at"])
    return enquiry


def on_mail_sent(sender, *, mail, code, user, **kwargs) -> None:
    """A mail about an enquiry's project (or its customer, or anything below) is the first
    reply of those enquiries not yet answered."""
    lineage = registry.lineage_of_code(code)
    Enquiry.objects.filter(
        Q(project__code__in=lineage) | Q(customer__code=code),
        first_reply_at__isnull=True,
        status=Enquiry.Status.ACCEPTED,
        # A mail's Date has whole seconds: a reply sent within the second the enquiry came
        # in reads as a moment before it.
        received_at__lt=mail.date + datetime.timedelta(seconds=1),
    ).update(first_reply_at=mail.date, reply_mail=mail)


# Figures -----------------------------------------------------------------------------------


@dataclass
class SourceFigures:
    source: str
    label: str
    count: int
    answered: int
    median_hours: Decimal | None


def figures(user, since=None, until=None) -> list[SourceFigures]:
    """Enquiries per source and how fast they got their first reply (median, in hours): for
    the manager's reports."""
    rows = Enquiry.objects.visible_to(user).exclude(status=Enquiry.Status.REJECTED)
    if since:
        rows = rows.filter(received_at__gte=since)
    if until:
        rows = rows.filter(received_at__lt=until)
    result = []
    for source, label in Enquiry.Source.choices:
        mine = rows.filter(source=source)
        times = sorted(
            (reply - received).total_seconds() / 3600
            for received, reply in mine.filter(first_reply_at__isnull=False).values_list(
                "received_at", "first_reply_at"
            )
        )
        median = None
        if times:
            middle = len(times) // 2
            value = times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2
            median = Decimal(str(round(max(value, 0), 1)))
        result.append(SourceFigures(source, str(label), mine.count(), len(times), median))
    return result
