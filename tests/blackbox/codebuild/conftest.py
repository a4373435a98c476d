"""Fixtures for CodeBuild builds that really run in containers (services/codebuild/runner).

  cbx           module-wide CodebuildSandbox: one hakobu (two accounts) shared by the module's tests;
                every name a test makes is unique, so tests never reset the server.
  cbx_factory   start_sandbox(extra_args=()) for a private hakobu (clock control, restarts).

A CodebuildSandbox has boto3 clients (.cb, .iam, .s3, .ssm, .logs, .codecommit), .role() for service
roles, .project() for projects with unique names, .start()/.wait()/.run() for builds (BatchGetBuilds
polled until buildComplete), .log() for a build's CloudWatch Logs text (GetLogEvents) and
.containers() for the podman containers this hakobu's runner labelled (hakobu.instance=<id>).

When the module (or the session) ends, no container labelled with a sandbox's instance id may be
left: that check fails the run, it is never skipped. The build image is AWS's curated name
aws/codebuild/standard:7.0, made locally by `make build-image`; without it every test fails
saying so.
"""
import io
import json
import os
import subprocess
import time
import urllib.request
import uuid
import zipfile

import pytest


def _load_blackbox_conftest():
    # This file is also imported as `conftest` (no packages here): pytest drops tests/blackbox's
    # module from sys.modules before importing it. Load that one by path and re-export its public
    # names, so `from conftest import ...` in any test module still finds them.
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "conftest.py")
    loader_spec = importlib.util.spec_from_file_location("_blackbox_conftest", path)
    module = importlib.util.module_from_spec(loader_spec)
    loader_spec.loader.exec_module(module)
    return module


_base = _load_blackbox_conftest()
globals().update({k: v for k, v in vars(_base).items()
                  if not k.startswith("_") and not callable(getattr(v, "_pytestfixturefunction", None))
                  and not hasattr(v, "_fixture_function_marker") and k not in ("pytest_configure",)})
DEV, TWO_ACCOUNTS, Hakobu = _base.DEV, _base.TWO_ACCOUNTS, _base.Hakobu

ACCOUNT = "000000000000"
IMAGE = "aws/codebuild/standard:7.0"
LOCAL_IMAGE = "localhost/aws/codebuild/standard:7.0"
TRUST_CODEBUILD = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
ALLOW_ALL = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
BUILD_TIMEOUT = 90

_instances = []  # every sandbox's instance id, checked at the session's end


