#!/usr/bin/env python3
"""CodeBuild: the overhead hakobu adds to a build, next to a bare `podman run` of the same commands.

See bench/README.md, section "CodeBuild (issue 6)". Started by `make bench-codebuild` (or run
directly). Processes come from bench.py: hakobu, the peer's podman service and `podman run` are
started in their own sessions and stopped by their process groups in a `finally` (the tracing
proxy is a thread, its socket in the temporary directory); hakobu's own
podman service (its child in another session) is checked through <data_dir>/podman.pid and stopped
if it outlives hakobu; every container made here is removed; the temporary directory goes at the end.

One project (NO_SOURCE, the buildspec below, image aws/codebuild/standard:7.0 = the local image
localhost/aws/codebuild/standard:7.0) runs BENCH_CB_RUNS builds after one warm-up build (which also
starts hakobu's podman service: reported apart as the cold start). The same three commands run as:
  hakobu    StartBuild (boto3) ... SUCCEEDED seen by the client, which long-polls
            GET /_hakobu/events?source=aws.codebuild&detail-type=CodeBuild Build State Change
  podman    `podman run --rm --network host --init IMAGE sh -c 'CMDS'`, spawn ... exit
  api       the Docker API through a podman service of our own (its socket): create, start, logs
            (follow) and wait, remove; what hakobu's runner does, with nothing else around it
Rounds run each of them once, in turn, the first one rotating. Each run's first and last command
print `date +%s.%N`: "start" is t0 -> the first date, "end" the
last date -> done, "between" the first date -> the last one (hakobu's driver runs each command in
a subshell and saves its state, sh -c runs them in a row).

Breakdown (BENCH_CB_TRACE_RUNS builds, 0 skips it): a second hakobu whose --container-socket is a
logging proxy in front of the peer's podman service, so every Docker API call the runner makes
(image inspect, create, start, logs, wait, remove) is timed without changing hakobu; with the
phases' times from BatchGetBuilds and the driver's own log lines this gives where a build's time
goes.
"""

import datetime
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as b  # noqa: E402  (processes, servers, tables)
from bench import BenchError, log  # noqa: E402

env_int = b.env_int
RUNS = env_int("BENCH_CB_RUNS", 10)
TRACE_RUNS = env_int("BENCH_CB_TRACE_RUNS", 5)
TARGETS = [t for t in os.environ.get("BENCH_TARGETS", "hakobu,podman,api").split(",") if t]
IMAGE = os.environ.get("BENCH_CB_IMAGE", "aws/codebuild/standard:7.0")
LOCAL_IMAGE = "localhost/" + IMAGE
PODMAN = os.environ.get("PODMAN", "podman")
COMMANDS = ["date +%s.%N", "echo hello", "date +%s.%N"]
BUILD_TIMEOUT_S = 120
API = "/v1.41"

REGION = b.REGION
ACCOUNT = "000000000000"
PROJECT = "bench"
ROLE = "bench-codebuild"
TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
TARGET_ADDED_S = 0.5  # issue 6: under 0.5 s added per build
LABEL = "hakobu-bench"  # on the peer's containers, to find any left behind

DATE_RE = re.compile(r"^\d{9,}\.\d+$")
AGENT_RE = re.compile(r"^\[Container\] (\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+) (.*)$")


def buildspec():
    lines = ["version: 0.2", "phases:", "  build:", "    commands:"]
    lines += [f"      - {json.dumps(c)}" for c in COMMANDS]
    return "\n".join(lines) + "\n"


def shell_script():
    return "; ".join(COMMANDS)


def dates_in(lines):
    found = [float(x.strip()) for x in lines if DATE_RE.match(x.strip())]
    if len(found) < 2:
        raise BenchError(f"expected two `date +%s.%N` lines in the output, got: {lines!r}")
    return found[0], found[-1]


def agent_time(stamp):
    dt = datetime.datetime.strptime(stamp, "%Y/%m/%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


def epoch(value):
    """BatchGetBuilds times: boto3 gives datetimes."""
    return value.timestamp() if hasattr(value, "timestamp") else float(value)


# --- the Docker API over a unix socket ----------------------------------------------------------

class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=BUILD_TIMEOUT_S):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.path)
        self.sock = s


