"""The archive: one tar file with the database dump, every stored file and a manifest.

    files/<name in the file store>                               every stored file, as it is
    database.sqlite3 | database.pgdump | database.jsonl.gz       the dump (see databases.py)
    manifest.json                                                last: it names every member
                                                                 above with its SHA-256

Nothing is compressed but what compresses itself (pg_dump's custom format) or is made for
moving (the portable dump). Measured: the stored files are mostly PDF, images and Office
files, compressed already (the demo company's shrink by 12 % under zlib level 1, for a third
more time); a SQLite file shrinks 8 times under zlib level 1, but with 100,000 records and
1 GB of files that took the backup from 2.3 s to 3.1 s for an archive 7 % smaller, so the
database is kept as it is. Plain Python, no Django.
"""

import hashlib
import io
import json
import shutil
import tarfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

FORMAT = 1
APP = "tracecode"
MANIFEST = "manifest.json"
FILES = "files/"
CHUNK = 1 << 20
AHEAD = 8  # chunks read before their hash is waited for: at most 8 MB in flight


class BadArchive(Exception):
    """An archive that cannot be restored; the message says what is wrong with it."""


class Hashing(io.RawIOBase):
    """A reader that counts and hashes what passes through it.

    The hashing runs in a thread of its own, a few chunks behind the reading: SHA-256 and the
    file writes both release the GIL, so on a second core the hash (1.4 s of CPU for 1 GB
    here) runs beside the copy instead of before it.
    """

    def __init__(self, source: IO[bytes], hasher: ThreadPoolExecutor | None = None):
        self.source = source
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.hasher = hasher
        self.pending: deque[Future] = deque()

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.source.read(n)
        self.size += len(data)
        if self.hasher is None:
            self.sha256.update(data)
        else:
            while len(self.pending) >= AHEAD:
                self.pending.popleft().result()
            self.pending.append(self.hasher.submit(self.sha256.update, data))
        return data

    def hexdigest(self) -> str:
        while self.pending:
            self.pending.popleft().result()
        return self.sha256.hexdigest()


class Writer:
    """Writes an archive member by member; the manifest goes last."""

    def __init__(self, path: Path):
        self.tar = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)  # noqa: SIM115 (closed by __exit__)
        self.tar.copybufsize = CHUNK
        self.mtime = time.time()
        self.hasher = ThreadPoolExecutor(1, thread_name_prefix="sha256")

    def add_stream(self, name: str, source: IO[bytes], size: int, sha256: str = "") -> str:
        """Add `size` bytes read from `source` as member `name`; return their SHA-256
        (computed, unless the caller knows it)."""
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, self.mtime, 0o600
        if sha256:
            self.tar.addfile(info, source)
            return sha256
        reader = Hashing(source, self.hasher)
        self.tar.addfile(info, reader)
        return reader.hexdigest()

    def add_path(self, name: str, path: Path) -> tuple[int, str]:
        """Add a file from disk; return its size and SHA-256."""
        size = path.stat().st_size
        with open(path, "rb") as f:
            return size, self.add_stream(name, f, size)

    def add_manifest(self, manifest: dict) -> None:
        data = json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True).encode()
        self.add_stream(MANIFEST, io.BytesIO(data), len(data))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.hasher.shutdown()
        self.tar.close()


REQUIRED = {
    "format": int,
    "app": str,
    "version": str,
    "name": str,
    "created_at": str,
    "created_by": str,
    "database": dict,
    "migrations": dict,
    "tables": dict,
    "files": list,
}
DATABASE_REQUIRED = {"kind": str, "format": str, "member": str, "size": int, "sha256": str}
DUMP_FORMATS = {"sqlite", "pg_dump", "portable"}


def check_manifest(manifest: Any) -> dict:
    """The manifest if it is one this code can read; BadArchive naming the first problem."""
    if not isinstance(manifest, dict):
        raise BadArchive("manifest.json is not a Tracecode manifest (not a JSON object)")
    for key, kind in REQUIRED.items():
        if not isinstance(manifest.get(key), kind):
            raise BadArchive(f"manifest.json has no valid {key!r}")
    if manifest["app"] != APP:
        raise BadArchive(f"manifest.json is not a Tracecode manifest (app {manifest['app']!r})")
    if manifest["format"] > FORMAT:
        raise BadArchive(
            f"the archive is in format {manifest['format']}, newer than this Tracecode "
            f"reads ({FORMAT}): upgrade Tracecode first"
        )
    database = manifest["database"]
    for key, kind in DATABASE_REQUIRED.items():
        if not isinstance(database.get(key), kind):
            raise BadArchive(f"manifest.json has no valid database {key!r}")
    if database["format"] not in DUMP_FORMATS:
        raise BadArchive(f"manifest.json names an unknown dump format {database['format']!r}")
    for table, rows in manifest["tables"].items():
        counted = rows["rows"] if isinstance(rows, dict) else rows
        if not isinstance(counted, int):
            raise BadArchive(f"manifest.json has no valid row count for table {table!r}")
    names = set()
    for entry in manifest["files"]:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
        ):
            raise BadArchive(f"manifest.json has a bad file entry: {entry!r}")
        if not safe_name(entry["name"]) or entry["name"] in names:
            raise BadArchive(f"manifest.json names a file it may not: {entry['name']!r}")
        names.add(entry["name"])
    return manifest


