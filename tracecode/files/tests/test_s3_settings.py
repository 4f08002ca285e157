"""Setting TRACECODE_S3_BUCKET (with the endpoint, region, prefix and credentials) is all it
takes to keep the files in an S3-compatible bucket: a fresh process with only those variables
files, lists and reads back through the real S3 server."""

import os
import subprocess
import sys

SCRIPT = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = "RK1038 Nordwerk/RK1038 NDA 2026-03-02.pdf"
name = default_storage.save(name, ContentFile(b"%PDF-1.4 nda"))
print(type(default_storage._wrapped).__name__)
print(name)
print(default_storage.open(name).read().decode())
"""


def test_the_environment_alone_puts_the_files_in_the_bucket(s3_server, tmp_path):
    bucket = s3_server.bucket()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TRACECODE_", "AWS_"))},
        **s3_server.environment(),
        "TRACECODE_DATA_DIR": str(tmp_path),
        "TRACECODE_S3_BUCKET": bucket,
        "TRACECODE_S3_ENDPOINT_URL": s3_server.endpoint_url,
        "TRACECODE_S3_REGION": "us-east-1",
        "TRACECODE_S3_PREFIX": "reko/files",
    }
    command = [sys.executable, "-m", "tracecode", "shell", "-v0", "-c", SCRIPT]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    backend, name, content = done.stdout.splitlines()
    assert backend == "S3Storage"
    assert name == "RK1038 Nordwerk/RK1038 NDA 2026-03-02.pdf"
    assert content == "%PDF-1.4 nda"
    assert s3_server.keys(bucket) == [f"reko/files/{name}"]
    assert not (tmp_path / "files").exists()