def api_call(sock_path, method, path, body=None):
    """One request on a new connection, as hakobu's DockerClient makes them: (status, body)."""
    conn = UnixHTTPConnection(sock_path)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, API + path, body=json.dumps(body) if body is not None else None, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def demux(raw):
    """Docker's multiplexed log stream (8-byte frame headers) -> text."""
    out, i = [], 0
    while i + 8 <= len(raw):
        n = int.from_bytes(raw[i + 4:i + 8], "big")
        out.append(raw[i + 8:i + 8 + n])
        i += 8 + n
    return b"".join(out).decode(errors="replace")


class PodmanService:
    """`podman system service --time=0 unix://SOCK` of our own, in its own session."""

    def __init__(self, procs, tmp, name):
        self.procs, self.sock = procs, os.path.join(tmp, f"{name}.sock")
        self.log_path = os.path.join(tmp, f"{name}.log")
        self.proc = None

    def start(self):
        with open(self.log_path, "ab") as logf:
            self.proc = self.procs.spawn([PODMAN, "system", "service", "--time=0", "unix://" + self.sock],
                                         stdout=logf, stderr=logf)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"podman system service exited:\n{b.tail(self.log_path)}")
            try:
                conn = UnixHTTPConnection(self.sock, timeout=2)
                conn.request("GET", "/_ping")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                time.sleep(0.02)
        raise BenchError(f"podman system service did not answer /_ping:\n{b.tail(self.log_path)}")

    def stop(self):
        if self.proc:
            self.procs.stop(self.proc, timeout=15.0)
            self.proc = None


# --- the peers ----------------------------------------------------------------------------------

def run_podman_cli(procs):
    argv = [PODMAN, "run", "--rm", "--network", "host", "--init", "--label", f"{LABEL}=1", LOCAL_IMAGE,
            "sh", "-c", shell_script()]
    t0 = time.time()
    p = procs.spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=BUILD_TIMEOUT_S)
    t_end = time.time()
    procs.stop(p)
    if p.returncode != 0:
        raise BenchError(f"podman run failed ({p.returncode}): {err.decode(errors='replace')}")
    first, last = dates_in(out.decode().splitlines())
    return {"start": first - t0, "end": t_end - last, "between": last - first, "total": t_end - t0}


def run_api(sock):
    """create, start, logs (follow, own thread) and wait, remove: each on its own connection."""
    t0 = time.time()
    status, body = api_call(sock, "POST", "/containers/create", {
        "Image": LOCAL_IMAGE, "Cmd": ["sh", "-c", shell_script()], "Labels": {LABEL: "1"},
        "HostConfig": {"NetworkMode": "host", "Init": True}})
    if status != 201:
        raise BenchError(f"create: {status} {body[:300]!r}")
    cid = json.loads(body)["Id"]
    t_created = time.time()
    try:
        status, body = api_call(sock, "POST", f"/containers/{cid}/start")
        if status not in (204, 304):
            raise BenchError(f"start: {status} {body[:300]!r}")
        t_started = time.time()
        output = {}

        def follow():
            try:
                conn = UnixHTTPConnection(sock)
                conn.request("GET", f"{API}/containers/{cid}/logs?stdout=1&stderr=1&follow=1")
                output["raw"] = conn.getresponse().read()
                conn.close()
            except (OSError, http.client.HTTPException) as e:
                output["error"] = str(e)
            output["t"] = time.time()

        th = threading.Thread(target=follow, daemon=True)
        th.start()
        # podman's own wait (libpod API, 5 ms polling) beside the Docker one, only timed.
        libpod = {}

        def libpod_wait():
            try:
                conn = UnixHTTPConnection(sock)
                conn.request("POST", f"/v4.0.0/libpod/containers/{cid}/wait?condition=exited&interval=5ms")
                conn.getresponse().read()
                conn.close()
                libpod["t"] = time.time()
            except (OSError, http.client.HTTPException):
                pass

        lw = threading.Thread(target=libpod_wait, daemon=True)
        lw.start()
        status, body = api_call(sock, "POST", f"/containers/{cid}/wait?condition=not-running")
        t_waited = time.time()
        if status != 200 or json.loads(body).get("StatusCode") != 0:
            raise BenchError(f"wait: {status} {body[:300]!r}")
        lw.join(5.0)
        # podman 4.3's follow sometimes ends at once, empty, for a container that exits within
        # milliseconds: then the log is read once more (counted, and excluded from "logs end").
        if not output.get("raw") or DATE_RE.search(demux(output["raw"])) is None:
            th.join(1.0)
        if not output.get("raw") or len([x for x in demux(output["raw"]).splitlines() if DATE_RE.match(x)]) < 2:
            status, raw = api_call(sock, "GET", f"/containers/{cid}/logs?stdout=1&stderr=1")
            output = {"raw": raw, "reread": True}
    finally:
        api_call(sock, "DELETE", f"/containers/{cid}?force=1&v=1")
    t_end = time.time()
    th.join(5.0)
    first, last = dates_in(demux(output.get("raw", b"")).splitlines())
    r = {"start": first - t0, "end": t_end - last, "between": last - first, "total": t_end - t0,
         "create": t_created - t0, "start_call": t_started - t_created, "wait_after_last": t_waited - last,
         "remove": t_end - t_waited, "reread": 1 if output.get("reread") else 0}
    if "t" in output:
        r["logs_end_after_last"] = output["t"] - last
    if "t" in libpod:
        r["libpod_wait_after_last"] = libpod["t"] - last
    return r


