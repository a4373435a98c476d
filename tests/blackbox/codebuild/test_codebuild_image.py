"""The local aws/codebuild/standard image that `make build-image` makes
(scripts/build-image.sh, images/codebuild-standard/README.md), checked from containers of it:
its names, each tool a build needs, the dockerd stand-in both ways, the docker CLI through a
podman Docker API socket of the test's own, and the aws CLI, boto3 and the CodeCommit
credential helper reaching a real hakobu through AWS_ENDPOINT_URL alone.

Without the image every test fails saying to run `make build-image`."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

# Overridable only to check these tests against a broken copy of the image.
IMAGE = os.environ.get("HAKOBU_CODEBUILD_IMAGE", "localhost/aws/codebuild/standard:7.0")
ALIASES = ["localhost/aws/codebuild/standard:6.0", "localhost/aws/codebuild/standard:5.0",
           "localhost/aws/codebuild/amazonlinux2-x86_64-standard:5.0"]
RECIPE_LABEL = "io.hakobu.image.recipe"
DEAD_ENDPOINT = "http://127.0.0.1:1"  # nothing listens on port 1: a call that goes there fails fast


def podman(*args, timeout=120):
    return subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def image():
    p = podman("image", "inspect", IMAGE)
    if p.returncode != 0:
        pytest.fail(f"the CodeBuild image {IMAGE} is not in podman's storage: run `make build-image`",
                    pytrace=False)
    return json.loads(p.stdout)[0]


def run_in_image(script, env=None, volumes=(), host_network=False, timeout=120):
    """bash -c script in a fresh container of the image (removed afterwards)."""
    args = ["run", "--rm", "--init"]
    if host_network:
        args += ["--network", "host"]
    for k, v in (env or {}).items():
        args += ["-e", f"{k}={v}"]
    for v in volumes:
        args += ["-v", v]
    return podman(*args, IMAGE, "bash", "-c", script, timeout=timeout)


def aws_env(hakobu, **extra):
    """What hakobu's CodeBuild runner gives a build: the endpoint, the region and credentials."""
    env = {"AWS_ENDPOINT_URL": hakobu.url, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    env.update(extra)
    return env


def ok(p):
    assert p.returncode == 0, f"rc={p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}"
    return p.stdout


# --- names and configuration ---

def test_aws_names_are_one_image_with_the_recipe_label(image):
    assert image["Labels"].get(RECIPE_LABEL), image["Labels"]
    for name in ALIASES:
        p = podman("image", "inspect", "--format", "{{.Id}}", name)
        assert p.returncode == 0, f"{name} missing: {p.stderr}"
        assert p.stdout.strip() == image["Id"], name
    config = image["Config"]
    assert "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" in config["Env"]
    assert "LANG=C.UTF-8" in config["Env"]
    assert config["Cmd"] == ["/bin/bash"]


def test_image_matches_the_current_recipe(image):
    # `make build-image` skips the build when this holds (the label carries the recipe's hash).
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    p = subprocess.run([os.path.join(root, "scripts", "build-image.sh"), "--check"], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, f"{IMAGE} is older than its recipe: run `make build-image`\n{p.stdout}{p.stderr}"
    assert "up to date" in p.stdout, p.stdout


# --- tools ---

TOOLS = {
    "bash --version": "GNU bash",
    "readlink -f /bin/sh": "/usr/bin/dash",
    "ls --version": "coreutils",
    "find --version": "GNU findutils",
    "grep --version": "GNU grep",
    "sed --version": "GNU sed",
    "awk -W version 2>&1": "mawk",
    "tar --version": "GNU tar",
    "gzip --version": "gzip",
    "zip -v": "Info-ZIP",
    "unzip -v": "UnZip",
    "ps --version": "procps-ng",
    "runuser --version": "util-linux",
    "su --version": "util-linux",
    "timeout --version": "coreutils",
    "git --version": "git version 2.",
    "curl --version": "curl 7.",
    "python3 --version": "Python 3.11",
    "python3 -m pytest --version 2>&1": "pytest 7.",
    "aws --version": "aws-cli/2.",
    "docker --version": "Docker version 20.10",
    "jq --version": "jq-1.",
}


@pytest.mark.parametrize("command", sorted(TOOLS))
def test_tool_is_present(image, command):
    assert TOOLS[command] in ok(run_in_image(command))


def test_no_container_engine_inside(image):
    # Only the docker CLI is taken from docker.io: no daemon, containerd or runc to start.
    out = ok(run_in_image("for b in containerd runc docker-proxy containerd-shim-runc-v2; do "
                          "command -v $b || echo no-$b; done; head -c 2 /usr/bin/dockerd"))
    assert out.split() == ["no-containerd", "no-runc", "no-docker-proxy", "no-containerd-shim-runc-v2", "#!"]


def test_what_build_scripts_rely_on(image):
    out = ok(run_in_image(
        'echo "home=$HOME"; id -un; stat -c "tmp=%a" /tmp; test -s /etc/ssl/certs/ca-certificates.crt && echo cabundle; '
        'runuser -u nobody -- id -un; su -s /bin/sh -c "id -un" nobody; '
        'git config --system --get safe.directory; '
        'python3 -c "import ssl, sqlite3, json, venv, boto3; print(\'py-ok\')"; '
        'printf "def test_x():\\n    assert 1\\n" > /tmp/test_x.py && cd /tmp && python3 -m pytest -q -p no:cacheprovider test_x.py | tail -1'))
    lines = out.splitlines()
    assert lines[:7] == ["home=/root", "root", "tmp=1777", "cabundle", "nobody", "nobody", "*"], out
    assert "py-ok" in lines and "1 passed" in lines[-1], out


# --- dockerd stand-in and the docker CLI ---

def test_dockerd_without_socket_says_privileged_mode_is_needed(image):
    for dockerd in ("/usr/bin/dockerd", "/usr/local/bin/dockerd", "dockerd"):
        p = run_in_image(f"{dockerd} -H tcp://127.0.0.1:2375 -H unix:///var/run/docker.sock")
        assert p.returncode == 1, p
        assert "privileged mode" in p.stderr, p
    p = run_in_image('timeout 3 sh -c "until docker info; do sleep 1; done"')
    assert p.returncode != 0


class PodmanApiSocket:
    """A private `podman system service` on a temporary socket (never the machine's own)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="hakobu-cbimage-")
        self.path = os.path.join(self.dir, "podman.sock")
        self.log = open(os.path.join(self.dir, "service.log"), "wb")
        self.proc = subprocess.Popen(["podman", "system", "service", "--time=0", "unix://" + self.path],
                                     stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.time() + 20
        while not self.ping():
            if self.proc.poll() is not None or time.time() > deadline:
                self.close()
                raise AssertionError("podman system service did not start")
            time.sleep(0.05)

    def ping(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.settimeout(2)
            s.connect(self.path)
            s.sendall(b"GET /_ping HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
        except OSError:
            return False
        finally:
            s.close()

    def request(self, method, path, body=None):
        """One HTTP/1.0 request on the socket: (status, parsed JSON body or text)."""
        data = json.dumps(body).encode() if body is not None else b""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.settimeout(30)
            s.connect(self.path)
            head = f"{method} {path} HTTP/1.0\r\nHost: d\r\nContent-Type: application/json\r\n" \
                   f"Content-Length: {len(data)}\r\n\r\n"
            s.sendall(head.encode() + data)
            raw = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                raw += chunk
        finally:
            s.close()
        header, _, payload = raw.partition(b"\r\n\r\n")
        status = int(header.split()[1])
        try:
            return status, json.loads(payload)
        except ValueError:
            return status, payload.decode(errors="replace")

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def engine_socket(image):
    service = PodmanApiSocket()
    yield service
    service.close()


def test_seed_buildspec_docker_steps_work_through_the_socket(engine_socket, tmp_path):
    tag = f"localhost/cbimage-probe-{uuid.uuid4().hex[:8]}:1"
    (tmp_path / "Dockerfile").write_text(f"FROM {IMAGE}\nRUN echo built > /probe\nCMD [\"cat\", \"/probe\"]\n")
    script = (
        # The seed's install phase, unchanged.
        "nohup /usr/bin/dockerd -H tcp://127.0.0.1:2375 -H unix:///var/run/docker.sock &\n"
        'timeout 15 sh -c "until docker info; do echo .; sleep 1; done" >/tmp/info.txt 2>&1 || exit 10\n'
        f"docker build -q -t {tag} /ctx >/dev/null || exit 11\n"
        f"docker images --format '{{{{.Repository}}}}:{{{{.Tag}}}}' | grep -qx '{tag}' || exit 12\n"
        f"docker run --rm {tag} || exit 13\n"
        'docker version --format "api={{.Server.APIVersion}}"\n'
        "grep -q 'Server Version' /tmp/info.txt || exit 14\n")
    try:
        p = run_in_image(script, volumes=[f"{engine_socket.path}:/var/run/docker.sock", f"{tmp_path}:/ctx"],
                         host_network=True, timeout=300)
        out = ok(p)
        assert "built" in out and "api=1.41" in out, out
    finally:
        podman("rmi", "--force", tag)
    assert podman("image", "exists", tag).returncode == 1


def test_dockerd_with_socket_starts_nothing_and_exits_zero(engine_socket):
    p = run_in_image("/usr/bin/dockerd -H tcp://127.0.0.1:2375 -H unix:///var/run/docker.sock; echo rc=$?; "
                     "ps -e -o comm= | grep -c dockerd || true",
                     volumes=[f"{engine_socket.path}:/var/run/docker.sock"])
    out = ok(p)
    assert "hakobu's container engine" in out and "/var/run/docker.sock" in out, out
    assert "rc=0" in out and out.split()[-1] == "0", out


def test_short_aws_name_resolves_to_the_local_image(engine_socket, image):
    # What hakobu's runner sends: the project's image name as AWS spells it.
    status, body = engine_socket.request("POST", "/v1.41/containers/create",
                                         {"Image": "aws/codebuild/standard:7.0", "Cmd": ["true"]})
    assert status == 201, body
    try:
        status, info = engine_socket.request("GET", f"/v1.41/containers/{body['Id']}/json")
        assert status == 200, info
        assert info["Image"] == image["Id"] or info["Image"] == "sha256:" + image["Id"], info["Image"]
        assert info["Config"]["Image"] == IMAGE
    finally:
        engine_socket.request("DELETE", f"/v1.41/containers/{body['Id']}?force=1")


# --- AWS_ENDPOINT_URL ---

def test_aws_cli_reaches_hakobu_through_aws_endpoint_url(image, hakobu):
    name = f"/cbimage/{uuid.uuid4().hex[:8]}"
    bucket = f"cbimage-{uuid.uuid4().hex[:8]}"
    script = (
        "set -e\n"
        "aws sts get-caller-identity --query Account --output text\n"
        f"aws ssm put-parameter --name {name} --value v1 --type String >/dev/null\n"
        f"aws ssm get-parameter --name {name} --query Parameter.Value --output text\n"
        f"aws s3 mb s3://{bucket} >/dev/null\n"
        f"echo hello > /tmp/f && aws s3 cp /tmp/f s3://{bucket}/f >/dev/null\n"
        "aws s3 ls | awk '{print $3}'\n"
        f"aws s3 cp s3://{bucket}/f -\n"
        'test -n "$(aws ecr get-login-password)" && echo ecr-password\n')
    out = ok(run_in_image(script, env=aws_env(hakobu), host_network=True))
    assert out.split() == ["000000000000", "v1", bucket, "hello", "ecr-password"], out


def test_service_specific_endpoint_wins_over_the_global_one(image, hakobu):
    env = aws_env(hakobu, AWS_ENDPOINT_URL=DEAD_ENDPOINT, AWS_ENDPOINT_URL_STS=hakobu.url)
    script = ("aws sts get-caller-identity --query Account --output text; "
              "aws ssm describe-parameters --cli-connect-timeout 2 >/dev/null 2>/tmp/err; echo ssm-rc=$?; cat /tmp/err")
    out = ok(run_in_image(script, env=env, host_network=True))
    assert out.splitlines()[0] == "000000000000", out
    assert "ssm-rc=0" not in out and "ssm-rc=" in out and "127.0.0.1:1" in out, out


def test_explicit_endpoint_and_ignore_setting_take_precedence(image, hakobu):
    env = aws_env(hakobu, AWS_ENDPOINT_URL=DEAD_ENDPOINT, AWS_ENDPOINT_URL_SSM=DEAD_ENDPOINT)
    script = (
        f"aws --endpoint-url {hakobu.url} sts get-caller-identity --query Account --output text\n"
        'python3 -c "import boto3; print(boto3.client(\'ssm\', endpoint_url=\'http://explicit:1\').meta.endpoint_url)"\n'
        'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true python3 -c '
        '"import boto3; print(boto3.client(\'ssm\').meta.endpoint_url)"\n')
    out = ok(run_in_image(script, env=env, host_network=True))
    assert out.split() == ["000000000000", "http://explicit:1", "https://ssm.us-east-1.amazonaws.com"], out


def test_boto3_reaches_hakobu_through_aws_endpoint_url(image, hakobu):
    script = ('python3 -c "import boto3\n'
              "print(boto3.client('sts').get_caller_identity()['Account'])\n"
              "print(boto3.client('s3').list_buckets()['ResponseMetadata']['HTTPStatusCode'])\"")
    out = ok(run_in_image(script, env=aws_env(hakobu), host_network=True))
    assert out.split() == ["000000000000", "200"], out


def test_without_aws_endpoint_url_clients_target_aws(image):
    out = ok(run_in_image('python3 -c "import boto3; print(boto3.client(\'ssm\', region_name=\'eu-west-1\')'
                          '.meta.endpoint_url)"'))
    assert out.strip() == "https://ssm.eu-west-1.amazonaws.com"


def test_codecommit_credential_helper(image, hakobu):
    port = hakobu.url.rsplit(":", 1)[1]
    helper = "aws codecommit credential-helper get"
    script = (
        f'printf "protocol=https\\nhost=git-codecommit.us-east-1.amazonaws.com\\npath=/v1/repos/r\\n\\n" | {helper}\n'
        f'echo ---; printf "protocol=http\\nhost=127.0.0.1:{port}\\npath=/v1/repos/r\\n\\n" | {helper}\n'
        f'echo ---; printf "protocol=https\\nhost=example.com\\npath=/r\\n\\n" | {helper}\n'
        "echo ---\n")
    out = ok(run_in_image(script, env=aws_env(hakobu), host_network=True))
    aws_host, hakobu_host, other_host, _ = out.split("---")
    for answer in (aws_host, hakobu_host):
        lines = answer.split()
        assert lines[0] == "username=test" and lines[1].startswith("password="), out
    assert other_host.strip() == "", out


def test_seed_git_setup_clones_and_pushes_to_hakobu(image, hakobu, client):
    repo = f"cbimage-{uuid.uuid4().hex[:8]}"
    client("codecommit").create_repository(repositoryName=repo)
    script = (
        "set -e\n"
        # The seed's pre_build command, unchanged.
        "git config --global credential.helper '!aws codecommit credential-helper $@' "
        "&&git config --global credential.UseHttpPath true &&git config --global user.email \"example@example.com\" "
        "&&git config --global user.name \"UNKO\"\n"
        f"cd /tmp && git clone -q {hakobu.url}/v1/repos/{repo} 2>/dev/null && cd {repo}\n"
        "echo hi > f && git add f && git commit -q -m first && git push -q origin HEAD:main 2>/dev/null\n"
        "git ls-remote origin refs/heads/main | cut -c1-40; git rev-parse HEAD\n")
    out = ok(run_in_image(script, env=aws_env(hakobu), host_network=True))
    remote, local = out.split()
    assert remote == local, out
