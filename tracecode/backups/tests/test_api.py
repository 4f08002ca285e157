"""/api/backups/: the same as the page, for administrators' scripts; 404 for everyone else."""

import pytest

from tracecode.backups.models import Backup
from tracecode.sales.tests.factories import make_customer

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_takes_a_backup_and_reads_its_proof(
    client, token_of, administrator, alice
):
    make_customer(alice)
    auth = {"Authorization": token_of(administrator)}
    answer = client.post("/api/backups/", headers=auth)
    assert answer.status_code == 202
    body = answer.json()
    assert body["status"] == "done" and body["verification"] == "ok"
    assert body["download"] == f"/api/backups/{body['id']}/download"

    listed = client.get("/api/backups/", headers=auth).json()
    assert [b["name"] for b in listed] == [body["name"]]
    one = client.get(f"/api/backups/{body['id']}", headers=auth).json()
    assert one["rows"] > 0 and one["files"] == 0
    download = client.get(body["download"], headers=auth)
    assert download.status_code == 200 and download["Content-Type"] == "application/x-tar"
    again = client.post(f"/api/backups/{body['id']}/verify", headers=auth)
    assert again.status_code == 202 and again.json()["verification"] == "ok"


def test_bob_learns_nothing_about_backups(client, token_of, bob, settings):
    backup = Backup.objects.create(name="tracecode-x.tar", location=settings.BACKUP_TO)
    auth = {"Authorization": token_of(bob)}
    for method, path in [
        ("get", "/api/backups/"),
        ("post", "/api/backups/"),
        ("get", f"/api/backups/{backup.pk}"),
        ("post", f"/api/backups/{backup.pk}/verify"),
        ("get", f"/api/backups/{backup.pk}/download"),
    ]:
        answer = getattr(client, method)(path, headers=auth)
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "not_found"
    assert Backup.objects.count() == 1
