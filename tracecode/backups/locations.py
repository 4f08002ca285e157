"""Where archives are kept: a folder, or an S3 bucket given as s3://bucket/prefix.

An archive is written to a local file first: in the folder itself under a dot-name and
renamed when complete (so a half-written archive is never listed), or in a temporary folder
and uploaded to the bucket (boto3's multipart upload) when complete.
"""

import contextlib
import datetime
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

from .archive import BadArchive

SUFFIX = ".tar"
PREFIX = "tracecode-"


@dataclass
class Kept:
    name: str
    size: int
    modified: datetime.datetime


class Location:
    """A place archives are kept in."""

    @staticmethod
    def parse(text: str | None = None) -> "Location":
        """A location from `--to` or TRACECODE_BACKUP_TO."""
        text = (text or settings.BACKUP_TO).strip()
        if text.startswith("s3://"):
            bucket, _, prefix = text[len("s3://") :].partition("/")
            if not bucket:
                raise ValueError(f"{text!r} names no bucket (s3://bucket/prefix)")
            return S3Location(bucket, prefix.strip("/"))
        return Folder(Path(text).expanduser().resolve())

    @staticmethod
    def of_archive(text: str) -> tuple["Location", str]:
        """The location and name of an archive given as a path or s3://bucket/key."""
        if text.startswith("s3://"):
            folder, _, name = text.rstrip("/").rpartition("/")
            if folder == "s3:/":
                raise ValueError(f"{text!r} names no archive (s3://bucket/prefix/NAME.tar)")
            return Location.parse(folder), name
        path = Path(text).expanduser().resolve()
        return Folder(path.parent), path.name

    def archives(self) -> list[Kept]:
        raise NotImplementedError

    def writing(self, name: str) -> contextlib.AbstractContextManager[Path]:
        """A local path to write the archive to; kept here when the block ends without error."""
        raise NotImplementedError

    def reading(self, name: str) -> contextlib.AbstractContextManager[Path]:
        """A local path of the archive to read, for the block."""
        raise NotImplementedError

    def open(self, name: str) -> IO[bytes]:
        raise NotImplementedError

    def size(self, name: str) -> int:
        raise NotImplementedError

    def delete(self, name: str) -> None:
        raise NotImplementedError


def durable(path: Path) -> None:
    """On the disk, not only in the page cache: an archive said to be kept must survive a
    power cut (its folder too, for the rename)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def is_archive(name: str) -> bool:
    return name.startswith(PREFIX) and name.endswith(SUFFIX)


class Folder(Location):
    def __init__(self, path: Path):
        self.path = path

    def __str__(self) -> str:
        return str(self.path)

    def archives(self) -> list[Kept]:
        if not self.path.is_dir():
            return []
        found = []
        for entry in os.scandir(self.path):
            if entry.is_file() and is_archive(entry.name):
                stat = entry.stat()
                modified = datetime.datetime.fromtimestamp(stat.st_mtime, datetime.UTC)
                found.append(Kept(entry.name, stat.st_size, modified))
        return sorted(found, key=lambda k: k.name)

    @contextlib.contextmanager
    def writing(self, name: str) -> Iterator[Path]:
        self.path.mkdir(parents=True, exist_ok=True)
        partial = self.path / f".{name}.partial"
        try:
            yield partial
            partial.chmod(0o600)
            durable(partial)
            partial.rename(self.path / name)
            durable(self.path)
        finally:
            partial.unlink(missing_ok=True)

    @contextlib.contextmanager
    def reading(self, name: str) -> Iterator[Path]:
        path = self.path / name
        if not path.is_file():
            raise BadArchive(f"{path}: no such archive")
        yield path

    def open(self, name: str) -> IO[bytes]:
        return open(self.path / name, "rb")

    def size(self, name: str) -> int:
        return (self.path / name).stat().st_size

    def delete(self, name: str) -> None:
        (self.path / name).unlink(missing_ok=True)


class S3Location(Location):
    def __init__(self, bucket: str, prefix: str):
        self.bucket, self.prefix = bucket, prefix

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    @property
    def client(self):
        try:
            import boto3
        except ImportError:
            raise ValueError(
                "s3:// locations need boto3: pip install 'django-storages[s3]'"
            ) from None
        return boto3.client(
            "s3",
            endpoint_url=settings.BACKUP_S3_ENDPOINT_URL or None,
            region_name=settings.BACKUP_S3_REGION or None,
        )

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def archives(self) -> list[Kept]:
        found = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.key("")
        )
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(self.key("")) :]
                if "/" not in name and is_archive(name):
                    found.append(Kept(name, item["Size"], item["LastModified"]))
        return sorted(found, key=lambda k: k.name)

    @contextlib.contextmanager
    def writing(self, name: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=settings.DATA_DIR) as folder:
            path = Path(folder) / name
            yield path
            self.client.upload_file(str(path), self.bucket, self.key(name))

    @contextlib.contextmanager
    def reading(self, name: str) -> Iterator[Path]:
        from botocore.exceptions import ClientError

        with tempfile.TemporaryDirectory(prefix=".backup-", dir=settings.DATA_DIR) as folder:
            path = Path(folder) / name
            try:
                self.client.download_file(self.bucket, self.key(name), str(path))
            except ClientError as error:
                raise BadArchive(f"{self}/{name}: {error}") from None
            yield path

    def open(self, name: str) -> IO[bytes]:
        return self.client.get_object(Bucket=self.bucket, Key=self.key(name))["Body"]

    def size(self, name: str) -> int:
        return self.client.head_object(Bucket=self.bucket, Key=self.key(name))["ContentLength"]

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(name))
