#!/usr/bin/env python3
"""hakobu vs moto_server vs nginx, side by side on loopback (see bench/README.md).

Started by bench/run.sh, which owns the temporary directory and, on any exit, kills the
process groups listed in its pids file. This script also stops everything it started in a
`finally`, so both paths clean up; run.sh's trap covers a hard crash of this interpreter.

Every server is started in its own session (setsid), so its pid is also its process group id
and killpg(pid) reaches exactly what we started (nginx's workers included) and nothing else.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def env_int(name, default):
    return int(os.environ.get(name, default))


HAKOBU_BINARY = os.environ.get("HAKOBU_BINARY", os.path.join(REPO, "build", "hakobu"))
TARGETS = [t for t in os.environ.get("BENCH_TARGETS", "hakobu,moto,nginx").split(",") if t]
DURATION = env_int("BENCH_DURATION", 5)  # seconds per wrk run
THREADS = env_int("BENCH_THREADS", 2)
CONNECTIONS = env_int("BENCH_CONNECTIONS", 64)
STARTS = env_int("BENCH_STARTS", 20)  # start-up samples for hakobu and nginx
MOTO_STARTS = env_int("BENCH_MOTO_STARTS", 5)  # moto takes about a second per start
STRICT = os.environ.get("BENCH_STRICT") == "1"  # exit 1 when a target is missed
LOADAVG = []  # 1-minute load average before the run

REGION = "us-east-1"
CREDS = Credentials("test", "test")
PARAM = "/bench/param"
VALUE = "bench-value-0123456789"
PUT_VALUE = "bench-value-overwritten"

# About the size of a GetParameter answer, for nginx's static reply.
NGINX_BODY = json.dumps({
    "Parameter": {
        "ARN": "arn:aws:ssm:us-east-1:000000000000:parameter/bench/param",
        "DataType": "text",
        "LastModifiedDate": 1764316800.123,
        "Name": PARAM,
        "Type": "String",
        "Value": VALUE,
        "Version": 1,
    }
}, separators=(",", ":"))


class BenchError(Exception):
    pass


class Stop(BaseException):
    """Raised from SIGTERM/SIGHUP so `finally` blocks run."""


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --- processes --------------------------------------------------------------------------------

class Procs:
    """Every process we start, recorded in run.sh's pids file before we wait on it."""

    def __init__(self, pids_file):
        self.pids_file = pids_file
        self.live = {}

    def spawn(self, argv, **kw):
        kw.setdefault("stdin", subprocess.DEVNULL)
        p = subprocess.Popen(argv, start_new_session=True, **kw)
        self.live[p.pid] = p
        with open(self.pids_file, "a") as f:
            f.write(f"{p.pid}\n")
        return p

    def stop(self, p, sig=signal.SIGTERM, timeout=5.0):
        if p.pid not in self.live:
            return
        if p.poll() is None:
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                pass
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        # Reap stragglers of the group (nginx workers) before the pid can be reused.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.killpg(p.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.005)
        else:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        del self.live[p.pid]

    def stop_all(self):
        for p in list(self.live.values()):
            self.stop(p)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    """VmRSS of a process plus its children (nginx: master and workers)."""
    total = 0
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def tail(path, n=20):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def http_get(port, path, timeout=2.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def wait_http(port, path, proc, log_path, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"server exited with {proc.returncode} before answering:\n{tail(log_path)}")
        try:
            http_get(port, path, timeout=1.0)
            return
        except OSError:
            time.sleep(0.01)
    raise BenchError(f"no answer on port {port}{path} after {timeout}s:\n{tail(log_path)}")


# --- the three servers ------------------------------------------------------------------------

class Server:
    name = ""
    health = "/"

    def __init__(self, procs, tmp):
        self.procs = procs
        self.tmp = tmp
        self.proc = None
        self.port = None
        self.log_path = os.path.join(tmp, f"{self.name}.log")

    def argv(self, port, run_dir):
        raise NotImplementedError

    def prepare(self, run_dir, port):
        """Files the server needs before it starts (nginx's config)."""

    def start(self):
        self.port = free_port()
        run_dir = tempfile.mkdtemp(prefix=f"{self.name}-", dir=self.tmp)
        self.prepare(run_dir, self.port)
        with open(self.log_path, "ab") as logf:
            self.proc = self.procs.spawn(self.argv(self.port, run_dir), stdout=logf, stderr=logf)
        wait_http(self.port, self.health, self.proc, self.log_path)
        return self

    def stop(self):
        if self.proc:
            self.procs.stop(self.proc)
            self.proc = None

    def rss_kb(self):
        return rss_kb(self.proc.pid)


class Hakobu(Server):
    name = "hakobu"
    health = "/_hakobu/health"

    def argv(self, port, run_dir):
        return [HAKOBU_BINARY, "server", "--port", str(port), "--data-dir", os.path.join(run_dir, "data"),
                "--no-access-log"]

    def start(self):
        super().start()
        if "hakobu ready on http://127.0.0.1:" not in tail(self.log_path, 50):
            raise BenchError(f"hakobu answered but printed no ready line:\n{tail(self.log_path)}")
        return self


class Moto(Server):
    name = "moto"
    health = "/moto-api/config"

    def argv(self, port, run_dir):
        # The interpreter that runs this script has moto (checked at import time in run.sh);
        # calling it directly keeps pyenv's shim out of moto's start-up time.
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]


