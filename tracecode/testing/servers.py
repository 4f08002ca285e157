"""Real app servers for the tests and the load benchmark: `tracecode serve` (gunicorn and its
task worker) on a free loopback port, and a small HTTP client to talk to it.

    server = AppServer(environment, name="a", workers=2)   # waits for /healthz
    status, body = Http(server.url, token="tc_…").get_json("/api/me")
    server.stop()

Each server gets the environment it is given (database, S3 bucket, secret key…) and a data
folder of its own, so nothing passes between two servers but what production shares: the
database and the file store.
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`tracecode serve --bind 127.0.0.1:<free port>` until stop()."""

    def __init__(
        self,
        environment: dict[str, str],
        *,
        name: str = "app",
        workers: int = 1,
        threads: int = 4,
        task_worker: bool = True,
        start_timeout: float = 90,
        wait: bool = True,
    ):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"tracecode-{name}-"))
        self.log_path = self.data_dir / "serve.log"
        env = {**environment, "TRACECODE_DATA_DIR": str(self.data_dir)}
        command = [
            sys.executable, "-m", "tracecode", "serve",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers), "--threads", str(threads),
        ]  # fmt: skip
        if not task_worker:
            command.append("--no-worker")
        self.log = open(self.log_path, "w+")  # noqa: SIM115 (closed in stop)
        # A process group of its own: stop() ends gunicorn's workers and the task worker too.
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        if wait:
            self.wait(start_timeout)

    def wait(self, timeout: float = 90) -> None:
        """Until /healthz answers (servers started with wait=False start side by side)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tracecode serve ({self.name}) stopped:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"tracecode serve ({self.name}) did not answer within {timeout:.0f} s")

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def terminate(self) -> None:
        """Ask it to stop (serve stops gunicorn, then the worker); stop() waits for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        self.terminate()
        if self.process.poll() is None:
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # anything of it still running
        if not self.log.closed:
            self.log.close()

    def remove(self) -> None:
        """Remove its data folder (and log), after stop() and output()."""
        shutil.rmtree(self.data_dir, ignore_errors=True)


class Http:
    """A small HTTP client of one server: a token or a session cookie, JSON and multipart."""

    def __init__(self, base: str, *, token: str | None = None, session: str | None = None):
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        if session:
            self.headers["Cookie"] = f"sessionid={session}"
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict, bytes]:
        """Status, headers and body of one request (an error status is an answer too)."""
        request = urllib.request.Request(
            self.base + path, data=body, method=method, headers={**self.headers, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def sign_in(self, username: str, password: str) -> int:
        """Sign in through the form, as a browser does: the status of the form's answer (302
        when signed in); the session cookie stays in this client's jar."""
        status, page = self.get("/accounts/sign-in/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found:
            raise AssertionError(f"no sign-in form: {status}")
        form = {"csrfmiddlewaretoken": found.group(1).decode(), "username": username,
                "password": password}  # fmt: skip
        body = urllib.parse.urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        request = urllib.request.Request(
            self.base + "/accounts/sign-in/", data=body, method="POST",
            headers={**self.headers, **headers},
        )  # fmt: skip
        try:
            with opener.open(request, timeout=60) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def get(self, path: str) -> tuple[int, bytes]:
        status, _, body = self.request("GET", path)
        return status, body

    def get_json(self, path: str):
        status, body = self.get(path)
        return status, json.loads(body or b"null")

    def post_json(self, path: str, data: dict | None = None):
        body = json.dumps(data or {}).encode()
        status, _, answer = self.request("POST", path, body, {"Content-Type": "application/json"})
        return status, json.loads(answer or b"null")

    def post_files(
        self, path: str, files: dict[str, tuple[str, bytes]], fields: dict | None = None
    ):
        """A multipart form: `files` maps a field to (file name, content)."""
        boundary = secrets.token_hex(16)
        parts = []
        for name, value in (fields or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
                f' filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        status, _, answer = self.request("POST", path, body, headers)
        return status, json.loads(answer or b"null")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect itself is the answer
