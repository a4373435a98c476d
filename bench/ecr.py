#!/usr/bin/env python3
"""ECR: hakobu's registry next to Debian's docker-registry (Distribution 2.8.2) on loopback.

See bench/README.md, section "ECR". Started by `bench/run.sh ecr`, which owns the temporary
directory and kills the process groups listed in its pids file on any exit; this script also
stops everything it started in a `finally`. Processes, servers and wrk come from bench.py, the
RSS sampler from s3.py.

One image (BENCH_ECR_LAYERS layers of BENCH_ECR_LAYER_MB MiB of random bytes each, as gzip
blobs, plus a config and an OCI manifest) is written once as an OCI layout directory. Each
round starts every server afresh on an empty data directory and runs, with skopeo:
  cold push   oci:LAYOUT:v1 -> docker://SERVER/...:v1 into the empty registry (VmRSS sampled)
  warm push   the same again: every blob exists, only HEADs and the manifest PUT
  pull        docker://SERVER/...:v1 -> oci:FRESH_DIR:v1
Medians over BENCH_ECR_RUNS rounds; the servers alternate which goes first. After the last
round, wrk sends HEAD /v2/<name>/manifests/v1 over 100 connections to each.
"""

import base64
import gzip
import hashlib
import io
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as b  # noqa: E402  (the SSM benchmark: processes, servers, wrk)
import s3  # noqa: E402  (the S3 benchmark: the RSS sampler)
from bench import BenchError, Stop, log  # noqa: E402

env_int = b.env_int
TARGETS = [t for t in os.environ.get("BENCH_TARGETS", "hakobu,registry").split(",") if t]
LAYERS = env_int("BENCH_ECR_LAYERS", 5)
LAYER_MB = env_int("BENCH_ECR_LAYER_MB", 40)  # MiB of random bytes per layer
RUNS = env_int("BENCH_ECR_RUNS", 3)  # rounds of cold push, warm push and pull (median)
HEAD_CONNECTIONS = env_int("BENCH_ECR_CONNECTIONS", 100)
SKOPEO = os.environ.get("SKOPEO", "skopeo")
REGISTRY_BINARY = os.environ.get("DOCKER_REGISTRY", "/usr/bin/docker-registry")
AB = os.environ.get("AB", "ab")  # ApacheBench (apache2-utils), for the HEAD run
# Distribution logs one "response completed" line per request at level info; hakobu runs with
# --no-access-log, so the peer's per-request log is off too unless asked for.
REGISTRY_LOG = os.environ.get("BENCH_ECR_REGISTRY_LOG", "warn")
SKOPEO_TIMEOUT_S = 600

REGION = b.REGION
REPO = "bench"
TAG = "v1"
MiB = 1 << 20
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"

# Targets (issue 4).
THROUGHPUT_X_PEER = 1.2
PUSH_RSS_MB = 64.0


# --- the image --------------------------------------------------------------------------------

