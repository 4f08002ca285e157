"""A real dovecot IMAP server on loopback with a throwaway config and maildir, for tests.

`dovecot` serves plain IMAP; `dovecot_tls` also speaks TLS: implicit TLS on an IMAPS port and
STARTTLS on the plain port, with a certificate made for the test by a throwaway CA whose file
is `server.ca_file` (what TRACECODE_MAIL_IMAP_CA_FILE names in production).
"""

import os
import pwd
import shutil
import signal
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
{ssl}
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
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""

# STARTTLS is offered on the plain port; plain login stays allowed there for the plain tests.
SSL_ON = """ssl = yes
ssl_cert = <{root}/tls/server.pem
ssl_key = <{root}/tls/server.key
ssl_min_protocol = TLSv1.2"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(folder: Path) -> Path:
    """A throwaway CA and a server certificate for 127.0.0.1 signed by it; returns the CA file.

    A real chain (not one self-signed leaf) because Python's default context verifies strictly
    (VERIFY_X509_STRICT): a trust anchor must be a CA certificate.
    """
    folder.mkdir(mode=0o755)
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is not installed: it makes the test server's certificate")

    def run(*args: str) -> None:
        done = subprocess.run([openssl, *args], cwd=folder, capture_output=True, timeout=60)
        if done.returncode:
            pytest.fail(f"openssl {args[0]} failed: {done.stderr.decode(errors='replace')}")

    (folder / "server.ext").write_text(
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature\n"
        "extendedKeyUsage = serverAuth\n"
        "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid\n"
    )
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    ca = "-subj /CN=Tracecode-test-CA -extensions v3_ca"
    ca += " -addext basicConstraints=critical,CA:TRUE"
    ca += " -addext keyUsage=critical,keyCertSign,cRLSign"
    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", *ca.split())
    run("req", "-new", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    signed = "-CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.pem"
    run("x509", "-req", "-in", "server.csr", *signed.split())
    for name in ("server.pem", "server.key", "ca.pem"):
        (folder / name).chmod(0o644)
    return folder / "ca.pem"


class Dovecot:
    def __init__(self, root: Path, port: int, user: str, password: str, uid: int, gid: int):
        self.root, self.port, self.user, self.password = root, port, user, password
        self.uid, self.gid = uid, gid
        self.maildir = root / "mail" / user
        self.serial = 0
        self.imaps_port: int | None = None  # implicit TLS, when started with TLS
        self.ca_file: Path | None = None  # the CA that signed the server's certificate

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

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


def _wait_for(port: int, root: Path) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                log = root / "dovecot.log"
                text = log.read_text(errors="replace") if log.exists() else ""
                pytest.fail(f"dovecot did not start on port {port}:\n{text}")
            time.sleep(0.05)


def run_dovecot(*, tls: bool):
    """Start dovecot, yield the Dovecot handle, stop it and remove its files."""
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(binary):
        pytest.fail(
            "dovecot is not installed: apt-get install dovecot-imapd (the test command does)"
        )
    root = Path(tempfile.mkdtemp(prefix="tracecode-dovecot-"))
    root.chmod(0o755)
    nobody = pwd.getpwnam("nobody")
    port = free_port()
    imaps_port = free_port() if tls else 0  # 0: no IMAPS listener
    (root / "mail").mkdir()
    (root / "passwd").write_text(
        f"buyer:secret-pw:{nobody.pw_uid}:{nobody.pw_gid}::{root}/mail/buyer\n"
    )
    ca_file = make_certificate(root / "tls") if tls else None
    config = root / "dovecot.conf"
    ssl = SSL_ON.format(root=root) if tls else "ssl = no"
    config.write_text(CONFIG.format(root=root, port=port, imaps_port=imaps_port, ssl=ssl))
    try:
        # The daemon keeps the descriptors it was given: a file, never a pipe someone waits on.
        with open(root / "start.log", "wb") as out:
            started = subprocess.run(
                [binary, "-c", str(config)], stdout=out, stderr=out, timeout=30
            )
        if started.returncode:
            pytest.fail(f"dovecot did not start: {(root / 'start.log').read_text()}")
        server = Dovecot(root, port, "buyer", "secret-pw", nobody.pw_uid, nobody.pw_gid)
        _wait_for(port, root)
        if tls:
            _wait_for(imaps_port, root)
            server.imaps_port, server.ca_file = imaps_port, ca_file
        yield server
    finally:
        _stop(binary, config, root)
        shutil.rmtree(root, ignore_errors=True)


def _stop(binary: str, config: Path, root: Path) -> None:
    """Kill the daemon's process group and wait until none of it runs. Not `dovecot stop`:
    it waits until the master's pid is gone, and the daemon's parent is the machine's init,
    which in a container may reap it seconds later (2.4 s a test here)."""
    pid_file = root / "run" / "master.pid"
    try:
        group = os.getpgid(int(pid_file.read_text().split()[0]))
    except (OSError, ValueError, IndexError):  # no master (it failed to start): ask it anyway
        subprocess.run([binary, "-c", str(config), "stop"], capture_output=True, timeout=30)
        return
    os.killpg(group, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _running(group) and time.monotonic() < deadline:
        time.sleep(0.01)


def _running(group: int) -> bool:
    """Whether a process of `group` still runs (a zombie waiting for its reaper does not)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


@pytest.fixture
def dovecot():
    yield from run_dovecot(tls=False)


@pytest.fixture
def dovecot_tls():
    yield from run_dovecot(tls=True)
