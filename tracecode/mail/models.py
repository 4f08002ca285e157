"""Mails and chat messages, and the codes they are filed under.

A mail is visible to whoever may see a customer it is linked to. A mail linked to nothing
("Unfiled") is visible to the owner of the personal account (or upload) it came from and to
administrators; unfiled mail of the shared mailbox also to managers. A link (of a mail or a
chat message) is shown only to those who may see its customer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet, customer_q


class MailAccount(models.Model):
    """An IMAP mailbox fetched by `tracecode mail fetch`: the shared one (no owner) or a user's."""

    class Security(models.TextChoices):
        SSL = "ssl", _("TLS (IMAPS, port 993)")
        STARTTLS = "starttls", _("STARTTLS")
        PLAIN = "plain", _("none (loopback only)")

    name = models.CharField(_("name"), max_length=100)
    host = models.CharField(_("host"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("security"), max_length=10, choices=Security.choices, default=Security.SSL
    )
    username = models.CharField(_("user name"), max_length=200)
    # Kept as given: IMAP needs it in clear. Shown on no page and in no log; admin only.
    password = models.CharField(_("password"), max_length=200)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="mail_accounts",
        verbose_name=_("owner"),
        help_text=_("Empty: the shared company mailbox."),
    )
    active = models.BooleanField(_("active"), default=True)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(_("last UID fetched"), default=0, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mail account")
        verbose_name_plural = _("mail accounts")

    def __str__(self) -> str:
        return f"{self.name} ({self.username}@{self.host})"


class MailMessageQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        unfiled = ~Exists(MailLink.objects.filter(mail=OuterRef("pk")))
        mine = Q(owner_id=user.pk)
        if user.sees_everything:  # managers: everything filed, and the shared mailbox
            return self.filter(~unfiled | Q(owner__isnull=True) | mine)
        linked = Exists(
            MailLink.objects.filter(mail=OuterRef("pk")).filter(
                customer_q(user, MailLink, "customer")
            )
        )
        return self.filter(linked | (unfiled & mine))

    def unfiled(self):
        return self.exclude(Exists(MailLink.objects.filter(mail=OuterRef("pk"))))


class MailMessage(models.Model):
    """One mail, received or sent; its original .eml is kept as a file."""

    class Direction(models.TextChoices):
        IN = "in", _("received")
        OUT = "out", _("sent")

    class Source(models.TextChoices):
        IMAP = "imap", _("mail account")
        UPLOAD = "upload", _("upload")
        SENT = "smtp-sent", _("sent from Tracecode")
        FORWARD = "forward", _("forwarded")

    customer_path = "links__customer"

    message_id = models.CharField(_("Message-ID"), max_length=500, db_index=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=500, blank=True)
    subject = models.CharField(_("subject"), max_length=1000, blank=True)
    sender = models.CharField(_("from"), max_length=320, blank=True, db_index=True)
    sender_name = models.CharField(_("sender name"), max_length=300, blank=True)
    to = models.TextField(_("to"), blank=True)
    cc = models.TextField(_("cc"), blank=True)
    date = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    text = models.TextField(_("text"), blank=True)
    # Kept for the record and never rendered: pages show `text` (the HTML made plain text).
    html = models.TextField(_("HTML"), blank=True)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.IN
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    account = models.ForeignKey(
        MailAccount, models.SET_NULL, null=True, blank=True, related_name="mails"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    eml = models.FileField(_("original"), max_length=500, blank=True)
    problems = models.TextField(_("problems"), blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    # One mail per Message-ID, except that an owner who uploads (or fetches) a Message-ID
    # stored where they cannot see gets their own copy: a duplicate must not tell that a
    # hidden mail exists, and the owner keeps what they imported. A copy passes its codes on
    # to its owner's replies only.
    private_copy = models.BooleanField(_("private copy"), default=False, editable=False)

    objects = MailMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("mail")
        verbose_name_plural = _("mails")
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=Q(private_copy=False),
                name="one_mail_per_message_id",
            ),
            models.UniqueConstraint(
                fields=["message_id", "owner"],
                condition=Q(private_copy=True),
                name="one_private_copy_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or self.message_id


class MailReference(models.Model):
    """A Message-ID this mail answers (In-Reply-To and References): how threads are found."""

    mail = models.ForeignKey(MailMessage, models.CASCADE, related_name="references")
    message_id = models.CharField(max_length=500, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mail", "message_id"], name="one_reference_per_id")
        ]

    def __str__(self) -> str:
        return self.message_id


class MailAttachment(models.Model):
    mail = models.ForeignKey(MailMessage, models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=150, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    inline = models.BooleanField(_("inline"), default=False)
    file = models.FileField(_("file"), max_length=500)
    # Text of plain-text attachments, for search.
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class How(models.TextChoices):
    SUBJECT = "subject", _("code in the subject")
    BODY = "body", _("code in the text")
    THREAD = "thread", _("reply in a filed thread")
    SENDER = "sender", _("sender's address")
    MANUAL = "manual", _("filed by hand")
    SENT = "sent", _("sent from Tracecode")
    PICKED = "picked", _("code picked at import")


class MailLink(models.Model):
    """A mail filed under a code; `customer` (the code's root) decides who sees it."""

    customer_path = "customer"

    mail = models.ForeignKey(MailMessage, models.CASCADE, related_name="links")
    code = models.CharField(_("code"), max_length=40, db_index=True)
    customer = models.ForeignKey(
        "customers.Customer", models.CASCADE, related_name="+", verbose_name=_("customer")
    )
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["mail", "code"], name="one_link_per_code")]

    def __str__(self) -> str:
        return f"{self.mail_id} → {self.code}"


class ImportBatch(models.Model):
    """An upload of .eml/.mbox files imported in the background; the page polls its progress."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    files = models.JSONField(default=list)  # [{"name": shown name, "path": stored path}]
    files_done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def percent(self) -> int:
        return int(100 * self.files_done / len(self.files)) if self.files else 100


class ChatQuerySet(VisibleQuerySet):
    """Chat messages: visible through their links, unfiled ones to their importer and admins."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        links = ChatLink.objects.filter(message=OuterRef("pk"))
        mine = Q(upload__uploaded_by=user) | Q(upload__isnull=True, chat__uploaded_by=user)
        if user.sees_everything:
            return self.filter(Exists(links) | mine)
        linked = Exists(links.filter(customer_q(user, ChatLink, "customer")))
        return self.filter(linked | (~Exists(links) & mine))

    def unfiled(self):
        return self.exclude(Exists(ChatLink.objects.filter(message=OuterRef("pk"))))


class ChatImport(models.Model):
    """One WhatsApp chat, the archive of its messages; each export imported into it is a
    ChatUpload that adds only the messages not yet there (see services.chats)."""

    name = models.CharField(_("file"), max_length=255)
    # The chat's name as the export's file names it ("WhatsApp Chat with Zhang Wei.txt":
    # "Zhang Wei"); an export of the same user with the same title joins this chat.
    title = models.CharField(_("chat"), max_length=255, blank=True, db_index=True)
    format = models.CharField(_("format"), max_length=20)
    code = models.CharField(_("code"), max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    problems = models.TextField(blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("WhatsApp chat")
        verbose_name_plural = _("WhatsApp chats")

    def __str__(self) -> str:
        return self.title or self.name


class ChatUpload(models.Model):
    """One export imported into a chat: what it added and what it skipped (already there)."""

    chat = models.ForeignKey(ChatImport, models.CASCADE, related_name="uploads")
    name = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=20)
    date_order = models.CharField(_("date order"), max_length=3, blank=True)
    code = models.CharField(_("code"), max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    added = models.PositiveIntegerField(_("added"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    problems = models.TextField(blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("WhatsApp import")
        verbose_name_plural = _("WhatsApp imports")

    def __str__(self) -> str:
        return self.name


class ChatMessage(models.Model):
    customer_path = "links__customer"

    chat = models.ForeignKey(ChatImport, models.CASCADE, related_name="messages")
    # The import that brought it: its importer sees it while it is unfiled.
    upload = models.ForeignKey(
        ChatUpload, models.CASCADE, null=True, blank=True, related_name="messages"
    )
    timestamp = models.DateTimeField(_("date"), db_index=True)
    sender = models.CharField(_("from"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    line = models.PositiveIntegerField(default=0)
    # The same in every export of the chat (parsing.message_keys): a re-import skips it.
    key = models.CharField(max_length=40, blank=True, db_index=True)

    objects = ChatQuerySet.as_manager()

    class Meta:
        ordering = ["timestamp", "pk"]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.sender}: {self.text[:40]}"


class ChatMedia(models.Model):
    message = models.ForeignKey(ChatMessage, models.CASCADE, related_name="media")
    filename = models.CharField(max_length=255)
    file = models.FileField(max_length=500)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class ChatLink(models.Model):
    customer_path = "customer"

    message = models.ForeignKey(ChatMessage, models.CASCADE, related_name="links")
    code = models.CharField(max_length=40, db_index=True)
    customer = models.ForeignKey("customers.Customer", models.CASCADE, related_name="+")
    how = models.CharField(max_length=10, choices=How.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "code"], name="one_chat_link_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.code}"


class MailTemplate(models.Model):
    """A text to start a mail from, in English and Chinese, with placeholders such as
    `{code}`, `{customer}`, `{contact}` and `{sender}` (services.compose.PLACEHOLDERS).

    Administrators edit them in the admin site; a default set comes with the app.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    subject = models.CharField(_("subject (English)"), max_length=300, blank=True)
    body = models.TextField(_("text (English)"))
    subject_zh = models.CharField(_("subject (Chinese)"), max_length=300, blank=True)
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("mail template")
        verbose_name_plural = _("mail templates")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if self.name_zh and (get_language() or "").startswith("zh"):
            return self.name_zh
        return self.name


class Signature(models.Model):
    """A user's signature under the mails they write, in English and Chinese."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="mail_signature"
    )
    text = models.TextField(_("signature (English)"), blank=True)
    text_zh = models.TextField(
        _("signature (Chinese)"), blank=True, help_text=_("Empty: the English one is used.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return str(self.user)


class MailDraft(models.Model):
    """A mail that could not be sent yet: what was typed, picked and uploaded, kept for its
    writer until it goes out (see services.compose)."""

    class Mode(models.TextChoices):
        NEW = "new", _("new mail")
        REPLY = "reply", _("reply")
        REPLY_ALL = "reply_all", _("reply to all")
        FORWARD = "forward", _("forward")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.NEW)
    code = models.CharField(_("code"), max_length=40, blank=True)
    mail = models.ForeignKey(MailMessage, models.SET_NULL, null=True, blank=True, related_name="+")
    to = models.TextField(_("to"), blank=True)
    cc = models.TextField(_("cc"), blank=True)
    subject = models.CharField(_("subject"), max_length=1000, blank=True)
    body = models.TextField(_("text"), blank=True)
    picks = models.JSONField(default=list, blank=True)  # files of the record, by key
    error = models.TextField(blank=True)  # why the last try failed
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("unsent mail")
        verbose_name_plural = _("unsent mails")

    def __str__(self) -> str:
        return self.subject or str(self.get_mode_display())


class DraftAttachment(models.Model):
    """A file uploaded for a draft, kept until the mail goes out."""

    draft = models.ForeignKey(MailDraft, models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=150, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    file = models.FileField(max_length=500)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