def uid(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def labelled_containers(instance):
    p = subprocess.run(["podman", "ps", "-a", "--filter", f"label=hakobu.instance={instance}",
                        "--format", "{{.ID}} {{.Names}} {{.Status}}"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return [line for line in p.stdout.splitlines() if line.strip()]


def spec(*build, install=None, pre_build=None, post_build=None, extra=""):
    """A buildspec 0.2 text with the given phases' commands (JSON lists are valid YAML flow)."""
    lines = ["version: 0.2"]
    if extra:
        lines.append(extra.rstrip("\n"))
    lines.append("phases:")
    for name, cmds in (("install", install), ("pre_build", pre_build), ("build", list(build) or None),
                       ("post_build", post_build)):
        if cmds:
            lines.append(f"  {name}:\n    commands:")
            lines += [f"      - {json.dumps(c)}" for c in cmds]
    return "\n".join(lines) + "\n"


class CodebuildSandbox:
    def __init__(self, server):
        self.server = server
        self.url = server.url
        self.cb = server.client("codebuild")
        self.iam = server.client("iam")
        self.s3 = server.client("s3")
        self.ssm = server.client("ssm")
        self.logs = server.client("logs")
        self.codecommit = server.client("codecommit")
        self._default_role = None
        with open(os.path.join(server.data_dir, "instance-id")) as f:
            self.instance = f.read().strip()

    def containers(self):
        return labelled_containers(self.instance)

    # --- IAM ---
    def role(self, statements=None, trust=None, name=None):
        """A service role (ARN) trusting codebuild.amazonaws.com, allowed `statements` (everything)."""
        name = name or uid("role")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust or TRUST_CODEBUILD))
        self.iam.put_role_policy(RoleName=name, PolicyName="build", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": statements or ALLOW_ALL}))
        return f"arn:aws:iam::{ACCOUNT}:role/{name}"

    @property
    def default_role(self):
        if self._default_role is None:
            self._default_role = self.role(name=uid("codebuild"))
        return self._default_role

    # --- projects and builds ---
    def project(self, buildspec=None, source=None, artifacts=None, env=None, image=IMAGE, role=None, name=None,
                privileged=False, **kwargs):
        name = name or uid("proj")
        if source is None:
            source = {"type": "NO_SOURCE", "buildspec": buildspec or spec("echo hello")}
        elif buildspec is not None:
            source = dict(source, buildspec=buildspec)
        environment = {"type": "LINUX_CONTAINER", "image": image, "computeType": "BUILD_GENERAL1_SMALL",
                       "environmentVariables": env or [], "privilegedMode": privileged}
        self.cb.create_project(name=name, source=source, artifacts=artifacts or {"type": "NO_ARTIFACTS"},
                               environment=environment, serviceRole=role or self.default_role, **kwargs)
        return name

    def start(self, project, **overrides):
        return self.cb.start_build(projectName=project, **overrides)["build"]

    def get(self, build_id):
        return self.cb.batch_get_builds(ids=[build_id])["builds"][0]

    def wait(self, build_id, timeout=BUILD_TIMEOUT, until=None):
        """Polls BatchGetBuilds until buildComplete (or `until(build)`); fails on the timeout."""
        deadline = time.time() + timeout
        while True:
            build = self.get(build_id)
            if (until(build) if until else build["buildComplete"]):
                return build
            if time.time() > deadline:
                raise AssertionError(f"build {build_id} not done after {timeout}s: {json.dumps(build, default=str)}")
            time.sleep(0.1)

    def run(self, project=None, timeout=BUILD_TIMEOUT, **overrides):
        if project is None:
            project = self.project()
        return self.wait(self.start(project, **overrides)["id"], timeout=timeout)

    def run_spec(self, buildspec, **project_kwargs):
        return self.run(self.project(buildspec=buildspec, **project_kwargs))

    def log_events(self, build):
        logs = build["logs"]
        events, token = [], None
        while True:
            kw = {"logGroupName": logs["groupName"], "logStreamName": logs["streamName"], "startFromHead": True}
            if token:
                kw["nextToken"] = token
            page = self.logs.get_log_events(**kw)
            events += page["events"]
            if not page["events"] or page.get("nextForwardToken") == token:
                return events
            token = page.get("nextForwardToken")

    def log(self, build):
        return "\n".join(e["message"].rstrip("\n") for e in self.log_events(build))

    def events(self, source="aws.codebuild"):
        with urllib.request.urlopen(f"{self.url}/_hakobu/events?source={source}&limit=1000", timeout=10) as r:
            return json.loads(r.read())["events"]

    def aws(self, *args, **kwargs):
        return self.server.aws(*args, **kwargs)

    # --- S3 ---
    def bucket(self, versioned=False):
        name = uid("bkt")
        self.s3.create_bucket(Bucket=name)
        if versioned:
            self.s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        return name


def in_build_phase(cbx, build_id, timeout=60):
    """Waits until a sleeper (`echo sleeping-now; sleep 300`) runs: BUILD phase, its output logged."""
    def running(b):
        if b["buildComplete"]:
            raise AssertionError(f"build ended early: {json.dumps(b, default=str)}\n{cbx.log(b)}")
        return b["currentPhase"] == "BUILD" and "sleeping-now" in cbx.log(b)
    return cbx.wait(build_id, timeout=timeout, until=running)


def build_containers(cbx, build_id):
    return [c for c in cbx.containers() if build_id.split(":")[1] in c]


def wait_no_build_container(cbx, build_id, timeout=15):
    deadline = time.time() + timeout
    while build_containers(cbx, build_id):
        assert time.time() < deadline, f"container of {build_id} still there: {build_containers(cbx, build_id)}"
        time.sleep(0.2)


def marked(log, tag):
    """Values a build printed as `tag:NAME=value` lines, as a dict."""
    out = {}
    for line in log.splitlines():
        if line.startswith(tag + ":") and "=" in line:
            name, value = line[len(tag) + 1:].split("=", 1)
            out[name] = value
    return out


def phases(build):
    return {p["phaseType"]: p for p in build["phases"]}


def phase_types(build):
    return [p["phaseType"] for p in build["phases"]]


def zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def _check_image():
    p = subprocess.run(["podman", "image", "exists", LOCAL_IMAGE], capture_output=True, timeout=60)
    if p.returncode != 0:
        pytest.fail(f"the build image {LOCAL_IMAGE} (AWS's {IMAGE}) is not in podman's storage: "
                    "run `make build-image`", pytrace=False)


def _assert_no_containers(instance):
    left = labelled_containers(instance)
    assert not left, f"containers of hakobu instance {instance} left behind: {left}"


@pytest.fixture(scope="session", autouse=True)
def _no_build_containers_left():
    yield
    left = {i: labelled_containers(i) for i in _instances}
    left = {i: c for i, c in left.items() if c}
    assert not left, f"build containers left after the session: {left}"


@pytest.fixture(scope="module")
def cbx():
    _check_image()
    server = Hakobu(config_text=TWO_ACCOUNTS)
    sandbox = CodebuildSandbox(server)
    _instances.append(sandbox.instance)
    yield sandbox
    try:
        _assert_no_containers(sandbox.instance)
    finally:
        server.cleanup()


@pytest.fixture
def cbx_factory():
    _check_image()
    made = []

    def start(extra_args=()):
        server = Hakobu(config_text=TWO_ACCOUNTS, extra_args=extra_args)
        sandbox = CodebuildSandbox(server)
        _instances.append(sandbox.instance)
        made.append(sandbox)
        return sandbox

    yield start
    for sandbox in made:
        try:
            sandbox.server.stop()
        finally:
            sandbox.server.cleanup()
    for sandbox in made:
        _assert_no_containers(sandbox.instance)


@pytest.fixture(autouse=True)
def _hakobu_survives_each_test(request):
    """A test during which the module's hakobu died fails with its log; the next test gets a
    hakobu started again on the same data directory and port (no cascade of refused connections)."""
    if "cbx" not in request.fixturenames:
        yield
        return
    sandbox = request.getfixturevalue("cbx")
    server = sandbox.server
    if server.proc.poll() is not None:
        server.start(port=server.port)
    yield
    if server.proc.poll() is not None:
        code, tail = server.proc.returncode, server.logs()[-2500:]
        server.start(port=server.port)
        pytest.fail(f"hakobu died during this test (status {code}); its log ends:\n{tail}", pytrace=False)
