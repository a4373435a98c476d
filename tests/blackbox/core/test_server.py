"""The server process itself: command line, readiness, health, reset, access log."""
import json
import subprocess
import time
import urllib.request

import pytest

from conftest import BINARY, DEV_ACCOUNT


def test_help_documents_every_flag():
    p = subprocess.run([BINARY, "--help"], capture_output=True, text=True)
    assert p.returncode == 0
    for flag in ["--port", "--host", "--data-dir", "--config", "--region", "--log-level", "--no-access-log"]:
        assert flag in p.stdout


def test_unknown_flag_is_a_usage_error(tmp_path):
    p = subprocess.run([BINARY, "server", "--bogus"], capture_output=True, text=True)
    assert p.returncode == 2
    assert "unknown flag '--bogus'" in p.stderr


def test_invalid_config_fails_fast_with_a_clear_message(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text('accounts:\n  - id: "12345"\n    access_keys: [{id: a, secret: b}]\n')
    p = subprocess.run([BINARY, "server", "--port", "0", "--data-dir", str(tmp_path / "d"), "--config", str(cfg)],
                       capture_output=True, text=True, timeout=10)
    assert p.returncode == 1
    assert "must be 12 digits" in p.stderr


def test_default_account_without_config(start_hakobu):
    server = start_hakobu()
    ident = server.client("sts").get_caller_identity()
    assert ident["Account"] == DEV_ACCOUNT
    assert ident["Arn"] == f"arn:aws:iam::{DEV_ACCOUNT}:root"


def test_ready_line_and_health(hakobu):
    assert "hakobu ready on http://127.0.0.1:" in hakobu.logs()
    with urllib.request.urlopen(hakobu.url + "/_hakobu/health", timeout=5) as r:
        assert r.status == 200
        body = json.loads(r.read())
    assert body["status"] == "running"
    assert {"ssm", "iam", "sts"} <= set(body["services"])


@pytest.mark.parametrize("path", ["/_hakobu/reset", "/moto-api/reset"])
def test_reset_wipes_state(hakobu, client, path):
    ssm = client("ssm")
    ssm.put_parameter(Name="/reset/me", Value="v", Type="String")
    req = urllib.request.Request(hakobu.url + path, method="POST", data=b"")
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.status == 200
    with pytest.raises(ssm.exceptions.ParameterNotFound):
        ssm.get_parameter(Name="/reset/me")


def test_access_log_has_one_line_per_request(hakobu, client):
    client("sts").get_caller_identity()
    # The access log is buffered and flushed within 50 ms: poll for the line.
    deadline = time.monotonic() + 5
    lines = []
    while not lines and time.monotonic() < deadline:
        lines = [l for l in hakobu.logs().splitlines() if " access " in l and "op=GetCallerIdentity" in l]
        if not lines:
            time.sleep(0.01)
    assert lines, hakobu.logs()[-2000:]
    line = lines[-1]
    for field in ["rid=", f"acct={DEV_ACCOUNT}", "principal=arn:aws:iam::000000000000:root", "svc=sts",
                  "status=200", "error=-", "ms="]:
        assert field in line, line


def test_state_survives_restart(start_hakobu):
    server = start_hakobu()
    server.client("ssm").put_parameter(Name="/keep", Value="kept", Type="String")
    server.restart()
    assert server.client("ssm").get_parameter(Name="/keep")["Parameter"]["Value"] == "kept"
