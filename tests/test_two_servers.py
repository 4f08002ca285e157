"""Two app servers at once, as a company that outgrew one machine runs them: two `tracecode
serve` (gunicorn and its task worker each) on two loopback ports, one database (the suite's:
SQLite, then the throwaway PostgreSQL cluster), the files in a bucket of a real S3 server, and
a data folder of each server's own. The story walks across both; nothing one server needs may
live only in the other's memory or on its disk.
"""

import datetime
import io
import os
import re
import threading
import time
import zipfile
from collections import defaultdict

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import PASSWORD
from tracecode.accounts.models import ApiToken
from tracecode.backups.models import Backup
from tracecode.codes.models import CodeEntry
from tracecode.files.models import StoredFile
from tracecode.files.tests.factories import pdf
from tracecode.inbox.models import InboxFile
from tracecode.mail.models import MailMessage
from tracecode.mail.tests.factories import mail_bytes
from tracecode.testing.database import database_url
from tracecode.testing.servers import AppServer, Http

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

FETCH = "tracecode.mail.tasks.fetch_mail_accounts"
BACKUP = "tracecode.backups.tasks.scheduled_backup"
SCAN = "tracecode.inbox.tasks.scan_inbox"
IMPORT = "tracecode.mail.tasks.import_batch"
WRITERS_PER_SERVER = 3
CUSTOMERS_PER_WRITER = 6