def put_blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(layout, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return f"sha256:{digest}", len(data)


def layer_tar(i, size):
    """A tar of one file of `size` random bytes; gzip at level 0 (stored blocks): random bytes
    do not compress, and skopeo copies a gzip blob between oci: and docker: as it is."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(f"bench/layer-{i}.bin")
        info.size = size
        info.mtime = 0
        tar.addfile(info, io.BytesIO(os.urandom(size)))
    tar_bytes = raw.getvalue()
    return "sha256:" + hashlib.sha256(tar_bytes).hexdigest(), gzip.compress(tar_bytes, compresslevel=0, mtime=0)


def make_image(layout):
    """An OCI layout with one image tagged TAG; returns (manifest digest, blob digests, bytes)."""
    os.makedirs(os.path.join(layout, "blobs", "sha256"))
    layers, diff_ids = [], []
    for i in range(LAYERS):
        diff_id, blob = layer_tar(i, LAYER_MB * MiB)
        digest, size = put_blob(layout, blob)
        layers.append({"mediaType": OCI_LAYER, "digest": digest, "size": size})
        diff_ids.append(diff_id)
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    cfg_digest, cfg_size = put_blob(layout, config)
    manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                           "config": {"mediaType": OCI_CONFIG, "digest": cfg_digest, "size": cfg_size},
                           "layers": layers}).encode()
    man_digest, man_size = put_blob(layout, manifest)
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [{
            "mediaType": OCI_MANIFEST, "digest": man_digest, "size": man_size,
            "annotations": {"org.opencontainers.image.ref.name": TAG}}]}, f)
    blobs = {cfg_digest, man_digest} | {layer["digest"] for layer in layers}
    total = cfg_size + man_size + sum(layer["size"] for layer in layers)
    return man_digest, blobs, total


def layout_blobs(layout):
    return {"sha256:" + name for name in os.listdir(os.path.join(layout, "blobs", "sha256"))}


# --- servers ----------------------------------------------------------------------------------

class DockerRegistry(b.Server):
    """Distribution 2.8.2 with its own config (bench/README.md: machine.md §3), no auth."""
    name = "registry"
    health = "/v2/"

    def prepare(self, run_dir, port):
        conf = f"""version: 0.1
log: {{level: {REGISTRY_LOG}, accesslog: {{disabled: true}}}}
storage:
  filesystem: {{rootdirectory: {os.path.join(run_dir, 'registry-data')}}}
  delete: {{enabled: true}}
  cache: {{blobdescriptor: inmemory}}
http: {{addr: 127.0.0.1:{port}}}
"""
        with open(os.path.join(run_dir, "registry.yml"), "w") as f:
            f.write(conf)

    def argv(self, port, run_dir):
        return [REGISTRY_BINARY, "serve", os.path.join(run_dir, "registry.yml")]


SERVERS = {"hakobu": b.Hakobu, "registry": DockerRegistry}


class Target:
    """A started server and how skopeo and wrk reach its repository."""

    def __init__(self, name, procs, tmp):
        self.name = name
        self.srv = SERVERS[name](procs, tmp).start()
        self.port = self.srv.port
        self.password = None
        if name == "hakobu":
            self._ecr_setup()
        else:
            self.ref = f"127.0.0.1:{self.port}/{REPO}"
        self.manifest_path = f"/v2/{self.ref.split('/', 1)[1]}/manifests/{TAG}"

    def _ecr_setup(self):
        ecr = boto3.client("ecr", endpoint_url=f"http://127.0.0.1:{self.port}", region_name=REGION,
                           aws_access_key_id="test", aws_secret_access_key="test",
                           config=Config(retries={"max_attempts": 1}))
        uri = ecr.create_repository(repositoryName=REPO)["repository"]["repositoryUri"]
        token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
        user, self.password = base64.b64decode(token).decode().split(":", 1)
        if user != "AWS":
            raise BenchError(f"hakobu: the authorization token's user is {user!r}, not AWS")
        if not uri.startswith(f"127.0.0.1:{self.port}/"):
            raise BenchError(f"hakobu: repositoryUri {uri!r} is not on 127.0.0.1:{self.port}")
        self.ref = uri

    def auth_headers(self):
        if self.password is None:
            return {}
        return {"Authorization": "Basic " + base64.b64encode(f"AWS:{self.password}".encode()).decode()}

    def creds(self, side):
        """skopeo's credential flags for --src-* / --dest-*."""
        if self.password is None:
            return [f"--{side}-no-creds"]
        return [f"--{side}-creds", f"AWS:{self.password}"]

    def stop(self):
        """Stops the server and frees its data directory (bench.Server makes it as NAME-* in tmp;
        one server of each name runs at a time)."""
        self.srv.stop()
        for entry in os.listdir(self.srv.tmp):
            if entry.startswith(f"{self.srv.name}-"):
                shutil.rmtree(os.path.join(self.srv.tmp, entry), ignore_errors=True)


# --- skopeo -----------------------------------------------------------------------------------

def skopeo_env(tmp):
    """skopeo isolated from the machine's auth file and temporary directory."""
    env = dict(os.environ)
    auth = os.path.join(tmp, "auth.json")
    if not os.path.exists(auth):
        with open(auth, "w") as f:
            f.write('{"auths": {}}\n')
    env["REGISTRY_AUTH_FILE"] = auth
    env["TMPDIR"] = tmp
    return env


def cpu_s(pid):
    """CPU seconds (user + system) a process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def skopeo_copy(procs, tmp, tag, args, server_pid):
    """One `skopeo copy`: seconds from spawn to exit, and the CPU seconds skopeo and the server
    used meanwhile (steadier than wall time on a busy machine)."""
    argv = [SKOPEO, "--insecure-policy", "copy", "--quiet"] + args
    out = os.path.join(tmp, f"{tag}.skopeo.txt")
    with open(out, "wb") as f:
        server0, client0 = cpu_s(server_pid), resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = procs.spawn(argv, stdout=f, stderr=subprocess.STDOUT, env=skopeo_env(tmp))
        try:
            rc = p.wait(SKOPEO_TIMEOUT_S)  # reaps skopeo: its usage joins RUSAGE_CHILDREN
        except subprocess.TimeoutExpired:
            rc = None
        dt = time.perf_counter() - t0
        server1, client1 = cpu_s(server_pid), resource.getrusage(resource.RUSAGE_CHILDREN)
        procs.stop(p, signal.SIGKILL)
    if rc != 0:
        raise BenchError(f"{tag}: skopeo copy failed ({rc}):\n{b.tail(out)}")
    client = (client1.ru_utime + client1.ru_stime) - (client0.ru_utime + client0.ru_stime)
    return {"s": dt, "server_cpu": server1 - server0, "client_cpu": client}


def push(procs, tmp, tag, layout, t):
    return skopeo_copy(procs, tmp, tag, ["--dest-tls-verify=false"] + t.creds("dest")
                       + [f"oci:{layout}:{TAG}", f"docker://{t.ref}:{TAG}"], t.srv.proc.pid)


def pull(procs, tmp, tag, dest, t):
    return skopeo_copy(procs, tmp, tag, ["--src-tls-verify=false"] + t.creds("src")
                       + [f"docker://{t.ref}:{TAG}", f"oci:{dest}:{TAG}"], t.srv.proc.pid)


def head_manifest(t):
    status, headers, _ = s3.send(t.port, "HEAD", t.manifest_path,
                                 headers={"Accept": OCI_MANIFEST, **t.auth_headers()})
    return status, headers.get("Docker-Content-Digest")


def pull_dir_parent(tmp):
    """Where pulls land: BENCH_ECR_PULL_DIR (run.sh points it at a tmpfs, so the client's writes
    and fsyncs, skopeo's oci: destination syncs every blob, stay out of the server's time)."""
    return tempfile.mkdtemp(prefix="pull-", dir=os.environ.get("BENCH_ECR_PULL_DIR") or tmp)


# --- one round --------------------------------------------------------------------------------

def record(res, step, r):
    """Appends one skopeo run's numbers to the round lists (`summarize` takes the medians)."""
    for k, v in r.items():
        res.setdefault(f"{step}_{k}", []).append(v)


def round_for(name, i, procs, tmp, pulls, image, res):
    """A fresh server: cold push (RSS sampled), warm push, pull; checks each step."""
    layout, man_digest, blobs, total = image
    t = Target(name, procs, tmp)
    try:
        if i == 0:
            time.sleep(1.0)  # settle before the idle reading
            res["rss_idle_mb"] = t.srv.rss_kb() / 1024.0
        status, digest = head_manifest(t)
        if status != 404:
            raise BenchError(f"{name}: HEAD of the manifest in an empty registry answered {status}")
        with s3.Sampler(t.srv.proc.pid) as smp:
            r = push(procs, tmp, f"ecr-{name}-cold-{i}", layout, t)
        record(res, "cold", r)
        res["push_rss_mb"] = max(res.get("push_rss_mb", 0), smp.peak_rss / 1024.0)
        res["push_anon_mb"] = max(res.get("push_anon_mb", 0), smp.peak_anon / 1024.0)
        res["push_base_mb"] = max(res.get("push_base_mb", 0), smp.base_rss / 1024.0)
        status, digest = head_manifest(t)
        if status != 200 or digest != man_digest:
            raise BenchError(f"{name}: after the push, HEAD of the manifest answered {status} with "
                             f"Docker-Content-Digest {digest!r}, expected {man_digest}")
        log(f"{name} round {i + 1}: cold push {r['s']:.2f} s ({total / MiB / r['s']:.0f} MiB/s; CPU server "
            f"{r['server_cpu']:.2f} s, skopeo {r['client_cpu']:.2f} s), peak VmRSS {smp.peak_rss / 1024:.1f} MB "
            f"(before {smp.base_rss / 1024:.1f}), {smp.samples} samples")

        r = push(procs, tmp, f"ecr-{name}-warm-{i}", layout, t)
        record(res, "warm", r)
        log(f"{name} round {i + 1}: warm push {r['s']:.2f} s")

        dest = os.path.join(pulls, f"{name}-{i}")
        r = pull(procs, tmp, f"ecr-{name}-pull-{i}", dest, t)
        got = layout_blobs(dest)
        shutil.rmtree(dest, ignore_errors=True)
        if got != blobs:
            raise BenchError(f"{name}: the pulled layout holds {sorted(got)}, expected {sorted(blobs)}")
        record(res, "pull", r)
        log(f"{name} round {i + 1}: pull {r['s']:.2f} s ({total / MiB / r['s']:.0f} MiB/s; CPU server "
            f"{r['server_cpu']:.2f} s, skopeo {r['client_cpu']:.2f} s)")
        if t.srv.proc.poll() is not None:
            raise BenchError(f"{name} died during the round:\n{b.tail(t.srv.log_path)}")
        return t
    except BaseException:
        t.stop()
        raise


def announces_keep_alive(t):
    """Whether the server answers an HTTP/1.0 `Connection: Keep-Alive` HEAD (what ab -k sends)
    with `Connection: keep-alive`. ab closes nothing it was not told is persistent: it waits for
    the server to close, so a server that keeps the connection silently hangs ab -k."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in t.auth_headers().items())
    with socket.create_connection(("127.0.0.1", t.port), timeout=5) as sock:
        sock.sendall(f"HEAD {t.manifest_path} HTTP/1.0\r\nHost: 127.0.0.1:{t.port}\r\nAccept: {OCI_MANIFEST}\r\n"
                     f"Connection: Keep-Alive\r\n{extra}\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(65536)
            if not chunk:
                break
            head += chunk
    lines = head.decode("latin-1").split("\r\n")
    return any(line.lower().startswith("connection:") and "keep-alive" in line.lower() for line in lines[1:])


def run_ab(procs, tmp, tag, port, path, headers, conns, keep_alive):
    """ApacheBench `-i` (HEAD; wrk cannot: its parser waits for the Content-Length body a HEAD
    answer announces but never sends) for b.DURATION seconds; req/s and the median latency (ms)
    from ab's percentile table."""
    csv = os.path.join(tmp, f"{tag}.ab.csv")
    argv = [AB, "-i"] + (["-k"] if keep_alive else []) + [
        "-q", "-c", str(conns), "-t", str(b.DURATION), "-n", "100000000", "-e", csv]
    for k, v in headers.items():
        argv += ["-H", f"{k}: {v}"]
    argv.append(f"http://127.0.0.1:{port}{path}")
    log(f"{tag}: {' '.join('Authorization: Basic ...' if a.startswith('Authorization') else a for a in argv)}")
    p = procs.spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        text, _ = p.communicate(timeout=b.DURATION + 60)
    finally:
        procs.stop(p, signal.SIGKILL)
    with open(os.path.join(tmp, f"{tag}.ab.txt"), "w") as f:
        f.write(text)

    def field(label):
        m = re.search(rf"^{label}:\s+([\d.]+)", text, re.M)
        return float(m.group(1)) if m else None

    done, rps = field("Complete requests"), field("Requests per second")
    if p.returncode != 0 or not done or rps is None:
        raise BenchError(f"{tag}: ab failed ({p.returncode}):\n{text}")
    bad = (field("Failed requests") or 0) + (field("Non-2xx responses") or 0)
    if bad:
        raise BenchError(f"{tag}: {bad:.0f} failed or non-2xx answers; not a valid measurement:\n{text}")
    with open(csv) as f:
        p50 = next(float(line.split(",")[1]) for line in f if line.split(",")[0] == "50")
    return {"rps": rps, "requests": int(done), "p50_ms": p50}


def manifest_reads(targets, procs, tmp, results, info):
    """HEAD (ab) and GET (wrk) of the manifest by tag over HEAD_CONNECTIONS connections. The
    HEAD runs use keep-alive only if every server announces it, so both are measured alike."""
    for name, t in targets.items():
        status, _ = head_manifest(t)
        if status != 200:
            raise BenchError(f"{name}: HEAD of the manifest answered {status} before the load run")
    silent = [name for name, t in targets.items() if not announces_keep_alive(t)]
    keep_alive = not silent
    if silent:
        info.append(f"{', '.join(silent)} kept an HTTP/1.0 keep-alive connection open without answering "
                    f"`Connection: keep-alive`, which hangs ab -k: every HEAD run used a new connection "
                    f"per request (ab without -k)")
    for name, t in targets.items():
        res = results[name]
        headers = {"Accept": OCI_MANIFEST, **t.auth_headers()}
        r = run_ab(procs, tmp, f"ecr-{name}-head", t.port, t.manifest_path, headers, HEAD_CONNECTIONS, keep_alive)
        res["head_rps"] = r["rps"]
        res["head_p50_ms"] = r["p50_ms"]
        req = {"method": "GET", "path": t.manifest_path, "body": "",
               "headers": {"Host": f"127.0.0.1:{t.port}", **headers}}
        r = b.run_wrk(procs, tmp, f"ecr-{name}-get", t.port, req, b.THREADS, HEAD_CONNECTIONS, latency=True)
        res["get_rps"] = r["rps"]
        res["get_p50_ms"] = r["p50_us"] / 1000.0
        res["get_socket_errors"] = r.get("socket_errors")
        if t.srv.proc.poll() is not None:
            raise BenchError(f"{name} died during the run:\n{b.tail(t.srv.log_path)}")
    return keep_alive


# --- report -----------------------------------------------------------------------------------

# (label, key, unit, which way is good, target on the hakobu/registry ratio or on hakobu alone)
ROWS = [
    ("cold push, throughput", "cold_mibs", "MiB/s", "higher", ("ratio", THROUGHPUT_X_PEER)),
    ("cold push, time", "cold_s", "s", "lower", None),
    ("cold push, server CPU", "cold_server_cpu", "s", "lower", None),
    ("cold push, skopeo CPU", "cold_client_cpu", "s", "lower", None),
    ("warm push (blobs exist), time", "warm_s", "s", "lower", None),
    ("pull, throughput", "pull_mibs", "MiB/s", "higher", ("ratio", THROUGHPUT_X_PEER)),
    ("pull, time", "pull_s", "s", "lower", None),
    ("pull, server CPU", "pull_server_cpu", "s", "lower", None),
    ("pull, skopeo CPU", "pull_client_cpu", "s", "lower", None),
    (f"manifest HEAD, c{HEAD_CONNECTIONS}", "head_rps", "req/s", "higher", None),
    (f"manifest HEAD p50 latency, c{HEAD_CONNECTIONS}", "head_p50_ms", "ms", "lower", None),
    (f"manifest GET, c{HEAD_CONNECTIONS}", "get_rps", "req/s", "higher", None),
    (f"manifest GET p50 latency, c{HEAD_CONNECTIONS}", "get_p50_ms", "ms", "lower", None),
    ("idle RSS after start", "rss_idle_mb", "MB", "lower", None),
    ("RSS just before the cold push", "push_base_mb", "MB", "lower", None),
    ("peak RSS during the cold push", "push_rss_mb", "MB", "lower", ("below", PUSH_RSS_MB)),
]


def fmt(v, unit):
    if v is None:
        return "-"
    if unit in ("req/s", "MiB/s"):
        return f"{v:,.0f}"
    if unit in ("s", "ms"):
        return f"{v:.3f}" if v < 10 else f"{v:.1f}"
    return f"{v:,.1f}"


def verdict(target, h, r):
    if target is None:
        return ""
    kind, limit = target
    if kind == "ratio":
        desc = f">= {limit}x registry"
        ok = None if h is None or not r else h / r >= limit
    else:
        desc = f"< {limit:.0f} MB"
        ok = None if h is None else h < limit
    return f"{desc}: {'n/a' if ok is None else 'PASS' if ok else 'MISS'}"


def report(results, total, loadavg, info, keep_alive):
    def val(t, k):
        return results.get(t, {}).get(k)

    header = ["metric", "unit", "hakobu", "registry", "hakobu/registry", "ratio is good when", "target"]
    table, missed = [], []
    for label, key, unit, better, target in ROWS:
        h, r = val("hakobu", key), val("registry", key)
        v = verdict(target, h, r)
        if v.endswith("MISS"):
            missed.append(f"{label} ({v[:-6]})")
        table.append([label, unit, fmt(h, unit), fmt(r, unit), s3.ratio(h, r), better, v])
    b.print_table(header, table, left=(0, 1, 5, 6))
    print()
    print(f"image: {LAYERS} layers x {LAYER_MB} MiB random (gzip, stored) + config + OCI manifest = "
          f"{total / MiB:.1f} MiB; skopeo copy oci: -> docker:// (push) and docker:// -> oci: (pull); "
          f"times spawn to exit, median of {RUNS} rounds, each on a fresh server and empty data dir; "
          f"MiB/s = image size / time; CPU = user + system seconds meanwhile (server: /proc/PID/stat; "
          f"skopeo: its rusage); MB = MiB.")
    ab = f"ab -i{' -k' if keep_alive else ''} -c{HEAD_CONNECTIONS} -t{b.DURATION}"
    print(f"manifest by tag: HEAD with {ab}, GET with wrk -t{b.THREADS} -c{HEAD_CONNECTIONS} -d{b.DURATION}s "
          f"--latency; Accept: {OCI_MANIFEST} (hakobu: Basic AWS:<token>); RSS: VmRSS every "
          f"{s3.SAMPLE_S * 1000:.0f} ms during the cold push; docker-registry log level {REGISTRY_LOG}; "
          f"{os.cpu_count()} CPUs.")
    for t in ("hakobu", "registry"):
        for k in ("cold_s", "warm_s", "pull_s"):
            if val(t, k + "_all"):
                print(f"note: {t} {k[:-2]} runs (s): {', '.join(f'{x:.3f}' for x in val(t, k + '_all'))}")
        if val(t, "push_anon_mb") is not None:
            print(f"note: {t} peak RssAnon during the cold push: {val(t, 'push_anon_mb'):.1f} MB")
        if val(t, "get_socket_errors"):
            print(f"note: {t} manifest GET: socket errors {val(t, 'get_socket_errors')}")
    for n in info:
        print(f"note: {n}")
    # The value after includes this run's own load (skopeo, the servers, ab and wrk on 2 CPUs).
    print(f"load average (1 min) before the run: {loadavg[0]:.2f}, after: {loadavg[1]:.2f} (with the run's own)"
          + (" -- WARNING: the machine was busy with other work; numbers are unreliable"
             if loadavg[0] > 1.0 else ""))
    return missed


# --- main -------------------------------------------------------------------------------------

def summarize(res, total):
    for k in [k for k in res if k.split("_", 1)[0] in ("cold", "warm", "pull")]:
        if k.endswith("_s"):
            res[k + "_all"] = res[k]
        res[k] = statistics.median(res[k])
    if "cold_s" in res:
        res["cold_mibs"] = total / MiB / res["cold_s"]
    if "pull_s" in res:
        res["pull_mibs"] = total / MiB / res["pull_s"]


def main():
    tmp = os.environ.get("BENCH_TMP") or tempfile.mkdtemp(prefix="hakobu-bench-ecr-")
    pids_file = os.environ.get("BENCH_PIDS_FILE") or os.path.join(tmp, "pids")
    for t in TARGETS:
        if t not in SERVERS:
            raise BenchError(f"unknown target {t!r} in BENCH_TARGETS (hakobu, registry)")
    if "hakobu" in TARGETS and not os.access(b.HAKOBU_BINARY, os.X_OK):
        raise BenchError(f"no hakobu binary at {b.HAKOBU_BINARY}: build it, set HAKOBU_BINARY, or set "
                         f"BENCH_TARGETS=registry")
    procs = b.Procs(pids_file)
    results = {t: {} for t in TARGETS}
    order = [t for t in ("hakobu", "registry") if t in TARGETS]
    load0 = os.getloadavg()[0]
    pulls = None
    info = []
    keep_alive = True
    try:
        layout = os.path.join(tmp, "image")
        t0 = time.perf_counter()
        man_digest, blobs, total = make_image(layout)
        log(f"image: {total / MiB:.1f} MiB in {len(blobs)} blobs, written in {time.perf_counter() - t0:.1f} s")
        image = (layout, man_digest, blobs, total)
        pulls = pull_dir_parent(tmp)
        last = {}
        for i in range(RUNS):
            # Alternate who goes first, so a change in the machine's load hits both alike.
            for name in (order if i % 2 == 0 else order[::-1]):
                if name in last:
                    last.pop(name).stop()
                try:
                    last[name] = round_for(name, i, procs, tmp, pulls, image, results[name])
                except (BotoCoreError, ClientError) as e:
                    raise BenchError(f"{name}: {e}") from e
        keep_alive = manifest_reads({name: last[name] for name in order}, procs, tmp, results, info)
        for name in order:
            summarize(results[name], total)
    finally:
        procs.stop_all()
        if pulls:
            shutil.rmtree(pulls, ignore_errors=True)
        if not os.environ.get("BENCH_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)

    missed = report(results, total, (load0, os.getloadavg()[0]), info, keep_alive)
    return b.finish(missed, {"results": results, "notes": info})


if __name__ == "__main__":
    b.run(main)