# --- hakobu -------------------------------------------------------------------------------------

class Hakobu(b.Hakobu):
    container_socket = None

    def argv(self, port, run_dir):
        argv = super().argv(port, run_dir)
        self.data_dir = os.path.join(run_dir, "data")
        if self.container_socket:
            argv += ["--container-socket", self.container_socket]
        return argv


class HakobuTarget:
    def __init__(self, procs, tmp, container_socket=None):
        self.procs = procs
        self.srv = Hakobu(procs, tmp)
        self.srv.container_socket = container_socket
        self.srv.start()
        self.endpoint = f"http://127.0.0.1:{self.srv.port}"
        kw = dict(endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id="test",
                  aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))
        self.iam, self.cb, self.logs = (boto3.client(s, **kw) for s in ("iam", "codebuild", "logs"))
        self.iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(TRUST))
        self.cb.create_project(
            name=PROJECT, source={"type": "NO_SOURCE", "buildspec": buildspec()}, artifacts={"type": "NO_ARTIFACTS"},
            environment={"type": "LINUX_CONTAINER", "image": IMAGE, "computeType": "BUILD_GENERAL1_SMALL"},
            serviceRole=f"arn:aws:iam::{ACCOUNT}:role/{ROLE}")
        self.events = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        self.seq = self._events(0, wait=0)[1]

    def _events(self, after, wait):
        q = urllib.parse.urlencode({"source": "aws.codebuild", "detail-type": "CodeBuild Build State Change",
                                    "after": after, "wait": wait, "limit": 10000})
        self.events.request("GET", "/_hakobu/events?" + q)
        r = self.events.getresponse()
        body = json.loads(r.read())
        if r.status != 200:
            raise BenchError(f"/_hakobu/events: {r.status} {body}")
        return body["events"], body["last"]

    def build(self):
        """One build: client-side times, the phases, the log."""
        t0 = time.time()
        build = self.cb.start_build(projectName=PROJECT)["build"]
        arn, status = build["arn"], None
        deadline = time.monotonic() + BUILD_TIMEOUT_S
        while status is None:
            if time.monotonic() > deadline:
                raise BenchError(f"build {build['id']} did not finish in {BUILD_TIMEOUT_S} s")
            events, self.seq = self._events(self.seq, wait=10)
            for e in events:
                d = e.get("detail", {})
                if d.get("build-id") == arn and d.get("build-status") != "IN_PROGRESS":
                    status = d["build-status"]
        t_end = time.time()
        build = self.cb.batch_get_builds(ids=[build["id"]])["builds"][0]
        if status != "SUCCEEDED" or build["buildStatus"] != "SUCCEEDED":
            raise BenchError(f"build {build['id']}: {status}: {json.dumps(build.get('phases'), default=str)}\n"
                             f"{self.log_text(build)}")
        return t0, t_end, build

    def log_lines(self, build):
        lg = build["logs"]
        ev = self.logs.get_log_events(logGroupName=lg["groupName"], logStreamName=lg["streamName"],
                                      startFromHead=True)["events"]
        return [e["message"] for e in ev]

    def log_text(self, build):
        try:
            return "\n".join(self.log_lines(build))
        except Exception as e:  # noqa: BLE001 (only for an error message)
            return f"(no log: {e})"

    def measure(self, t0, t_end, build):
        lines = self.log_lines(build)
        first, last = dates_in(lines)
        phases = {p["phaseType"]: p for p in build["phases"]}
        r = {"start": first - t0, "end": t_end - last, "between": last - first, "total": t_end - t0,
             "server_end": epoch(build["endTime"]) - last, "notify": t_end - epoch(build["endTime"])}
        for name, p in phases.items():
            if "endTime" in p:
                r["phase_" + name] = epoch(p["endTime"]) - epoch(p["startTime"])
        agents = {}
        for line in lines:
            m = AGENT_RE.match(line)
            if m:
                agents.setdefault(m.group(2), agent_time(m.group(1)))
        r["_agents"] = agents
        r["_phases"] = {n: (epoch(p["startTime"]), epoch(p["endTime"]) if "endTime" in p else None)
                        for n, p in phases.items()}
        r["_first"], r["_last"], r["_t0"], r["_t_end"] = first, last, t0, t_end
        return r

    def podman_service_pid(self):
        try:
            with open(os.path.join(self.srv.data_dir, "podman.pid")) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return 0

    def instance(self):
        with open(os.path.join(self.srv.data_dir, "instance-id")) as f:
            return f.read().strip()

    def stop(self):
        pid = self.podman_service_pid()
        instance = None
        try:
            instance = self.instance()
        except OSError:
            pass
        self.events.close()
        self.srv.stop()
        stop_leftover_service(pid)
        return instance


