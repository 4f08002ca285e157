"""The kinds of search entries, in the order their groups are shown."""

from django.utils.translation import gettext_lazy as _

# (kind, label of its group). A kind not listed here is shown after these, as "Other".
KINDS = (
    ("customer", _("Customers")),
    ("project", _("Projects")),
    ("quotation", _("Quotations")),
    ("order", _("Orders")),
    ("document", _("Documents")),
    ("complaint", _("Complaints")),
    ("file", _("Files")),
    ("mail", _("Mails")),
    ("contact", _("Contacts")),
)
OTHER = len(KINDS) + 1
POSITIONS = {kind: number for number, (kind, _label) in enumerate(KINDS, start=1)}
LABELS = dict(KINDS)
# Records worth a 1–2 character query (a name fragment such as 王 or a short code): the
# entries with short titles. Bodies of mails and files need 3+ characters.
SHORT_QUERY_KINDS = ("customer", "project", "contact")


def position(kind: str) -> int:
    """The place of `kind`'s group; unknown kinds come last."""
    return POSITIONS.get(kind, OTHER)


def label(kind: str) -> str:
    return LABELS.get(kind, _("Other"))
