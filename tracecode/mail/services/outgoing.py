"""Sending mail about a code; the sent copy is kept and filed under it.

A send that fails raises MailNotSent with a sentence a person can act on ("no mail server
answers at 127.0.0.1:25"), never the socket's "[Errno 111] Connection refused".
`server_status()` tells the compose page whether a mail server answers before anything is
typed.
"""

import smtplib
import socket
import ssl
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, mailers, make_msgid
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.dispatch import Signal
from django.utils.translation import gettext as _

from ..models import (
    How,
    MailMessage,
)
from .codes import check_code, customer_of
from .importing import store_mail
from .linking import Link

# At most this much in attachments per sent mail (base64 makes the message a third larger;
# common SMTP servers accept 25 MB).
SEND_ATTACHMENTS_LIMIT = 15 * 1024 * 1024
# How long the compose page waits for the mail server's greeting.
PROBE_SECONDS = 3

# Sent after a mail about a code went out and its copy was filed: `mail`, `code`, `user`.
mail_sent = Signal()


class MailNotSent(Exception):
    """The mail server could not be reached or refused the mail; the message says why."""


def subject_prefix(code: str) -> str:
    return getattr(settings, "MAIL_SUBJECT_FORMAT", "[{code}] ").format(code=code)


def main_contact_email(code: str) -> str:
    customer = customer_of(code)
    if customer is None:
        return ""
    contact = customer.contacts.exclude(email="").order_by("-is_main", "pk").first()
    return contact.email if contact else customer.email


def _backend():
    return mailers.default


def server_address(backend=None) -> str:
    """`127.0.0.1:25`: where the SMTP backend sends (empty for other backends)."""
    backend = backend or _backend()
    if not isinstance(backend, SmtpBackend):
        return ""
    host = f"[{backend.host}]" if ":" in str(backend.host) else backend.host
    return f"{host}:{backend.port}"


def why_not_sent(error: Exception, where: str) -> str:
    """A person's sentence for what went wrong between Tracecode and the mail server."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return _("the mail server at %(where)s refused the user name or password.") % {
            "where": where
        }
    if isinstance(error, smtplib.SMTPSenderRefused):
        return _("the mail server refused the sender address %(sender)s.") % {
            "sender": error.sender
        }
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return _("the mail server refused these recipients: %(recipients)s.") % {
            "recipients": ", ".join(sorted(error.recipients))
        }
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return _("the mail server at %(where)s does not offer STARTTLS.") % {"where": where}
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return _("the mail server at %(where)s closed the connection.") % {"where": where}
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error
        answer = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
        return _("the mail server answered “%(code)s %(answer)s”.") % {
            "code": error.smtp_code,
            "answer": answer.strip(),
        }
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return _("the secure connection to the mail server at %(where)s failed (%(reason)s).") % {
            "where": where,
            "reason": getattr(error, "reason", None) or error.__class__.__name__,
        }
    if isinstance(error, socket.gaierror):
        return _("the mail server's name in %(where)s is not known.") % {"where": where}
    if isinstance(error, TimeoutError | socket.timeout):
        return _("the mail server at %(where)s did not answer in time.") % {"where": where}
    if where:
        return _("no mail server answers at %(where)s.") % {"where": where}
    return _("the mail could not be handed to the mail backend (%(error)s).") % {
        "error": error.__class__.__name__
    }


def not_sent(error: Exception, where: str = "") -> MailNotSent:
    message = _("The mail could not be sent: %(reason)s") % {"reason": why_not_sent(error, where)}
    return MailNotSent(message)


@dataclass(frozen=True)
class ServerStatus:
    ok: bool
    address: str  # `127.0.0.1:25`, "" for a backend that is not SMTP
    problem: str = ""


_checked: dict[tuple, tuple[float, ServerStatus]] = {}


def server_status() -> ServerStatus:
    """Whether the configured mail server takes a connection (and the sign-in, when one is
    set). Remembered for a minute (a failure for 15 seconds): the compose page asks often."""
    backend = _backend()
    where = server_address(backend)
    if not isinstance(backend, SmtpBackend):
        return ServerStatus(True, where)
    key = (backend.host, backend.port, backend.username, backend.use_tls, backend.use_ssl)
    if key in _checked and _checked[key][0] > time.monotonic():
        return _checked[key][1]
    backend.timeout = min(backend.timeout or PROBE_SECONDS, PROBE_SECONDS)
    try:
        backend.open()
        backend.close()
    except (OSError, ValueError) as error:
        status = ServerStatus(False, where, why_not_sent(error, where))
    else:
        status = ServerStatus(True, where)
    _checked[key] = (time.monotonic() + (60 if status.ok else 15), status)
    return status


def forget_server_status() -> None:
    _checked.clear()


def send_mail(
    code: str,
    user,
    *,
    to: list[str],
    subject: str,
    body: str,
    cc: list[str] = (),
    attachments: list[tuple[str, bytes, str]] = (),
    in_reply_to: str = "",
    references: list[str] = (),
) -> MailMessage:
    """Send a mail about `code` through the default mailer and keep the sent copy, filed.

    A reply names the mail it answers (`in_reply_to`) and its thread (`references`), so
    both ends keep it in the thread. MailNotSent when the server cannot be reached or
    refuses; nothing is stored then.
    """
    customer = check_code(code, user)
    code = code.strip().upper()
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "tracecode"
    headers = {"Message-ID": make_msgid(domain=domain)}
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        headers["References"] = " ".join(dict.fromkeys([*references, in_reply_to]))
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        cc=list(cc),
        reply_to=[user.email] if user.email else None,
        headers=headers,
    )
    for name, content, content_type in attachments:
        message.attach(name, content, content_type or None)
    raw = message.message().as_bytes()
    backend = _backend()
    try:
        backend.send_messages([message])
    except (OSError, ValueError) as error:
        forget_server_status()
        raise not_sent(error, server_address(backend)) from None
    mail = store_mail(
        raw,
        source=MailMessage.Source.SENT,
        owner=user,
        direction=MailMessage.Direction.OUT,
        extra_links=[Link(code, customer, How.SENT)],
        user=user,
    )
    if mail is None:  # cannot happen with a fresh Message-ID; say so if it does
        raise RuntimeError("the sent mail's Message-ID is already stored")
    mail_sent.send(sender=MailMessage, mail=mail, code=code, user=user)
    return mail