def stop_leftover_service(pid):
    """hakobu stops its podman service when it ends (and the service has PR_SET_PDEATHSIG); if
    that one is still there after a grace period, it is ours to stop."""
    if not pid:
        return
    for _ in range(150):
        if not alive(pid):
            return
        time.sleep(0.1)
    log(f"hakobu's podman service (pid {pid}) outlived hakobu: stopping it")
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not alive(pid):
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def remove_containers(label_filter):
    """Containers left behind by this run (by label): removed, and reported."""
    p = subprocess.run([PODMAN, "ps", "-a", "-q", "--filter", f"label={label_filter}"], capture_output=True,
                       text=True, timeout=60)
    ids = p.stdout.split()
    if ids:
        subprocess.run([PODMAN, "rm", "-f"] + ids, capture_output=True, timeout=120)
    return ids


# --- the tracing proxy --------------------------------------------------------------------------

class TraceProxy:
    """A unix-socket proxy that records, per connection: the request line, when it was opened,
    when the first and the last bytes of the answer passed, and when it closed."""

    def __init__(self, tmp, upstream):
        self.path = os.path.join(tmp, "trace.sock")
        self.upstream = upstream
        self.calls, self.lock = [], threading.Lock()
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(self.path)
        self.srv.listen(64)
        self.done = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.done:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            threading.Thread(target=self._pipe, args=(c,), daemon=True).start()

    def _pipe(self, client):
        call = {"open": time.time(), "line": "", "first": None, "last": None, "data": []}
        up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            up.connect(self.upstream)
            socks = [client, up]
            while socks:
                ready, _, _ = select.select(socks, [], [], 1.0)
                for s in ready:
                    chunk = s.recv(65536)
                    now = time.time()
                    other = up if s is client else client
                    if not chunk:
                        socks = []
                        break
                    if s is client:
                        if not call["line"]:
                            call["line"] = chunk.split(b"\r\n", 1)[0].decode(errors="replace")
                            call["sent"] = now
                    else:
                        call["first"] = call["first"] or now
                        call["last"] = now
                        call["data"].append(now)
                    other.sendall(chunk)
        except OSError:
            pass
        finally:
            call["close"] = time.time()
            client.close()
            up.close()
            with self.lock:
                self.calls.append(call)

    def take(self):
        with self.lock:
            calls, self.calls = self.calls, []
        return sorted(calls, key=lambda c: c["open"])

    def close(self):
        self.done = True
        self.srv.close()


