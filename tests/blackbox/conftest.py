"""Black-box fixtures: start the real hakobu binary on a free port with a temporary data
directory, and talk to it only through real clients (boto3, the aws CLI, curl).

Fixtures:
  hakobu        session-wide server with two accounts (dev 000000000000 test/test and
                prod 111111111111 prodkey/prodsecret); state is reset before every test.
  start_hakobu  factory for a private server (own data dir, optional config text);
                returns a Hakobu with .url, .kill9(), .restart(), .stop().
  client        client(service, account="dev"|"prod"|creds dict, region=...) -> boto3 client
  aws           aws("ssm", "get-parameter", "--name", "x", creds=..., v2=False) -> CliResult
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

import boto3
import botocore.config
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("HAKOBU_BINARY", os.path.join(ROOT, "build", "hakobu"))

DEV = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
PROD = {"aws_access_key_id": "prodkey", "aws_secret_access_key": "prodsecret"}
DEV_ACCOUNT = "000000000000"
PROD_ACCOUNT = "111111111111"

TWO_ACCOUNTS = """
accounts:
  - id: "000000000000"
    name: dev
    access_keys: [{id: test, secret: test}]
  - id: "111111111111"
    name: prod
    access_keys: [{id: prodkey, secret: prodsecret}]
"""


class Hakobu:
    """One hakobu process. stderr goes to a file (never a pipe that could fill up)."""

    def __init__(self, config_text=None, data_dir=None, extra_args=()):
        self.workdir = tempfile.mkdtemp(prefix="hakobu-test-")
        self.data_dir = data_dir or os.path.join(self.workdir, "data")
        self.config_path = None
        if config_text is not None:
            self.config_path = os.path.join(self.workdir, "config.yaml")
            with open(self.config_path, "w") as f:
                f.write(config_text)
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.workdir, "hakobu.log")
        self.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, port=0):
        args = [BINARY, "server", "--port", str(port), "--data-dir", self.data_dir]
        if self.config_path:
            args += ["--config", self.config_path]
        args += self.extra_args
        self.log = open(self.log_path, "ab")
        offset = self.log.tell()
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                text = f.read().decode(errors="replace")
            for line in text.splitlines():
                if "hakobu ready on http://" in line:
                    self.port = int(line.split("hakobu ready on http://", 1)[1].split()[0].rsplit(":", 1)[1])
                    return
            if self.proc.poll() is not None:
                raise RuntimeError(f"hakobu exited with {self.proc.returncode}:\n{text}")
            time.sleep(0.005)
        raise RuntimeError("hakobu did not become ready:\n" + self.logs())

    def logs(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()

    def restart(self):
        """kill -9, then start again on the same port and data dir."""
        port = self.port
        self.kill9()
        self.start(port=port)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self.log.closed:
            self.log.close()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def reset(self):
        req = urllib.request.Request(self.url + "/_hakobu/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=5) as r:
            assert r.status == 200

    def client(self, service, creds=None, region="us-east-1", **config):
        creds = creds or DEV
        cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}, **config)
        return boto3.client(service, endpoint_url=self.url, region_name=region, config=cfg, **creds)

    def aws(self, *args, creds=None, region="us-east-1", v2=False, check=False, env=None):
        creds = creds or DEV
        e = dict(os.environ)
        for k in list(e):
            if k.startswith("AWS_"):
                del e[k]
        e.update({
            "AWS_ACCESS_KEY_ID": creds["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": creds["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": region,
            "AWS_CONFIG_FILE": os.path.join(self.workdir, "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.workdir, "no-aws-credentials"),
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_PAGER": "",
        })
        if creds.get("aws_session_token"):
            e["AWS_SESSION_TOKEN"] = creds["aws_session_token"]
        if env:
            e.update(env)
        exe = "/usr/bin/aws" if v2 else "aws"
        cmd = [exe, "--endpoint-url", self.url, "--output", "json"] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=60)
        result = CliResult(p.returncode, p.stdout, p.stderr)
        if check and p.returncode != 0:
            raise AssertionError(f"{cmd} failed ({p.returncode}): {p.stderr}")
        return result


class CliResult:
    def __init__(self, returncode, stdout, stderr):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    @property
    def json(self):
        return json.loads(self.stdout) if self.stdout.strip() else {}

    def __repr__(self):
        return f"CliResult(rc={self.returncode}, stdout={self.stdout!r}, stderr={self.stderr!r})"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: moves a lot of data (deselect with -m 'not slow')")
    config.addinivalue_line("markers", "containers: drives podman, skopeo or the docker CLI (scripts/install-deps.sh)")
    if not os.path.exists(BINARY):
        raise pytest.UsageError(f"hakobu binary not found at {BINARY}: run 'make build' first")


@pytest.fixture(scope="session")
def _session_hakobu():
    server = Hakobu(config_text=TWO_ACCOUNTS)
    yield server
    server.cleanup()


@pytest.fixture
def hakobu(_session_hakobu):
    if _session_hakobu.proc.poll() is not None:
        _session_hakobu.start()
    _session_hakobu.reset()
    return _session_hakobu


@pytest.fixture
def start_hakobu():
    servers = []

    def start(config_text=None, extra_args=()):
        s = Hakobu(config_text=config_text, extra_args=extra_args)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.cleanup()


@pytest.fixture
def client(hakobu):
    def make(service, account="dev", region="us-east-1", **config):
        creds = {"dev": DEV, "prod": PROD}.get(account, account) if isinstance(account, str) else account
        return hakobu.client(service, creds=creds, region=region, **config)

    return make


@pytest.fixture
def aws(hakobu):
    return hakobu.aws
