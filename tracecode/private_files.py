"""Files only the app's own user may read: the rights, and secrets generated once.

Plain Python, no Django: the settings module uses it before Django is set up.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

UMASK = 0o077
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def restrict_umask() -> None:
    """Make everything this process creates readable by its own user only.

    The SQLite database and its WAL, stored files, generated PDFs, mails. Called first by
    each entry point (the `tracecode` command, `tracecode.wsgi`, `tracecode.asgi`), not by
    the settings, which other programs such as the tests import.
    """
    os.umask(UMASK)


def read_or_create(path: Path, make: Callable[[], str]) -> str:
    """The secret kept in `path`; the first process to need it writes `make()` there, 0600.

    The value is written to a private temporary file and published with a hard link, which
    fails if the file exists: a second process starting at the same moment reads the first
    one's value instead of writing its own, and nobody ever reads a half-written file.
    """
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(make())
                handle.flush()
                os.fsync(handle.fileno())
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process published its value first: use that one
        finally:
            temporary.unlink(missing_ok=True)
    return path.read_text().strip()
