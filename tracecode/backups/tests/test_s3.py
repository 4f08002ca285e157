"""Files kept in an S3 bucket, archives kept in another: against a real S3 server (rclone)."""

import hashlib
import io

import pytest
from django.core.management import call_command

from tracecode.backups.models import Backup
from tracecode.customers.models import Customer
from tracecode.sales.tests.factories import make_customer

from .helpers import file_hashes, store, take

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def destination(s3_server, s3_storage, settings):
    settings.BACKUP_S3_ENDPOINT_URL = s3_server.endpoint_url
    return s3_server.bucket()


def test_a_bucket_of_files_is_backed_up_into_a_bucket_and_restored(
    s3_server, s3_bucket, s3_storage, destination, alice, administrator, client, wipe
):
    make_customer(alice, name="Osaka Kiki Seisakusho Co., Ltd.")
    store("RK001 Osaka Kiki/Drawing/RK001 Drawing.pdf", b"%PDF-1.7 " + bytes(range(256)) * 40)
    store("RK001 Osaka Kiki/NDA/RK001 NDA.pdf", b"%PDF-1.7 nda")
    assert s3_server.keys(s3_bucket, s3_storage) == [
        f"{s3_storage}/RK001 Osaka Kiki/Drawing/RK001 Drawing.pdf",
        f"{s3_storage}/RK001 Osaka Kiki/NDA/RK001 NDA.pdf",
    ]
    before = file_hashes()

    backup = take(to=f"s3://{destination}/nightly", verify=True)
    assert backup.verification == Backup.Verification.OK, backup.verify_error
    assert s3_server.keys(destination) == [f"nightly/{backup.name}"]
    client.force_login(administrator)
    download = client.get(f"/backups/{backup.pk}/download/")
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    stored = s3_server.client().get_object(Bucket=destination, Key=f"nightly/{backup.name}")
    assert hashlib.sha256(body).digest() == hashlib.sha256(stored["Body"].read()).digest()

    wipe()
    assert s3_server.keys(s3_bucket, s3_storage) == []
    out = io.StringIO()
    call_command(
        "restore", f"s3://{destination}/nightly/{backup.name}", stdout=out, stderr=io.StringIO()
    )
    assert "2 files as the manifest says" in out.getvalue()
    assert file_hashes() == before
    assert list(Customer.objects.values_list("company_name", flat=True)) == [
        "Osaka Kiki Seisakusho Co., Ltd."
    ]
