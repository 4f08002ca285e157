"""The deployment files in deploy/ are checked by the tools that read them: `nginx -t` on the
site, `systemd-analyze verify` on the units; PgBouncer's file is read as it is, and
TRACECODE_DB_PGBOUNCER gives the connection settings transaction pooling needs."""

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
VENV_BIN = Path(sys.executable).parent


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, **kwargs)


def test_the_nginx_site_is_valid(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    made = run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=crm.example.com", "-keyout", key, "-out", cert])  # fmt: skip
    assert made.returncode == 0, made.stderr
    site = (DEPLOY / "nginx" / "tracecode.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/crm.example.com/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    checked = run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")])
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr

    broken = site.replace("proxy_read_timeout 300s;", "proxy_read_timeout;")
    (tmp_path / "site.conf").write_text(broken)
    refused = run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")])
    assert refused.returncode != 0  # the check can fail


@pytest.mark.parametrize("unit", ["tracecode-web.service", "tracecode-worker.service"])
def test_the_systemd_units_are_valid(unit, tmp_path):
    environment = tmp_path / "tracecode.env"
    environment.write_text((DEPLOY / "tracecode.env").read_text())
    text = (DEPLOY / "systemd" / unit).read_text()
    text = text.replace("/srv/tracecode/.venv/bin/", f"{VENV_BIN}/")
    text = text.replace("/etc/tracecode/tracecode.env", str(environment))
    assert f"{VENV_BIN}/" in text  # the programs named are the ones installed
    (tmp_path / unit).write_text(text)
    checked = run(["systemd-analyze", "verify", "--man=no", str(tmp_path / unit)])
    problems = [line for line in checked.stderr.splitlines() if unit in line]
    assert checked.returncode == 0 and problems == [], checked.stderr

    (tmp_path / unit).write_text(text.replace("ExecStart=", "ExecStrat="))
    refused = run(["systemd-analyze", "verify", "--man=no", str(tmp_path / unit)])
    assert refused.returncode != 0 or unit in refused.stderr  # the check can fail


def test_the_worker_unit_runs_what_serve_offers():
    """`tracecode serve --no-web` runs the task worker alone (after enqueuing the chains)."""
    help_text = run([sys.executable, "-m", "tracecode", "serve", "--help"], env=os.environ)
    assert "--no-web" in help_text.stdout
    unit = (DEPLOY / "systemd" / "tracecode-worker.service").read_text()
    assert "tracecode serve --no-web" in unit


def test_pgbouncer_runs_in_transaction_mode_and_the_app_knows(monkeypatch):
    ini = configparser.ConfigParser()
    ini.read(DEPLOY / "pgbouncer" / "pgbouncer.ini")
    assert ini["pgbouncer"]["pool_mode"] == "transaction"
    assert "tracecode" in ini["databases"]
    env = (DEPLOY / "tracecode.env").read_text()
    assert "TRACECODE_DB_PGBOUNCER=true" in env
    assert f":{ini['pgbouncer']['listen_port']}/" in env

    from tracecode import settings

    url = "postgres://tracecode:secret@127.0.0.1:6432/tracecode"
    monkeypatch.setenv("TRACECODE_DB_PGBOUNCER", "true")
    pooled = settings.database(url)
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert pooled["OPTIONS"]["prepare_threshold"] is None
    monkeypatch.delenv("TRACECODE_DB_PGBOUNCER")
    direct = settings.database(url)
    assert not direct.get("DISABLE_SERVER_SIDE_CURSORS")
    assert "prepare_threshold" not in direct.get("OPTIONS", {})