def kind_of(line):
    m = re.match(r"(\w+) (?:/v[\d.]+)?(/\S*)", line)
    if not m:
        return line
    method, path = m.groups()
    path = path.split("?", 1)[0]
    if path.startswith("/images/") and path.endswith("/json"):
        return "image inspect"
    if path == "/containers/create":
        return "create"
    for suffix in ("start", "wait", "logs", "stop", "kill"):
        if path.endswith("/" + suffix):
            return suffix
    if method == "DELETE" and path.startswith("/containers/"):
        return "remove"
    return f"{method} {path}"


def breakdown(r, calls):
    """Where one build's time went, as consecutive steps on one time line (seconds)."""
    ph, ag = r["_phases"], r["_agents"]
    by = {}
    for c in calls:
        by.setdefault(kind_of(c["line"]), []).append(c)
    need = ("image inspect", "create", "start", "logs", "wait", "remove")
    if any(k not in by for k in need):
        raise BenchError(f"the traced build made other Docker API calls than expected: {sorted(by)}")
    inspect0, inspect1 = by["image inspect"][0]["open"], by["image inspect"][-1]["close"]
    create, start, logs, wait, remove = (by[k][0] for k in ("create", "start", "logs", "wait", "remove"))
    driver0 = ag.get("Entering phase INSTALL")
    driver1 = max(t for m, t in ag.items() if m.startswith("Phase") and "UPLOAD_ARTIFACTS" not in m)
    points = [
        ("StartBuild sent (client)", r["_t0"]),
        ("claimed (QUEUED ends)", ph["QUEUED"][1]),
        ("service role assumed (first image inspect)", inspect0),
        ("image resolved (last inspect answered)", inspect1),
        ("PROVISIONING ends", ph["PROVISIONING"][1]),
        ("DOWNLOAD_SOURCE ends (source, buildspec)", ph["DOWNLOAD_SOURCE"][1]),
        ("driver written, create sent", create["open"]),
        ("create answered", create["close"]),
        ("start answered", start["close"]),
        ("driver's first line (in the container)", driver0),
        ("first command's date", r["_first"]),
        ("first log bytes reach hakobu", logs["first"]),
        ("last command's date", r["_last"]),
        ("driver's last line (POST_BUILD ends)", driver1),
        ("wait answered", wait["close"]),
        ("logs stream closed", logs["close"]),
        ("remove sent", remove["open"]),
        ("remove answered", remove["close"]),
        ("build SUCCEEDED (endTime)", ph["FINALIZING"][1]),
        ("client sees SUCCEEDED", r["_t_end"]),
    ]
    return points


# --- report -------------------------------------------------------------------------------------

ROWS = [
    ("start: t0 -> first command's date", "start"),
    ("end: last command's date -> done", "end"),
    ("added: start + end", "added"),
    ("between: first date -> last date", "between"),
    ("total: t0 -> done", "total"),
]


def fmt_s(v):
    return "-" if v is None else f"{v:.3f}"


def med(values):
    return statistics.median(values) if values else None


