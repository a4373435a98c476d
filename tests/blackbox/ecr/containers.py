"""Isolated container tools (podman, skopeo, buildah's builder inside podman, the docker CLI
through podman's API service) for ECR's black-box tests.

Every ContainerEnv owns everything the tools would otherwise share with the machine:
  - podman storage: --root/--runroot/--tmpdir under its own temp dir (also CONTAINERS_STORAGE_CONF,
    so skopeo's containers-storage: transport sees the same store), removed with rm -rf at the
    end (never `podman system reset`: it wipes the machine-wide /run/libpod);
  - registries.conf (CONTAINERS_REGISTRIES_CONF) with `insecure` entries for the plain-HTTP
    registries under test (hakobu's test ports), nothing system-wide. podman and its API service
    read it; skopeo 1.9 does not (and has no --registries-conf), so skopeo commands need
    --tls-verify=false / --src-tls-verify=false / --dest-tls-verify=false;
  - the auth file (REGISTRY_AUTH_FILE) that `podman login` writes and podman/skopeo read;
  - TMPDIR, where podman and skopeo stage layers.
A PodmanService serves the Docker Engine API for one env on a private unix socket; the docker CLI
talks to it with its own DOCKER_CONFIG (config.json auths: docker login can't work against an
http registry through podman's /auth).

Fixtures (import the ones a test module uses):
  container_session  session-wide env holding the local busybox image (BUSYBOX)
  podman_env         container_session, made ready for the `hakobu` fixture's registry: its
                     host is an insecure registry, the auth file is emptied
  fresh_env          a new, empty env (its own storage): pull here to prove a push is complete
  docker_cli         factory: docker_cli(env) -> DockerCli on a podman service for env
The tools are required: if one is missing the tests fail (scripts/install-deps.sh installs them).
"""
import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from ecr_helpers import DOCKER_MANIFEST, OCI_MANIFEST  # noqa: F401 (re-exported)
from ecr_helpers import login_password as ecr_password

PODMAN = "/usr/bin/podman"
SKOPEO = "/usr/bin/skopeo"
DOCKER = "/usr/local/bin/docker"
BUSYBOX_BIN = "/bin/busybox"
BUSYBOX = "localhost/busybox:latest"


def require_tools(*paths):
    missing = [p for p in paths if not os.access(p, os.X_OK)]
    if missing:
        hint = ("run scripts/install-deps.sh (installs podman, skopeo, buildah, runc, busybox-static and "
                "configures them)")
        if DOCKER in missing:
            hint += f"; {DOCKER} is the Docker CLI (28.x) these machines ship (no Debian package has it)"
        pytest.fail(f"container tools missing: {', '.join(missing)}: {hint}")


class ToolError(AssertionError):
    def __init__(self, cmd, proc):
        self.proc = proc
        super().__init__(f"{' '.join(cmd)} failed (rc={proc.returncode})\nstdout: {proc.stdout[-4000:]}\n"
                         f"stderr: {proc.stderr[-4000:]}")


