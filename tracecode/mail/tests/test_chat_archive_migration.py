"""Chats imported before archives get an upload and the keys re-imports compare."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tracecode.mail import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _every_migration_after():
    """The later tests of this process find every table again: migrations after AFTER (of
    this app and the apps that depend on it) are applied once the test is done."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


BEFORE = [("mail", "0002_private_copies")]
AFTER = [("mail", "0003_chat_archive")]


def test_a_chat_imported_before_is_not_doubled_by_its_next_export(alice):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    chat = old.get_model("mail", "ChatImport").objects.create(
        name="chat.txt", format="android", uploaded_by_id=alice.pk
    )
    Message = old.get_model("mail", "ChatMessage")
    for line, (minute, text) in enumerate([(5, "samples ready"), (7, "ok"), (7, "ok")], 1):
        when = timezone.make_aware(timezone.datetime(2026, 1, 15, 9, minute))
        Message.objects.create(chat=chat, timestamp=when, sender="Zhang Wei", text=text, line=line)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    text = (
        "15/01/2026, 09:05 - Zhang Wei: samples ready\n15/01/2026, 09:07 - Zhang Wei: ok\n"
        "15/01/2026, 09:07 - Zhang Wei: ok\n15/01/2026, 09:30 - Zhang Wei: shipped\n"
    )
    upload = services.import_chat("chat.txt", text.encode(), alice)
    assert (upload.added, upload.skipped, upload.chat_id) == (1, 3, chat.pk)