def report(res, cold, traces, loadavg):
    def m(t, k):
        vals = [x[k] for x in res.get(t, []) if k in x]
        return med(vals)

    for t in res:
        for x in res[t]:
            x["added"] = x["start"] + x["end"]
    peer = "podman" if "podman" in res else ("api" if "api" in res else None)
    header = ["metric", "unit", "hakobu", "podman run", "Docker API", "hakobu/podman", "added vs podman",
              "added vs API", "target"]
    rows, missed = [], []
    for label, k in ROWS:
        h, p, a = m("hakobu", k), m("podman", k), m("api", k)
        ratio = f"{h / p:.2f}x" if h is not None and p else "-"
        add_p = f"{h - p:+.3f}" if h is not None and p is not None else "-"
        add_a = f"{h - a:+.3f}" if h is not None and a is not None else "-"
        verdict = ""
        if k == "added" and h is not None and p is not None:
            ok = h - p < TARGET_ADDED_S
            verdict = f"< {TARGET_ADDED_S} s added: {'PASS' if ok else 'MISS'}"
            if not ok:
                missed.append(f"{label} ({verdict[:-6]})")
        rows.append([label, "s", fmt_s(h), fmt_s(p), fmt_s(a), ratio, add_p, add_a, verdict])
    b.print_table(header, rows, left=(0, 1, 8))
    print()
    print(f"commands: {' ; '.join(COMMANDS)}; image {LOCAL_IMAGE} (the project names {IMAGE}); medians of "
          f"{RUNS} rounds after one warm-up each (a round runs each once, the first one rotating); "
          "t0 = just before StartBuild / spawning podman / the create call; "
          "done = hakobu: the client receives the SUCCEEDED state-change event (long-polled "
          "/_hakobu/events), podman run: the process exits (--rm: container removed), Docker API: the remove "
          "call answered. hakobu's driver runs each command in a subshell and saves its state after it "
          "(\"between\"). " f"{os.cpu_count()} CPUs.")
    if cold:
        print(f"cold start (first build, starts hakobu's podman service): total {cold['total']:.3f} s, start "
              f"{cold['start']:.3f} s, end {cold['end']:.3f} s; the service answered /_ping after "
              f"{cold.get('service_ms', '?')} ms")
    h = res.get("hakobu", [])
    if h:
        print("hakobu phases (median s, from BatchGetBuilds): " + ", ".join(
            f"{n} {med([x['phase_' + n] for x in h if 'phase_' + n in x]):.3f}"
            for n in ("QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD",
                      "UPLOAD_ARTIFACTS", "FINALIZING") if any("phase_" + n in x for x in h)))
        print(f"hakobu end, split: last date -> endTime (server) {med([x['server_end'] for x in h]):.3f} s, "
              f"endTime -> client sees it {med([x['notify'] for x in h]):.3f} s")
    a = res.get("api", [])
    if a:
        print("Docker API peer (median s): " + ", ".join(
            f"{k} {med([x[k] for x in a if k in x]):.3f}" for k in (
                "create", "start_call", "wait_after_last", "libpod_wait_after_last", "logs_end_after_last",
                "remove") if any(k in x for x in a))
            + f"; log read again after an empty follow stream: {sum(x['reread'] for x in a)} of {len(a)}")
    for t in res:
        for k in ("start", "end"):
            runs = ", ".join(f"{x[k]:.3f}" for x in res[t])
            print(f"note: {t} {k} runs (s): {runs}")
    if traces:
        print_breakdown(traces)
    print(f"load average (1 min) before the run: {loadavg[0]:.2f}, after: {loadavg[1]:.2f}"
          + (" -- WARNING: the machine was busy with other work; numbers are unreliable" if loadavg[0] > 1.0
             else ""))
    return missed


def print_breakdown(traces):
    print()
    print(f"Breakdown: {len(traces)} traced builds (hakobu -> logging proxy -> podman service), median of each "
          "step's duration (from the previous point), and the time since StartBuild")
    names = [n for n, _ in traces[0]]
    rows = []
    for i, name in enumerate(names):
        steps = [(tr[i][1] - tr[i - 1][1]) if i else 0.0 for tr in traces]
        since = [tr[i][1] - tr[0][1] for tr in traces]
        rows.append([name, f"{med(steps) * 1000:.1f}", f"{med(since) * 1000:.1f}",
                     f"{min(steps) * 1000:.1f}..{max(steps) * 1000:.1f}"])
    b.print_table(["point", "step ms (median)", "since t0 ms", "step ms (min..max)"], rows, left=(0,))


# --- main ---------------------------------------------------------------------------------------

def check_image():
    p = subprocess.run([PODMAN, "image", "exists", LOCAL_IMAGE])
    if p.returncode != 0:
        raise BenchError(f"no image {LOCAL_IMAGE}: `make build-image` makes it")