class Nginx(Server):
    name = "nginx"
    health = "/"

    def prepare(self, run_dir, port):
        body = NGINX_BODY.replace("\\", "\\\\").replace("'", "\\'")
        temp = {k: os.path.join(run_dir, k) for k in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        conf = f"""
worker_processes auto;
daemon off;
master_process on;
pid {run_dir}/nginx.pid;
error_log {run_dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {temp['body']};
  proxy_temp_path {temp['proxy']};
  fastcgi_temp_path {temp['fastcgi']};
  uwsgi_temp_path {temp['uwsgi']};
  scgi_temp_path {temp['scgi']};
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      default_type application/x-amz-json-1.1;
      return 200 '{body}';
    }}
  }}
}}
"""
        with open(os.path.join(run_dir, "nginx.conf"), "w") as f:
            f.write(conf)

    def argv(self, port, run_dir):
        return ["nginx", "-p", run_dir, "-c", os.path.join(run_dir, "nginx.conf"), "-e",
                os.path.join(run_dir, "error.log")]


SERVERS = {"hakobu": Hakobu, "moto": Moto, "nginx": Nginx}


# --- signed requests --------------------------------------------------------------------------

def signed(port, op, payload):
    url = f"http://127.0.0.1:{port}/"
    body = json.dumps(payload)
    req = AWSRequest(method="POST", url=url, data=body, headers={
        "X-Amz-Target": f"AmazonSSM.{op}",
        "Content-Type": "application/x-amz-json-1.1",
    })
    SigV4Auth(CREDS, "ssm", REGION).add_auth(req)
    headers = {k: v for k, v in req.headers.items()}
    headers["Host"] = f"127.0.0.1:{port}"
    return {"method": "POST", "path": "/", "headers": headers, "body": body}


def get_request(port):
    return signed(port, "GetParameter", {"Name": PARAM})


def put_request(port):
    return signed(port, "PutParameter", {"Name": PARAM, "Value": PUT_VALUE, "Type": "String", "Overwrite": True})


def send_once(port, req):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(req["method"], req["path"], body=req["body"].encode(), headers=req["headers"])
        r = conn.getresponse()
        return r.status, r.read().decode(errors="replace")
    finally:
        conn.close()


def check_get(name, port, req, expected):
    status, body = send_once(port, req)
    if status != 200:
        raise BenchError(f"{name}: signed GetParameter answered {status}: {body[:500]}")
    value = json.loads(body).get("Parameter", {}).get("Value")
    if value != expected:
        raise BenchError(f"{name}: GetParameter returned value {value!r}, expected {expected!r}")


def check_put(name, port, req):
    status, body = send_once(port, req)
    if status != 200 or "Version" not in json.loads(body):
        raise BenchError(f"{name}: signed PutParameter answered {status}: {body[:500]}")


def seed(name, port):
    ssm = boto3.client("ssm", endpoint_url=f"http://127.0.0.1:{port}", region_name=REGION,
                       aws_access_key_id="test", aws_secret_access_key="test",
                       config=Config(retries={"max_attempts": 1}))
    ssm.put_parameter(Name=PARAM, Value=VALUE, Type="String", Overwrite=True)
    got = ssm.get_parameter(Name=PARAM)["Parameter"]["Value"]
    if got != VALUE:
        raise BenchError(f"{name}: boto3 get_parameter returned {got!r}")


# --- wrk --------------------------------------------------------------------------------------

def lua_str(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 32 or o > 126:
            out.append("\\%03d" % o if o < 256 else ch)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def write_lua(tmp, tag, req):
    path = os.path.join(tmp, f"{tag}.lua")
    lines = [f"wrk.method = {lua_str(req['method'])}", f"wrk.path = {lua_str(req['path'])}",
             f"wrk.body = {lua_str(req['body'])}"]
    for k, v in req["headers"].items():
        lines.append(f"wrk.headers[{lua_str(k)}] = {lua_str(v)}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


UNITS = {"us": 1.0, "ms": 1000.0, "s": 1e6}


def run_wrk(procs, tmp, tag, port, req, threads, conns, latency=False):
    return run_wrk_script(procs, tmp, tag, port, write_lua(tmp, tag, req), threads, conns, latency)


def run_wrk_script(procs, tmp, tag, port, script, threads, conns, latency=False, allow_errors=0.0):
    """One wrk run with a prepared Lua script; fails on any non-2xx/3xx answer, unless they are at
    most `allow_errors` of all answers (a known peer bug): then req/s counts only the good ones."""
    argv = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{DURATION}s", "--timeout", "5s", "-s", script]
    if latency:
        argv.append("--latency")
    argv.append(f"http://127.0.0.1:{port}/")
    log(f"{tag}: {' '.join(os.path.basename(a) if a == script else a for a in argv)}")
    p = procs.spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        text, _ = p.communicate(timeout=DURATION + 60)
    finally:
        procs.stop(p, signal.SIGKILL)
    with open(os.path.join(tmp, f"{tag}.wrk.txt"), "w") as f:
        f.write(text)
    if p.returncode != 0:
        raise BenchError(f"{tag}: wrk failed ({p.returncode}):\n{text}")
    m = re.search(r"Requests/sec:\s*([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    if not m or not total or int(total.group(1)) == 0:
        raise BenchError(f"{tag}: no requests completed:\n{text}")
    result = {"rps": float(m.group(1)), "requests": int(total.group(1))}
    m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    if m:
        bad = int(m.group(1))
        if bad > allow_errors * result["requests"]:
            raise BenchError(f"{tag}: {bad} error answers during the run; not a valid measurement:\n{text}")
        log(f"{tag}: warning: {bad} of {result['requests']} answers were errors; not counted")
        result["errors"] = bad
        result["rps"] *= 1.0 - bad / result["requests"]
        result["requests"] -= bad
    sock = re.search(r"Socket errors: (.*)", text)
    if sock:
        log(f"{tag}: warning: socket errors: {sock.group(1)}")
        result["socket_errors"] = sock.group(1)
    if latency:
        m = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not m:
            raise BenchError(f"{tag}: no 50% latency line:\n{text}")
        result["p50_us"] = float(m.group(1)) * UNITS[m.group(2)]
    return result


# --- start-up ---------------------------------------------------------------------------------

def time_start(procs, server_cls, tmp, n):
    """Median ms from just before spawn to a complete answer to the health request."""
    samples = []
    srv = server_cls(procs, tmp)
    request = f"GET {srv.health} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    for _ in range(n):
        port = free_port()
        run_dir = tempfile.mkdtemp(prefix=f"start-{srv.name}-", dir=tmp)
        srv.prepare(run_dir, port)
        argv = srv.argv(port, run_dir)
        t0 = time.perf_counter()
        p = procs.spawn(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                s = socket.socket()
                try:
                    s.connect(("127.0.0.1", port))
                except ConnectionRefusedError:
                    s.close()
                    if p.poll() is not None:
                        raise BenchError(f"{srv.name} exited with {p.returncode} during the start-up test")
                    if time.perf_counter() - t0 > 30:
                        raise BenchError(f"{srv.name} did not listen within 30 s")
                    time.sleep(0.0002)
                    continue
                try:
                    s.sendall(request)
                    data = b""
                    while True:
                        chunk = s.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                finally:
                    s.close()
                if not data.startswith(b"HTTP/1."):
                    raise BenchError(f"{srv.name}: no HTTP answer during the start-up test: {data[:200]!r}")
                samples.append((time.perf_counter() - t0) * 1000.0)
                break
        finally:
            procs.stop(p)
            shutil.rmtree(run_dir, ignore_errors=True)
    return statistics.median(samples), min(samples), max(samples)


# --- report -----------------------------------------------------------------------------------

def fmt_num(v, unit):
    if v is None:
        return "-"
    if unit == "req/s":
        return f"{v:,.0f}"
    if unit in ("us", "ms"):
        return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"
    if unit == "MB":
        return f"{v:.1f}"
    return str(v)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    r = a / b
    return f"{r:,.0f}x" if r >= 100 else f"{r:.2f}x"


def report(results):
    def val(target, key):
        return results.get(target, {}).get(key)

    rows = [
        ("GetParameter throughput, c64", "get_rps", "req/s"),
        ("PutParameter throughput, c64", "put_rps", "req/s"),
        ("GetParameter p50 latency, c1", "p50_us", "us"),
        ("start-up, median", "start_ms", "ms"),
        ("start-up, fastest", "start_min_ms", "ms"),
        ("idle RSS after start", "rss_start_mb", "MB"),
        ("idle RSS after load", "rss_load_mb", "MB"),
    ]
    # Targets (issue #2, "Performance"): (row key, description, predicate on results).
    targets = {
        "get_rps": [
            ("GetParameter >= 200x moto", lambda: val("hakobu", "get_rps") / val("moto", "get_rps") >= 200,
             ("hakobu", "moto")),
            ("GetParameter >= 0.5x nginx", lambda: val("hakobu", "get_rps") / val("nginx", "get_rps") >= 0.5,
             ("hakobu", "nginx")),
        ],
        "p50_us": [("median latency <= 150 us", lambda: val("hakobu", "p50_us") <= 150, ("hakobu",))],
        "start_ms": [("start-up < 15 ms", lambda: val("hakobu", "start_ms") < 15, ("hakobu",))],
        "rss_start_mb": [("idle memory < 10 MB", lambda: val("hakobu", "rss_start_mb") < 10, ("hakobu",))],
        "rss_load_mb": [("idle memory < 10 MB", lambda: val("hakobu", "rss_load_mb") < 10, ("hakobu",))],
    }
    header = ["metric", "unit", "hakobu", "moto", "nginx", "hakobu/moto", "hakobu/nginx", "target"]
    table = []
    missed = []
    for label, key, unit in rows:
        cells = [label, unit] + [fmt_num(val(t, key), unit) for t in ("hakobu", "moto", "nginx")]
        cells += [ratio(val("hakobu", key), val("moto", key)), ratio(val("hakobu", key), val("nginx", key))]
        verdicts = []
        for desc, pred, needs in targets.get(key, []):
            if any(val(t, key) is None for t in needs):
                verdicts.append(f"{desc}: n/a")
                continue
            ok = pred()
            verdicts.append(f"{desc}: {'PASS' if ok else 'FAIL'}")
            if not ok:
                missed.append(f"{label} ({desc})")
        cells.append("; ".join(verdicts))
        table.append(cells)
    print_table(header, table, left=(0, 1, 7))
    notes = []
    for t in ("hakobu", "moto", "nginx"):
        for key in ("get_socket_errors", "put_socket_errors", "lat_socket_errors"):
            if val(t, key):
                notes.append(f"{t} {key.split('_')[0]}: socket errors {val(t, key)}")
    print()
    print(f"wrk: -t{THREADS} -c{CONNECTIONS} -d{DURATION}s for throughput, -t1 -c1 -d{DURATION}s --latency "
          f"for latency; start-up: median of {STARTS} starts ({MOTO_STARTS} for moto), spawn to a complete "
          f"answer on a fresh data dir; RSS: VmRSS, nginx = master + workers; {os.cpu_count()} CPUs.")
    for n in notes:
        print(f"note: {n}")
    if LOADAVG:
        print(f"load average (1 min) before the run: {LOADAVG[0]:.2f}"
              + (" -- WARNING: the machine was busy with other work; numbers are unreliable"
                 if LOADAVG[0] > 1.0 else ""))
    return missed


# --- main -------------------------------------------------------------------------------------

def main():
    tmp = os.environ.get("BENCH_TMP") or tempfile.mkdtemp(prefix="hakobu-bench-")
    pids_file = os.environ.get("BENCH_PIDS_FILE") or os.path.join(tmp, "pids")
    for t in TARGETS:
        if t not in SERVERS:
            raise BenchError(f"unknown target {t!r} in BENCH_TARGETS (hakobu, moto, nginx)")
    if "hakobu" in TARGETS and not os.access(HAKOBU_BINARY, os.X_OK):
        raise BenchError(f"no hakobu binary at {HAKOBU_BINARY}: build it, set HAKOBU_BINARY, or set "
                         f"BENCH_TARGETS=moto,nginx")
    procs = Procs(pids_file)
    results = {t: {} for t in TARGETS}
    LOADAVG.append(os.getloadavg()[0])
    try:
        servers = {t: SERVERS[t](procs, tmp) for t in TARGETS}
        for t, s in servers.items():
            log(f"starting {t}")
            s.start()
        time.sleep(1.0)  # let everything settle into idle before the first memory reading
        for t, s in servers.items():
            results[t]["rss_start_mb"] = s.rss_kb() / 1024.0
        for t in ("hakobu", "moto"):
            if t in servers:
                seed(t, servers[t].port)

        # Throughput at 64 connections. Each request is signed right before its run.
        for t in ("hakobu", "moto", "nginx"):
            if t not in servers:
                continue
            port = servers[t].port
            req = get_request(port)
            if t != "nginx":
                check_get(t, port, req, VALUE)
            r = run_wrk(procs, tmp, f"{t}-get", port, req, THREADS, CONNECTIONS)
            results[t]["get_rps"] = r["rps"]
            results[t]["get_socket_errors"] = r.get("socket_errors")
        for t in ("hakobu", "moto"):
            if t not in servers:
                continue
            port = servers[t].port
            req = put_request(port)
            check_put(t, port, req)
            r = run_wrk(procs, tmp, f"{t}-put", port, req, THREADS, CONNECTIONS)
            results[t]["put_rps"] = r["rps"]
            results[t]["put_socket_errors"] = r.get("socket_errors")
            check_get(t, port, get_request(port), PUT_VALUE)

        # Median latency on one connection.
        for t in ("hakobu", "moto", "nginx"):
            if t not in servers:
                continue
            port = servers[t].port
            req = get_request(port)
            if t != "nginx":
                check_get(t, port, req, PUT_VALUE)
            r = run_wrk(procs, tmp, f"{t}-latency", port, req, 1, 1, latency=True)
            results[t]["p50_us"] = r["p50_us"]
            results[t]["lat_socket_errors"] = r.get("socket_errors")

        time.sleep(1.0)
        for t, s in servers.items():
            results[t]["rss_load_mb"] = s.rss_kb() / 1024.0
            if s.proc.poll() is not None:
                raise BenchError(f"{t} died during the run:\n{tail(s.log_path)}")
        for s in servers.values():
            s.stop()

        # Start-up: fresh processes, nothing else running.
        for t in TARGETS:
            n = MOTO_STARTS if t == "moto" else STARTS
            log(f"start-up: {n} starts of {t}")
            med, lo, hi = time_start(procs, SERVERS[t], tmp, n)
            results[t]["start_ms"] = med
            results[t]["start_min_ms"] = lo
            log(f"start-up {t}: median {med:.2f} ms (min {lo:.2f}, max {hi:.2f})")
    finally:
        procs.stop_all()
        if not os.environ.get("BENCH_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)

    return finish(report(results), results)


def print_table(header, rows, left):
    """A Markdown table, columns padded to their widest cell; `left` columns are left-aligned."""
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) if i in left else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))


def finish(missed, payload):
    """Writes `payload` to $BENCH_JSON, names the missed targets; the exit status."""
    if os.environ.get("BENCH_JSON"):
        with open(os.environ["BENCH_JSON"], "w") as f:
            json.dump(payload, f, indent=2, sort_keys=True)
    if missed:
        print(f"\nmissed targets: {', '.join(missed)}")
    return 1 if (missed and STRICT) else 0


def on_signal(signum, frame):
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)  # one signal is enough; let the cleanup finish
    raise Stop(f"signal {signum}")


def run(main):
    """Runs a benchmark's main() with cleanup on signals and one-line failures."""
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, on_signal)
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
    except Stop as e:
        print(f"bench: stopped by {e}", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    run(main)
