"""The database, the stored files and the secrets are readable by the app's user only."""

import os
import secrets
import stat
import subprocess
import sys
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

import tracecode.settings as project_settings


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_command_keeps_the_database_and_its_folder_to_its_user(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "TRACECODE_DATA_DIR": str(data)}
    for name in ("TRACECODE_DATABASE_URL", "TRACECODE_SECRET_KEY"):
        env.pop(name, None)
    # Started the way a shell or systemd starts it: with the usual umask that lets all read.
    result = subprocess.run(
        [sys.executable, "-m", "tracecode", "migrate", "-v0"],
        env=env,
        umask=0o022,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert mode(data) == 0o700
    created = sorted(p.name for p in data.iterdir())
    assert "tracecode.sqlite3" in created and "secret_key" in created
    for path in data.iterdir():
        assert mode(path) == 0o600, path.name


@pytest.mark.parametrize("entry_point", ["tracecode.wsgi", "tracecode.asgi"])
def test_the_web_servers_entry_points_restrict_the_umask(tmp_path, entry_point):
    # gunicorn or uvicorn started directly, e.g. from systemd, without the `tracecode` command
    env = {**os.environ, "TRACECODE_DATA_DIR": str(tmp_path / "data")}
    code = f"import os, {entry_point}; print(oct(os.umask(0)))"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, umask=0o022, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "0o77"
    assert mode(tmp_path / "data") == 0o700


def test_stored_files_and_their_folders_are_private_whatever_the_umask(tmp_path, settings):
    storage = FileSystemStorage(location=tmp_path / "files")
    old = os.umask(0)  # the rule must not depend on the umask of whoever started the app
    try:
        name = storage.save("RK1038 Lyon/NDA/RK1038 NDA 2026-03-02.pdf", ContentFile(b"%PDF-1.7"))
    finally:
        os.umask(old)
    assert mode(storage.path(name)) == 0o600
    assert mode(tmp_path / "files" / "RK1038 Lyon" / "NDA") == 0o700
    assert mode(tmp_path / "files" / "RK1038 Lyon") == 0o700


@pytest.fixture
def fresh_data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(project_settings, "DATA_DIR", tmp_path)
    monkeypatch.delenv("TRACECODE_SECRET_KEY", raising=False)
    return tmp_path


def test_the_secret_key_is_born_private(fresh_data_dir, monkeypatch):
    def chmod(*args, **kwargs):
        raise AssertionError("the key file was readable by others until chmod-ed")

    monkeypatch.setattr(os, "chmod", chmod)
    monkeypatch.setattr(type(fresh_data_dir), "chmod", chmod)
    old = os.umask(0)
    try:
        key = project_settings.secret_key()
    finally:
        os.umask(old)
    path = fresh_data_dir / "secret_key"
    assert mode(path) == 0o600
    assert len(key) > 40 and path.read_text() == key
    assert project_settings.secret_key() == key  # the next start reads the same one


def test_two_processes_starting_at_once_agree_on_one_key(fresh_data_dir, monkeypatch):
    generate = secrets.token_urlsafe

    def slow_token(length):
        time.sleep(0.05)  # widen the window between "no key yet" and writing one
        return generate(length)

    monkeypatch.setattr(secrets, "token_urlsafe", slow_token)
    start = threading.Barrier(8)
    keys = []

    def starting_app():
        start.wait()
        keys.append(project_settings.secret_key())

    threads = [threading.Thread(target=starting_app) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert (fresh_data_dir / "secret_key").read_text() == keys[0]
    assert sorted(p.name for p in fresh_data_dir.iterdir()) == ["secret_key"]