def safe_name(name: str) -> bool:
    """A file store name that stays inside the store: relative, no `..`, no empty parts."""
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def describe(error: BaseException) -> str:
    return str(error) or type(error).__name__


class Reader:
    """Reads an archive: its manifest, then every member checked against it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise BadArchive(f"{self.path}: no such archive")
        try:
            self.tar = tarfile.open(self.path, "r:")  # noqa: SIM115 (closed by close())
        except tarfile.TarError as error:
            raise BadArchive(
                f"{self.path.name} is not a Tracecode backup (not a tar archive: {describe(error)})"
            ) from None
        try:
            self.manifest = check_manifest(self._read_manifest())
        except BaseException:
            self.tar.close()
            raise

    def _read_manifest(self) -> Any:
        try:
            member = self.tar.getmember(MANIFEST)
        except KeyError:
            raise BadArchive(
                f"{self.path.name} has no manifest.json: the archive is truncated or is not "
                "a Tracecode backup"
            ) from None
        except tarfile.TarError as error:
            last = self.tar.members[-1].name if self.tar.members else "its first member"
            raise BadArchive(
                f"{self.path.name} is truncated or damaged: it breaks off inside {last} "
                f"({describe(error)})"
            ) from None
        try:
            data = self.tar.extractfile(member).read()
        except (tarfile.TarError, OSError) as error:
            raise BadArchive(f"manifest.json is truncated or damaged ({describe(error)})") from None
        try:
            return json.loads(data)
        except ValueError as error:
            raise BadArchive(f"manifest.json is not valid JSON ({error})") from None

    @property
    def database_member(self) -> str:
        return self.manifest["database"]["member"]

    def expected(self) -> dict[str, tuple[int, str]]:
        """Every member the manifest names: {member: (size, sha256)}."""
        database = self.manifest["database"]
        found = {database["member"]: (database["size"], database["sha256"])}
        for entry in self.manifest["files"]:
            found[FILES + entry["name"]] = (entry["size"], entry["sha256"])
        return found

    def unpack(
        self,
        destination: Callable[[str], Path | None],
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Check every member against the manifest, writing each where `destination` says.

        `destination(member)` gives the path to write a member to, or None to only check it.
        Raises BadArchive naming the first damaged, unexpected or missing member.
        """
        expected = self.expected()
        seen: set[str] = set()
        total = len(expected)
        with ThreadPoolExecutor(1, thread_name_prefix="sha256") as hasher:
            for member, stream in self._members():
                self._unpack_one(member, stream, expected, seen, destination, hasher)
                if progress:
                    progress(len(seen), total)
        missing = sorted(set(expected) - seen)
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise BadArchive(
                f"{missing[0]}{more} is listed in the manifest but missing from the archive"
            )

    def _unpack_one(self, member, stream, expected, seen, destination, hasher) -> None:
        """Check one member (writing it out if asked); BadArchive if it is not as expected."""
        if member == MANIFEST:
            return
        if member not in expected:
            raise BadArchive(f"{member} is in the archive but not in its manifest")
        if member in seen:
            raise BadArchive(f"{member} is in the archive twice")
        size, sha256 = expected[member]
        target = destination(member)
        reader = Hashing(stream, hasher)
        try:
            if target is None:
                while reader.read(CHUNK):
                    pass
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as out:
                    shutil.copyfileobj(reader, out, CHUNK)
        except (tarfile.TarError, EOFError) as error:
            raise BadArchive(f"{member} is truncated or damaged ({describe(error)})") from None
        if reader.size != size or reader.hexdigest() != sha256:
            raise BadArchive(
                f"{member} is damaged: its SHA-256 is {reader.hexdigest()} "
                f"({reader.size} bytes), the manifest says {sha256} ({size} bytes)"
            )
        seen.add(member)

    def _members(self) -> Iterator[tuple[str, IO[bytes]]]:
        """Every member in order. Finding the manifest read every header already (a damaged
        or missing one was reported then); each member's bytes are read straight from the
        file (tarfile's stream mode reads in 10 kB pieces: three times slower here)."""
        name = "its start"
        try:
            for info in self.tar.getmembers():
                name = info.name
                if not info.isfile():
                    raise BadArchive(f"{info.name} is not a plain file")
                yield info.name, self.tar.extractfile(info)
        except (tarfile.TarError, EOFError) as error:
            raise BadArchive(f"the archive is damaged after {name} ({describe(error)})") from None

    def close(self) -> None:
        self.tar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