def service_ready_ms(log_path):
    m = re.findall(r"answered /_ping after (\d+) ms", b.tail(log_path, 400))
    return m[0] if m else "?"


def close_hakobu(t):
    instance = t.stop()
    if instance:
        left = remove_containers(f"hakobu.instance={instance}")
        if left:
            raise BenchError(f"hakobu left containers behind: {left}")


def run_traced(procs, tmp, service):
    proxy = TraceProxy(tmp, service.sock)
    t = None
    traces = []
    try:
        t = HakobuTarget(procs, tmp, container_socket=proxy.path)
        t.build()  # warm-up
        proxy.take()
        for i in range(TRACE_RUNS):
            r = t.measure(*t.build())
            time.sleep(0.3)  # the logs connection closes after the build's end
            traces.append(breakdown(r, proxy.take()))
            log(f"traced build {i + 1}: total {r['total']:.3f} s")
    finally:
        if t:
            instance = t.stop()
            if instance:
                remove_containers(f"hakobu.instance={instance}")
        proxy.close()
    return traces


def main():
    tmp = tempfile.mkdtemp(prefix="hakobu-bench-codebuild-", dir=os.environ.get("TMPDIR") or "/tmp")
    procs = b.Procs(os.path.join(tmp, "pids"))
    for t in TARGETS:
        if t not in ("hakobu", "podman", "api"):
            raise BenchError(f"unknown target {t!r} in BENCH_TARGETS (hakobu, podman, api)")
    if "hakobu" in TARGETS and not os.access(b.HAKOBU_BINARY, os.X_OK):
        raise BenchError(f"no hakobu binary at {b.HAKOBU_BINARY}: build it or set HAKOBU_BINARY")
    check_image()
    load0 = os.getloadavg()[0]
    results, cold, traces = {t: [] for t in TARGETS}, {}, []
    service = hakobu = None
    try:
        if "api" in TARGETS or ("hakobu" in TARGETS and TRACE_RUNS > 0):
            service = PodmanService(procs, tmp, "peer").start()
        runners = {}
        if "hakobu" in TARGETS:
            hakobu = HakobuTarget(procs, tmp)
            r = hakobu.measure(*hakobu.build())  # the cold start: hakobu starts its podman service
            r["service_ms"] = service_ready_ms(hakobu.srv.log_path)
            cold.update({k: v for k, v in r.items() if not k.startswith("_")})
            log(f"hakobu cold build: {cold['total']:.3f} s (start {cold['start']:.3f}, end {cold['end']:.3f})")
            runners["hakobu"] = lambda: hakobu.measure(*hakobu.build())
        if "podman" in TARGETS:
            runners["podman"] = lambda: run_podman_cli(procs)
            runners["podman"]()  # warm-up
        if "api" in TARGETS:
            runners["api"] = lambda: run_api(service.sock)
            runners["api"]()  # warm-up
        # Rounds: one run of each in turn, the first one rotating, so that the machine's load
        # drifts alike for all.
        order = list(runners)
        for i in range(RUNS):
            k = i % len(order)
            for name in order[k:] + order[:k]:
                r = runners[name]()
                results[name].append(r)
                log(f"{name} {i + 1}: start {r['start']:.3f} s, end {r['end']:.3f} s, total {r['total']:.3f} s")
        if hakobu:
            close_hakobu(hakobu)
            hakobu = None
        if "hakobu" in TARGETS and TRACE_RUNS > 0:
            traces = run_traced(procs, tmp, service)
    finally:
        if hakobu:
            try:
                close_hakobu(hakobu)
            except BenchError as e:
                log(str(e))
        if service:
            service.stop()
        procs.stop_all()
        left = remove_containers(f"{LABEL}=1")
        if left:
            log(f"removed containers left behind: {left}")
        shutil.rmtree(tmp, ignore_errors=True)
    missed = report(results, cold, traces, (load0, os.getloadavg()[0]))
    payload = {t: [{k: v for k, v in x.items() if not k.startswith("_")} for x in rs] for t, rs in results.items()}
    return b.finish(missed, {"results": payload, "cold": cold,
                             "breakdown": [[[n, v] for n, v in tr] for tr in traces]})


if __name__ == "__main__":
    b.run(main)
