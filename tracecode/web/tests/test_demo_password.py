"""The generated demo password is written once, private from the start."""

import os
import secrets
import stat
import threading
import time

from tracecode.web.demo import demo_password


def test_it_is_born_private_and_kept(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    settings.DEMO_PASSWORD = ""

    def chmod(*args, **kwargs):
        raise AssertionError("the password file was readable by others until chmod-ed")

    monkeypatch.setattr(os, "chmod", chmod)
    monkeypatch.setattr(type(tmp_path), "chmod", chmod)
    old = os.umask(0)
    try:
        password = demo_password()
    finally:
        os.umask(old)
    path = tmp_path / "demo-password"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert demo_password() == password == path.read_text()


def test_two_runs_at_once_agree_on_one_password(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    settings.DEMO_PASSWORD = ""
    generate = secrets.token_urlsafe

    def slow_token(length):
        time.sleep(0.05)
        return generate(length)

    monkeypatch.setattr(secrets, "token_urlsafe", slow_token)
    start = threading.Barrier(6)
    passwords = []

    def run():
        start.wait()
        passwords.append(demo_password())

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passwords) == 6 and len(set(passwords)) == 1


def test_the_configured_password_writes_nothing(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.DEMO_PASSWORD = "set-by-the-operator"
    assert demo_password() == "set-by-the-operator"
    assert list(tmp_path.iterdir()) == []