def wait_for(what: str, condition, timeout: float = 90):
    """Poll `condition` until it is true (the task workers poll the queue every second)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.3)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


def rows(task: str, status: str):
    return DBTaskResult.objects.filter(task_path=task, status=status)


@pytest.fixture
def servers(s3_server, alice, bob, tmp_path):
    """Two servers sharing the database, a bucket, a watched folder and a backup bucket."""
    for user in (alice, bob):  # the servers know the production hashers, not the tests' MD5
        hasher = PBKDF2PasswordHasher()
        user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
        user.save(update_fields=["password"])
    files, archives = s3_server.bucket(), s3_server.bucket()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TRACECODE_")},
        **s3_server.environment(),
        "TRACECODE_DATABASE_URL": database_url(connection),
        "TRACECODE_SECRET_KEY": "two-servers-share-this-secret-key-0123456789abcdef",
        "TRACECODE_S3_BUCKET": files,
        "TRACECODE_S3_ENDPOINT_URL": s3_server.endpoint_url,
        "TRACECODE_S3_REGION": "us-east-1",
        "TRACECODE_S3_PREFIX": "files",
        "TRACECODE_BACKUP_TO": f"s3://{archives}/nightly",
        "TRACECODE_BACKUP_HOURS": "24",
        "TRACECODE_MAIL_FETCH_MINUTES": "1",
        "TRACECODE_INBOX_DIR": str(inbox),
        "TRACECODE_INBOX_USER": alice.username,
        "TRACECODE_INBOX_SECONDS": "2",
        "TRACECODE_INBOX_QUIET_SECONDS": "0",
        "TRACECODE_LOG_LEVEL": "WARNING",
    }
    started = []
    try:
        for name in ("a", "b"):  # side by side: each waits for the other's migrations check
            started.append(AppServer(environment, name=name, workers=1, threads=4, wait=False))
        for server in started:
            server.wait(120)
        yield started[0], started[1], inbox, s3_server, files, archives
    finally:
        for server in started:
            server.terminate()
        for server in started:
            server.stop()
        for server in started:
            print(f"--- server {server.name}\n{server.output()}")
            server.remove()


def test_the_story_across_two_servers(servers, alice, bob):
    a, b, inbox, s3, files_bucket, archives = servers
    token = ApiToken.issue(alice, "two servers")[1]
    on_a, on_b = Http(a.url, token=token), Http(b.url, token=token)

    # A customer created through one server, its project and order through the other.
    status, customer = on_a.post_json(
        "/api/customers/", {"company_name": "Nordwerk Automotive GmbH", "country": "DE"}
    )
    assert status == 201, customer
    code = customer["code"]
    status, project = on_b.post_json(
        "/api/sales/projects", {"customer": code, "name": "SP1003", "channel": "email"}
    )
    assert status == 201, project
    delivery = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    status, order = on_b.post_json(
        "/api/sales/orders",
        {
            "project": project["code"],
            "kind": "sample",
            "delivery_date": delivery,
            "lines": [{"part_number": "SP1003", "quantity": "200", "unit_price": "2.35"}],
        },
    )
    assert status == 201, order
    order_code = order["code"]
    assert order_code == f"{code}-1-S1"

    # A file uploaded to one server and downloaded from the other, out of the S3 bucket.
    drawing = pdf("drawing rev B of the bracket")
    status, uploaded = on_a.post_files(
        f"/api/files/of/{order_code}",
        {"file": ("bracket drawing.pdf", drawing)},
        {"document_type": "Drawing"},
    )
    assert status == 201, uploaded
    [stored] = uploaded["stored"]
    status, body = on_b.get(f"/api/files/{stored['id']}")
    assert status == 200 and body == drawing
    assert f"files/{stored['path']}" in s3.keys(files_bucket)

    # A PI generated on one server and zipped with its folder on the other.
    status, pi = on_b.post_json(f"/api/sales/orders/{order_code}/documents", {"kind": "PI"})
    assert status == 201, pi
    status, body = on_a.get(f"/api/files/of/{order_code}/zip")
    assert status == 200
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert any(name.endswith(".pdf") and "/PI/" in name for name in names), names
    assert any(name.endswith("bracket drawing.pdf") or "Drawing" in name for name in names)

    # A mail import enqueued on one server is run exactly once, by one of the two workers.
    mail = mail_bytes(subject=f"[{order_code}] inspection report attached")
    status, batch = on_a.post_files("/api/mail/imports", {"files": ("report.eml", mail)})
    assert status == 202, batch
    progress = wait_for(
        "the mail import",
        lambda: (
            (p := on_b.get_json(f"/api/mail/imports/{batch['id']}")[1])["status"] == "done" and p
        ),
    )
    assert (progress["imported"], progress["skipped"]) == (1, 0)
    [run] = DBTaskResult.objects.filter(task_path=IMPORT)
    assert run.status == TaskResultStatus.SUCCESSFUL and len(run.worker_ids) == 1
    assert MailMessage.objects.get().links.get().code == order_code

    # A file saved to the watched folder is filed once, by whichever worker scans first.
    (inbox / f"{order_code} QC report.pdf").write_bytes(pdf("QC report"))
    wait_for("the watched folder", lambda: InboxFile.objects.filter(outcome="filed").exists())
    time.sleep(5)  # two more scans at least: nothing is filed twice
    assert InboxFile.objects.count() == 1
    assert StoredFile.objects.filter(original_name=f"{order_code} QC report.pdf").count() == 1

    # Signed in through one server, the session holds on the other; the header box on either
    # finds everything at once.
    browser = Http(a.url)
    assert browser.sign_in(alice.username, PASSWORD) == 302
    session = browser.cookie("sessionid")
    for server in (a, b):
        status, page = Http(server.url, session=session).get(f"/search/?q={code}")
        assert status == 200
        html = re.sub(r"<[^>]+>", "", page.decode())  # the words, without the highlighting
        for expected in (code, project["code"], order_code, "inspection report", "QC report"):
            assert expected in html, (server.name, expected)

    # Failed sign-ins counted on one server lock the name out on the other.
    for _ in range(settings.SIGN_IN_FAILURES_ALLOWED):
        assert Http(b.url).sign_in(bob.username, "not the password") == 200
    assert Http(a.url).sign_in(bob.username, PASSWORD) == 200  # the right one, refused
    assert Http(b.url).sign_in(alice.username, PASSWORD) == 302  # others still sign in

    # The scheduled chains: one link of each, however many workers run.
    backup = wait_for(
        "the scheduled backup",
        lambda: Backup.objects.filter(scheduled=True, status=Backup.Status.DONE).first(),
        timeout=180,
    )
    assert backup.verification == Backup.Verification.OK, backup.verify_error
    assert s3.keys(archives) == [f"nightly/{backup.name}"]
    assert Backup.objects.filter(scheduled=True).count() == 1
    assert rows(BACKUP, "READY").count() == 1

    [fetch] = rows(FETCH, "READY")  # the first fetch waits its minute
    DBTaskResult.objects.filter(pk=fetch.pk).update(run_after=timezone.now())
    wait_for("the mail fetch", lambda: rows(FETCH, "SUCCESSFUL").exists())
    wait_for("the next fetch", lambda: rows(FETCH, "READY").exists())
    time.sleep(3)
    assert rows(FETCH, "SUCCESSFUL").count() == 1 and rows(FETCH, "READY").count() == 1

    assert rows(SCAN, "READY").count() + rows(SCAN, "RUNNING").count() == 1
    scans = sorted(rows(SCAN, "SUCCESSFUL").values_list("started_at", flat=True))
    assert len(scans) >= 3
    gaps = [later - earlier for earlier, later in zip(scans, scans[1:], strict=False)]
    assert min(gaps) >= datetime.timedelta(seconds=1.5), gaps  # one chain, every 2 s

    # Codes stay unique and gapless with writers on both servers at once.
    given, problems = [], []

    def writer(http: Http, n: int) -> None:
        for i in range(CUSTOMERS_PER_WRITER):
            status, answer = http.post_json(
                "/api/customers/", {"company_name": f"Writer {n} customer {i}", "country": "CN"}
            )
            (given if status == 201 else problems).append(answer.get("code", answer))

    writers = [
        threading.Thread(target=writer, args=(http, n))
        for n, http in enumerate([on_a, on_b] * WRITERS_PER_SERVER)
    ]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(120)
    assert problems == []
    assert len(given) == len(set(given)) == 2 * WRITERS_PER_SERVER * CUSTOMERS_PER_WRITER
    serials = defaultdict(list)
    for scope, serial in CodeEntry.objects.filter(scheme="customer").values_list("scope", "serial"):
        serials[scope].append(serial)
    [customers] = serials.values()
    assert sorted(customers) == list(range(1, len(customers) + 1))  # gapless