def run(cmd, env, check=True, input=None, timeout=300):
    proc = subprocess.run(cmd, env=env, input=input, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise ToolError(cmd, proc)
    return proc


def basic_auth(username, password):
    return base64.b64encode(f"{username}:{password}".encode()).decode()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def host_of(url):
    """'http://127.0.0.1:4566' -> '127.0.0.1:4566'."""
    return url.split("://", 1)[-1].rstrip("/")


class ContainerEnv:
    def __init__(self, prefix="hakobu-ctr-"):
        require_tools(PODMAN, SKOPEO)
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.root = os.path.join(self.dir, "root")
        self.runroot = os.path.join(self.dir, "runroot")
        self.tmpdir = os.path.join(self.dir, "libpod-tmp")
        self.staging = os.path.join(self.dir, "staging")
        for d in (self.root, self.runroot, self.tmpdir, self.staging):
            os.makedirs(d)
        self.storage_conf = os.path.join(self.dir, "storage.conf")
        with open(self.storage_conf, "w") as f:
            f.write(f'[storage]\ndriver = "overlay"\ngraphroot = "{self.root}"\nrunroot = "{self.runroot}"\n')
        self.registries_conf = os.path.join(self.dir, "registries.conf")
        self.auth_file = os.path.join(self.dir, "auth.json")
        self.insecure = []
        self._write_registries_conf()
        self.clear_auth()

    # --- configuration -------------------------------------------------------------------

    def _write_registries_conf(self):
        lines = ["unqualified-search-registries = []", ""]
        for host in self.insecure:
            lines += ["[[registry]]", f'location = "{host}"', "insecure = true", ""]
        with open(self.registries_conf, "w") as f:
            f.write("\n".join(lines))

    def allow_insecure(self, host):
        """Lets podman (CLI and API service) talk plain HTTP to host ('127.0.0.1:PORT'); skopeo
        needs its --tls-verify=false flags. Returns whether the file changed (a running
        PodmanService must then be restarted to see it)."""
        if host in self.insecure:
            return False
        self.insecure.append(host)
        self._write_registries_conf()
        return True

    def clear_auth(self):
        with open(self.auth_file, "w") as f:
            f.write('{"auths": {}}\n')

    def env(self, extra=None):
        e = dict(os.environ)
        for k in ("DOCKER_HOST", "DOCKER_CONFIG", "CONTAINERS_CONF", "CONTAINER_HOST", "CONTAINER_CONNECTION"):
            e.pop(k, None)
        e.update({
            "CONTAINERS_STORAGE_CONF": self.storage_conf,
            "CONTAINERS_REGISTRIES_CONF": self.registries_conf,
            "REGISTRY_AUTH_FILE": self.auth_file,
            "TMPDIR": self.staging,
        })
        if extra:
            e.update(extra)
        return e

    @property
    def podman_args(self):
        return [PODMAN, "--root", self.root, "--runroot", self.runroot, "--tmpdir", self.tmpdir,
                "--cgroup-manager", "cgroupfs", "--events-backend", "file"]

    # --- tools ---------------------------------------------------------------------------

    def podman(self, *args, check=True, input=None, timeout=300):
        return run(self.podman_args + [str(a) for a in args], self.env(), check=check, input=input, timeout=timeout)

    def skopeo(self, *args, check=True, timeout=300):
        return run([SKOPEO] + [str(a) for a in args], self.env(), check=check, timeout=timeout)

    def storage_ref(self, image):
        """skopeo's name for an image of this env's storage."""
        return f"containers-storage:[overlay@{self.root}+{self.runroot}]{image}"

    def login(self, host, password, username="AWS", check=True):
        return self.podman("login", "--username", username, "--password-stdin", host, input=password + "\n",
                           check=check)

    def import_busybox(self, ref=BUSYBOX):
        """machine.md §1: a busybox image with every applet, from the host's static busybox."""
        require_tools(BUSYBOX_BIN)
        rootfs = os.path.join(self.dir, "busybox-rootfs")
        for d in ("bin", "etc", "tmp"):
            os.makedirs(os.path.join(rootfs, d), exist_ok=True)
        shutil.copy2(BUSYBOX_BIN, os.path.join(rootfs, "bin", "busybox"))
        applets = run([BUSYBOX_BIN, "--list"], os.environ).stdout.split()
        for a in applets:
            if a != "busybox" and not os.path.lexists(os.path.join(rootfs, "bin", a)):
                os.symlink("busybox", os.path.join(rootfs, "bin", a))
        with open(os.path.join(rootfs, "etc", "passwd"), "w") as f:
            f.write("root:x:0:0:root:/root:/bin/sh\n")
        with open(os.path.join(rootfs, "etc", "group"), "w") as f:
            f.write("root:x:0:\n")
        os.chmod(os.path.join(rootfs, "tmp"), 0o1777)
        tar = os.path.join(self.dir, "busybox.tar")
        run(["tar", "-C", rootfs, "-cf", tar, "."], os.environ)
        self.podman("import", "--change", 'CMD ["/bin/sh"]', "--change", "ENV PATH=/bin:/usr/bin:/sbin:/usr/sbin",
                    tar, ref)
        shutil.rmtree(rootfs)
        os.unlink(tar)
        return ref

    def build(self, tag, dockerfile, files=None, args=()):
        """podman build of a context holding `Dockerfile` and files {name: bytes|str}."""
        ctx = tempfile.mkdtemp(prefix="ctx-", dir=self.dir)
        try:
            with open(os.path.join(ctx, "Dockerfile"), "w") as f:
                f.write(dockerfile)
            for name, data in (files or {}).items():
                mode = "wb" if isinstance(data, bytes) else "w"
                with open(os.path.join(ctx, name), mode) as f:
                    f.write(data)
            self.podman("build", "-q", "--network", "none", "-t", tag, *args, ctx)
        finally:
            shutil.rmtree(ctx, ignore_errors=True)
        return tag

    def run_image(self, image, *cmd):
        """podman run --rm; returns stdout."""
        return self.podman("run", "--rm", "--network", "none", image, *cmd).stdout

    def image_id(self, image):
        return self.podman("image", "inspect", "--format", "{{.Id}}", image).stdout.strip()

    def has_image(self, image):
        return self.podman("image", "exists", image, check=False).returncode == 0

    def push(self, image, dest, *args, check=True):
        """podman push; returns (the pushed manifest's digest, the process)."""
        digestfile = os.path.join(self.staging, "digest")
        if os.path.exists(digestfile):
            os.unlink(digestfile)
        p = self.podman("push", "--digestfile", digestfile, *args, image, dest, check=check)
        digest = None
        if os.path.exists(digestfile):
            with open(digestfile) as f:
                digest = f.read().strip()
        return digest, p

    # --- cleanup -------------------------------------------------------------------------

    def _unmount_all(self):
        with open("/proc/self/mounts") as f:
            points = [line.split()[1] for line in f]
        # Deepest first; /proc/mounts escapes spaces as \040, which our temp paths never contain.
        for mp in sorted((p for p in points if p.startswith(self.dir + "/")), key=len, reverse=True):
            subprocess.run(["umount", "-l", mp], capture_output=True)

    def cleanup(self):
        if not os.path.isdir(self.dir):
            return
        self.podman("rm", "--all", "--force", "--time", "0", check=False, timeout=60)
        self._unmount_all()
        shutil.rmtree(self.dir, ignore_errors=True)


class PodmanService:
    """`podman system service` for one env on a private unix socket (never the machine's
    /run/podman/podman.sock, which other programs may use)."""

    def __init__(self, env: ContainerEnv):
        self.env = env
        self.socket = os.path.join(env.dir, "podman.sock")
        self.log_path = os.path.join(env.dir, "podman-service.log")
        self.proc = None
        self.start()

    def start(self):
        if os.path.exists(self.socket):
            os.unlink(self.socket)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.env.podman_args + ["system", "service", "--time=0", "unix://" + self.socket],
                                     env=self.env.env(), stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"podman system service exited with {self.proc.returncode}:\n{self.logs()}")
            if self._ping():
                return
            time.sleep(0.02)
        raise RuntimeError("podman system service did not answer /_ping:\n" + self.logs())

    def _ping(self):
        if not os.path.exists(self.socket):
            return False
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.settimeout(2)
            s.connect(self.socket)
            s.sendall(b"GET /_ping HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.startswith(b"HTTP/1.1 200") and data.endswith(b"OK")
        except OSError:
            return False
        finally:
            s.close()

    def logs(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self.log.closed:
            self.log.close()

    def restart(self):
        """To see a changed registries.conf."""
        self.stop()
        self.start()


class DockerCli:
    """The real docker CLI (28.x) talking to a PodmanService, with its own DOCKER_CONFIG."""

    def __init__(self, service: PodmanService):
        require_tools(DOCKER)
        self.service = service
        self.config_dir = os.path.join(service.env.dir, "docker-config")
        os.makedirs(self.config_dir, exist_ok=True)
        self.auths = {}
        self._write_config()

    def _write_config(self):
        with open(os.path.join(self.config_dir, "config.json"), "w") as f:
            json.dump({"auths": self.auths}, f)

    def set_auth(self, host, password, username="AWS"):
        """What `docker login` would store (it can't log in to an http registry via podman)."""
        self.auths[host] = {"auth": basic_auth(username, password)}
        self._write_config()

    def __call__(self, *args, check=True, timeout=300):
        env = self.service.env.env({"DOCKER_HOST": "unix://" + self.service.socket, "DOCKER_CONFIG": self.config_dir,
                                    "DOCKER_CLI_HINTS": "false"})
        return run([DOCKER] + [str(a) for a in args], env, check=check, timeout=timeout)


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def container_session():
    env = ContainerEnv(prefix="hakobu-ctr-session-")
    try:
        env.import_busybox()
        yield env
    finally:
        env.cleanup()


@pytest.fixture
def podman_env(container_session, hakobu):
    container_session.allow_insecure(host_of(hakobu.url))
    container_session.clear_auth()
    return container_session


@pytest.fixture
def fresh_env():
    env = ContainerEnv(prefix="hakobu-ctr-fresh-")
    yield env
    env.cleanup()


@pytest.fixture
def docker_cli():
    services = []

    def make(env):
        service = PodmanService(env)
        services.append(service)
        return DockerCli(service)

    yield make
    for s in services:
        s.stop()


# --- ECR helpers -----------------------------------------------------------------------------


def create_repository(server, name, creds, **kwargs):
    """Creates an ECR repository; returns its repositoryUri (<host>/<account>/<name>)."""
    repository = server.client("ecr", creds=creds).create_repository(repositoryName=name, **kwargs)["repository"]
    return repository["repositoryUri"]


def login_to(env, server, creds):
    """podman login (writes env's auth file) to server's registry with creds' ECR password."""
    host = host_of(server.url)
    env.allow_insecure(host)
    password = ecr_password(server, creds)
    env.login(host, password)
    return password


def manifest_layers_size(raw_manifest):
    return sum(layer["size"] for layer in json.loads(raw_manifest)["layers"])


APP_DOCKERFILE = """FROM localhost/busybox:latest
COPY greeting.txt /greeting.txt
RUN echo "built-$((6 * 7))" > /built.txt
CMD ["sh", "-c", "cat /greeting.txt /built.txt"]
"""


def build_app(env, tag, greeting):
    """A small busybox-based image whose CMD prints `greeting` then `built-42`."""
    env.build(tag, APP_DOCKERFILE, {"greeting.txt": greeting + "\n"})
    return f"{greeting}\nbuilt-42\n"
