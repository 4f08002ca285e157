"""A real dovecot IMAP server on loopback with a throwaway config and maildir, for tests."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    def __init__(self, root: Path, port: int, user: str, password: str, uid: int, gid: int):
        self.root, self.port, self.user, self.password = root, port, user, password
        self.uid, self.gid = uid, gid
        self.maildir = root / "mail" / user
        self.serial = 0

    def deliver(self, raw: bytes, folder: str = "") -> None:
        """Put a message in the INBOX (or a folder) as a delivery agent would."""
        box = self.maildir / (f".{folder}" if folder else "")
        for sub in ("tmp", "new", "cur"):
            (box / sub).mkdir(parents=True, exist_ok=True)
        self.serial += 1
        name = f"{int(time.time())}.M{self.serial}P{os.getpid()}.tracecode"
        (box / "new" / name).write_bytes(raw)
        for path in [self.root / "mail", *self.maildir.rglob("*"), self.maildir]:
            os.chown(path, self.uid, self.gid)

    def reset_uidvalidity(self) -> None:
        """Make the server renumber the mailbox (as after a restore): a new UIDVALIDITY."""
        for name in (
            "dovecot-uidlist",
            "dovecot.index",
            "dovecot.index.cache",
            "dovecot.index.log",
        ):
            (self.maildir / name).unlink(missing_ok=True)
        for path in (self.maildir / "cur").iterdir():
            path.rename(self.maildir / "new" / path.name.split(":")[0])


@pytest.fixture
def dovecot():
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(binary):
        pytest.fail(
            "dovecot is not installed: apt-get install dovecot-imapd (the test command does)"
        )
    root = Path(tempfile.mkdtemp(prefix="tracecode-dovecot-"))
    root.chmod(0o755)
    nobody = pwd.getpwnam("nobody")
    port = free_port()
    (root / "mail").mkdir()
    (root / "passwd").write_text(
        f"buyer:secret-pw:{nobody.pw_uid}:{nobody.pw_gid}::{root}/mail/buyer\n"
    )
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port))
    # The daemon keeps the descriptors it was given: a file, never a pipe someone waits on.
    with open(root / "start.log", "wb") as out:
        started = subprocess.run([binary, "-c", str(config)], stdout=out, stderr=out, timeout=30)
    if started.returncode:
        pytest.fail(f"dovecot did not start: {(root / 'start.log').read_text()}")
    server = Dovecot(root, port, "buyer", "secret-pw", nobody.pw_uid, nobody.pw_gid)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                pytest.fail(f"dovecot did not start on port {port}:\n{log}")
            time.sleep(0.05)
    try:
        yield server
    finally:
        subprocess.run(
            [binary, "-c", str(config), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        time.sleep(0.2)
        shutil.rmtree(root, ignore_errors=True)
