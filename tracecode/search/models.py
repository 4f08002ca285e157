"""The search index: one row per findable thing, written by the providers (see index.py).

The full-text half lives beside these tables and is created per database by migrations 0002
and 0004: an FTS5 trigram table kept in step by triggers on SQLite, pg_trgm and array GIN
indexes on PostgreSQL (see backends/).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One findable thing (a customer, an order, a PI, a file, a mail …) as the index holds it."""

    kind = models.CharField(_("kind"), max_length=20)
    # The kind's place in KINDS: the order of the groups, and the band of the FTS5 rowid.
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    # The CJK characters and pairs of its title and text, for 1–2 character queries (cjk.py).
    grams = models.TextField(_("CJK grams"), blank=True, editable=False)
    # The codes above this entry's record, root first ("RK1038 RK1038-1"): shown beside it.
    parents = models.CharField(_("parent codes"), max_length=300, blank=True)
    # Who may find it follows its customer; no customer: administrators and managers only,
    # or every member of staff for the kinds under no customer (kinds.staff_wide_positions).
    customer = models.ForeignKey(
        "customers.Customer", models.CASCADE, null=True, blank=True, related_name="+"
    )
    url = models.CharField(_("link"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    object_type = models.CharField(_("record type"), max_length=100)  # "sales.order"
    object_id = models.BigIntegerField(_("record id"))

    class Meta:
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="search_entry_object"),
            # Each kind newest first. On PostgreSQL migration 0004 makes it hold the customer
            # too, so that who may see an entry is known without reading it.
            models.Index(fields=["position", "id"], name="search_entry_position"),
            # (position, code) is created per database in migration 0002 (byte order).
        ]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"{self.kind} {self.code} {self.title}"


class EntryCode(models.Model):
    """A code under which an entry is found: its own, its parents', and those in its text."""

    entry = models.ForeignKey(Entry, models.CASCADE, related_name="codes", db_index=False)
    code = models.CharField(_("code"), max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "code"], name="search_one_code_per_entry")
        ]
        indexes = [models.Index(fields=["code", "entry"], name="search_entrycode_code")]

    def __str__(self) -> str:
        return self.code
