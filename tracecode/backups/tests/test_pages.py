"""The Backups page: administrators list, take, follow, verify and download archives;
nobody else learns it exists."""

import pytest

from tracecode.backups.models import Backup
from tracecode.sales.tests.factories import make_customer

from .helpers import take

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def taken(alice) -> Backup:
    make_customer(alice)
    return take(verify=True)


@pytest.mark.parametrize("who", ["alice", "bob", "manager", "viewer"])
def test_only_administrators_see_backups(request, client_of, taken, who):
    client = client_of(request.getfixturevalue(who))
    assert client.get("/backups/").status_code == 404
    assert client.get(f"/backups/{taken.pk}/").status_code == 404
    assert client.get(f"/backups/{taken.pk}/download/").status_code == 404
    assert client.post("/backups/now/").status_code == 404
    assert client.post(f"/backups/{taken.pk}/verify/").status_code == 404
    assert Backup.objects.count() == 1


def test_the_list_shows_each_archive_with_its_proof(client_of, administrator, taken):
    page = client_of(administrator).get("/backups/").content.decode()
    assert taken.name in page
    assert "verified" in page
    assert f"/backups/{taken.pk}/download/" in page


def test_back_up_now_takes_and_verifies_one(client_of, administrator, alice):
    make_customer(alice)
    client = client_of(administrator)
    answer = client.post("/backups/now/")
    backup = Backup.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/backups/{backup.pk}/"
    assert backup.created_by == administrator
    assert backup.status == Backup.Status.DONE
    assert backup.verification == Backup.Verification.OK
    page = client.get(answer["Location"]).content.decode()
    assert "Restored into a scratch database and folder" in page
    partial = client.get(answer["Location"], headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="backup-progress"') and "<html" not in partial


def test_a_running_backup_is_polled_until_it_is_proven(client_of, administrator, settings):
    backup = Backup.objects.create(
        name="tracecode-x.tar", location=settings.BACKUP_TO, status=Backup.Status.RUNNING,
        stage="files", done=120, total=2000,
    )  # fmt: skip
    page = client_of(administrator).get(f"/backups/{backup.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Files: 120 of 2000" in page


def test_the_archive_downloads_as_it_is_kept(client_of, administrator, taken, settings):
    answer = client_of(administrator).get(f"/backups/{taken.pk}/download/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/x-tar"
    assert f'filename="{taken.name}"' in answer["Content-Disposition"]
    body = b"".join(answer.streaming_content)
    assert body == (settings.MEDIA_ROOT.parent / "backups" / taken.name).read_bytes()


def test_verify_again_proves_it_once_more(client_of, administrator, taken):
    Backup.objects.filter(pk=taken.pk).update(verification=Backup.Verification.NONE)
    answer = client_of(administrator).post(f"/backups/{taken.pk}/verify/")
    assert answer.status_code == 302
    taken.refresh_from_db()
    assert taken.verification == Backup.Verification.OK
