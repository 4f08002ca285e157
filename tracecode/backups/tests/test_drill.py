"""The drill: the demo company is backed up, lost, and restored whole, on either database."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from tracecode.backups.archive import Reader
from tracecode.backups.databases import Engine
from tracecode.codes.models import CodeEntry, Counter
from tracecode.codes.services import allocate, scheme
from tracecode.mail.models import MailMessage

from .helpers import archive, codes, counts, file_hashes, take

pytestmark = pytest.mark.django_db(transaction=True)

LIST_PAGES = [
    "web:home",
    "customers:list",
    "customers:follow_ups",
    "sales:projects",
    "sales:orders",
    "sales:complaints",
    "mail:unfiled",
    "codes:schemes",
    "backups:list",
]


def demo_pages() -> list[str]:
    """The list pages, every record's own page and every code's Everything page."""
    pages = [reverse(name) for name in LIST_PAGES]
    for model in apps.get_models():
        if hasattr(model, "get_absolute_url") and model._meta.app_label != "auth":
            pages += [record.get_absolute_url() for record in model._default_manager.all()]
    for entry in CodeEntry.objects.filter(scheme__in=["customer", "project", "order"]):
        pages.append(reverse("records:everything", args=[entry.code]))
    pages += [
        reverse("mail:detail", args=[pk]) for pk in MailMessage.objects.values_list("pk", flat=True)
    ]
    return pages


def next_codes() -> dict[tuple[str, str], tuple[int, str]]:
    """For every counter: (the serial it stands at, the latest code given in its scope)."""
    found = {}
    for counter in Counter.objects.all():
        latest = (
            CodeEntry.objects.filter(scheme=counter.scheme, scope=counter.scope)
            .exclude(serial=None)
            .order_by("-serial")
            .first()
        )
        if latest:
            found[(counter.scheme, counter.scope)] = (counter.last, latest)
    return found


def test_the_demo_company_comes_back_whole_from_its_backup(client, wipe):
    call_command("demo", stdout=io.StringIO())
    before = {"counts": counts(), "codes": codes(), "files": file_hashes()}
    pages = demo_pages()
    backup = take()
    with Reader(archive(backup)) as reader:
        manifest = reader.manifest
    assert {t: n for t, n in manifest["tables"].items() if t != "backups_backup"} == {
        t: n for t, n in before["counts"].items() if t != "backups_backup"
    }
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == before["files"]

    wipe()
    assert not Engine.of().holds_data() and file_hashes() == {}
    out = io.StringIO()
    call_command("restore", str(archive(backup)), stdout=out, stderr=io.StringIO())
    assert "as the manifest says" in out.getvalue()

    assert counts() == manifest["tables"]
    assert codes() == before["codes"]
    assert file_hashes() == before["files"]

    client.force_login(get_user_model().objects.get(username="admin"))
    answers = {page: client.get(page).status_code for page in pages}
    assert {page: status for page, status in answers.items() if status != 200} == {}
    assert len(answers) > 70

    given = {entry.code for entry in CodeEntry.objects.all()}
    for (name, scope), (last, latest) in next_codes().items():
        parts = dict(latest.parts)
        date = parts.pop("date", None)
        with transaction.atomic():
            entry = allocate(name, parent=latest.parent_code or None, fields=parts, date=date)
        assert entry.scope == scope
        assert entry.serial == last + scheme(name).step, f"{entry.code} leaves a gap"
        assert entry.code not in given, f"{entry.code} was given twice"
