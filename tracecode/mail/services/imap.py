"""Fetching IMAP accounts from where they stopped, over verified TLS."""

import contextlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    MailAccount,
    MailMessage,
)
from .importing import ImportReport, import_raw_items

log = logging.getLogger(__name__)


@dataclass
class FetchReport(ImportReport):
    account: str = ""
    error: str = ""


def fetch_account(account: MailAccount, *, batch: int = 50) -> FetchReport:
    """Fetch new mail of one IMAP account from where it stopped (UIDVALIDITY/UID)."""
    import imaplib
    import ssl

    report = FetchReport(account=str(account))
    try:
        with _connect(account) as imap:
            imap.login(account.username, account.password)
            status, data = imap.select(_quote(account.folder), readonly=True)
            if status != "OK":
                raise imaplib.IMAP4.error(f"cannot open folder {account.folder!r}")
            uidvalidity = int(imap.untagged_responses.get("UIDVALIDITY", [b"0"])[0])
            if account.uidvalidity != uidvalidity:
                # The server renumbered the folder: read it all again; Message-IDs skip repeats.
                account.uidvalidity = uidvalidity
                account.last_uid = 0
            status, data = imap.uid("SEARCH", f"UID {account.last_uid + 1}:*")
            uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > account.last_uid)
            for start in range(0, len(uids), batch):
                chunk = uids[start : start + batch]
                status, data = imap.uid("FETCH", ",".join(map(str, chunk)), "(UID BODY.PEEK[])")
                items = []
                for part in data:
                    if isinstance(part, tuple):
                        match = re.search(rb"UID (\d+)", part[0])
                        uid = match.group(1).decode() if match else "?"
                        items.append((f"{account.folder} UID {uid}", part[1], None))
                report.add(
                    import_raw_items(
                        items, source=MailMessage.Source.IMAP, owner=account.owner, account=account
                    )
                )
                account.last_uid = chunk[-1]
                account.save(update_fields=["uidvalidity", "last_uid"])
        account.last_error = ""
    except ssl.SSLCertVerificationError as error:
        report.error = f"{account.host}:{account.port}: " + _(
            "the server's TLS certificate could not be verified (%(reason)s); nothing was "
            "sent to it. For a server with its own CA, set TRACECODE_MAIL_IMAP_CA_FILE."
        ) % {"reason": error.verify_message or error.reason}
        account.last_error = report.error
        log.warning("mail fetch %s: %s", account.name, report.error)
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as error:
        # The message names the server, never the password.
        report.error = f"{account.host}:{account.port}: {error}"
        account.last_error = report.error
        log.warning("mail fetch %s: %s", account.name, report.error)
    account.last_fetched_at = timezone.now()
    account.save(update_fields=["uidvalidity", "last_uid", "last_fetched_at", "last_error"])
    return report


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _tls_context():
    """Certificates verified against the system's CAs, plus TRACECODE_MAIL_IMAP_CA_FILE."""
    import ssl

    context = ssl.create_default_context()
    ca_file = getattr(settings, "MAIL_IMAP_CA_FILE", "")
    if ca_file:
        try:
            context.load_verify_locations(ca_file)
        except (OSError, ssl.SSLError) as error:
            raise OSError(
                _("the CA file %(path)s cannot be used: %(error)s")
                % {"path": ca_file, "error": error}
            ) from None
    return context


def _connect(account: MailAccount):
    """A connection to the account's server, encrypted as the account says, not yet logged in.

    TLS: implicit (IMAPS) or STARTTLS, the server's certificate and name verified; the
    password is never sent before that. No encryption only on loopback.
    """
    import imaplib

    if account.security == MailAccount.Security.SSL:
        return imaplib.IMAP4_SSL(account.host, account.port, ssl_context=_tls_context(), timeout=60)
    if account.security != MailAccount.Security.STARTTLS and account.host not in LOOPBACK:
        raise imaplib.IMAP4.error(
            _("an account without encryption may only connect to this machine (loopback)")
        )
    imap = imaplib.IMAP4(account.host, account.port, timeout=60)
    if account.security == MailAccount.Security.STARTTLS:
        try:
            if "STARTTLS" not in imap.capabilities:
                raise imaplib.IMAP4.error(
                    _("the server does not offer STARTTLS; the password was not sent")
                )
            imap.starttls(ssl_context=_tls_context())
        except BaseException:
            with contextlib.suppress(OSError):  # the failed handshake may have closed it
                imap.shutdown()
            raise
    return imap


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fetch_all() -> list[FetchReport]:
    """Fetch every active account; one account's unexpected failure never stops the others."""
    reports = []
    for account in MailAccount.objects.filter(active=True):
        try:
            reports.append(fetch_account(account))
        except Exception as error:
            log.exception("mail fetch %s failed", account.name)
            reports.append(FetchReport(account=str(account), error=f"{type(error).__name__}"))
    return reports
