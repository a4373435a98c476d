#!/usr/bin/env python3
"""S3: hakobu vs moto_server (and nginx as the HTTP reference), side by side on loopback.

See bench/README.md, section "S3". Started by `bench/run.sh s3`, which owns the temporary
directory and kills the process groups listed in its pids file on any exit; this script also
stops everything it started in a `finally`. Shares the process, server and wrk plumbing with
bench.py (the SSM benchmark).

Small objects: wrk -t2 -c64 replaying SigV4-signed requests (GET of one key, PUT overwriting
one key, PUT to distinct keys through presigned URLs). Big objects: one streaming PUT and one
GET of a 1 GiB object over a raw socket (sendfile out, 1 MiB reads in), the server's VmRSS
sampled every 50 ms, compared with `cp` + fsync of the same file on the same filesystem; then
a 2 GiB object for the memory target.
"""

import hashlib
import hmac
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import boto3
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as b  # noqa: E402  (the SSM benchmark: processes, servers, wrk)
from bench import BenchError, Stop, log  # noqa: E402

env_int = b.env_int
TARGETS = [t for t in os.environ.get("BENCH_TARGETS", "hakobu,moto,nginx").split(",") if t]
# Presigned URLs for the distinct-key PUT run: enough for 60k PUT/s (~0.4 s to make 100k).
KEYS = env_int("BENCH_S3_KEYS", 60000 * b.DURATION)
BIG_MB = env_int("BENCH_S3_BIG_MB", 1024)  # the "1 GiB" object, MiB
HUGE_MB = env_int("BENCH_S3_HUGE_MB", 2048)  # the memory-target object, MiB; 0 skips it
BIG_RUNS = env_int("BENCH_S3_BIG_RUNS", 3)  # transfers per server (median); moto: 1
CP_RUNS = env_int("BENCH_S3_CP_RUNS", 3)
# moto keeps a whole request/response body in memory (several copies): it gets the huge
# object only when the machine has room; "auto" decides from MemAvailable, "0"/"1" force.
MOTO_HUGE = os.environ.get("BENCH_S3_MOTO_HUGE", "auto")
MOTO_ERRORS = 0.01  # share of 500s tolerated from moto's one-key PUT run (see small_objects)
SAMPLE_S = 0.05
TRANSFER_TIMEOUT_S = 600  # per socket operation of a big transfer  # RSS sampling interval during big transfers

REGION = b.REGION
ACCESS, SECRET = "test", "test"
BUCKET = "bench-bucket"
GET_KEY = "small/get"
PUT_KEY = "small/put"
SMALL = 1024
MiB = 1 << 20

# Targets (issue #3).
SMALL_X_MOTO = 100.0
BIG_X_CP = 0.8
HUGE_RSS_MB = 100.0


# --- servers ----------------------------------------------------------------------------------

class NginxS3(b.Server):
    """The HTTP reference: static files for GET, WebDAV PUT (no fsync) for PUT; auth ignored."""
    name = "nginx"
    health = "/"

    def prepare(self, run_dir, port):
        self.root = os.path.join(run_dir, "root")
        os.makedirs(os.path.join(self.root, BUCKET), exist_ok=True)
        temp = {k: os.path.join(run_dir, k) for k in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        # Under root the workers would drop to nobody, who cannot enter our 0700 temp dirs.
        user = "user root;" if os.geteuid() == 0 else ""
        conf = f"""
{user}
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
  client_body_buffer_size 1m;
  sendfile on;
  tcp_nopush on;
  server {{
    listen 127.0.0.1:{port};
    root {self.root};
    client_max_body_size 0;
    location = / {{ return 200 'ok'; }}
    location / {{
      default_type application/octet-stream;
      dav_methods PUT;
      create_full_put_path on;
    }}
  }}
}}
"""
        with open(os.path.join(run_dir, "nginx.conf"), "w") as f:
            f.write(conf)

    def argv(self, port, run_dir):
        return ["nginx", "-p", run_dir, "-c", os.path.join(run_dir, "nginx.conf"), "-e",
                os.path.join(run_dir, "error.log")]


SERVERS = {"hakobu": b.Hakobu, "moto": b.Moto, "nginx": NginxS3}


# --- signing ----------------------------------------------------------------------------------

def header_signed(port, method, path, body=b"", extra=None):
    """botocore's S3SigV4Auth; over http it signs the payload (the real hex SHA-256)."""
    headers = dict(extra or {})
    req = AWSRequest(method=method, url=f"http://127.0.0.1:{port}{path}", data=body, headers=headers)
    S3SigV4Auth(b.CREDS, "s3", REGION).add_auth(req)
    headers = {k: v for k, v in req.headers.items()}
    headers["Host"] = f"127.0.0.1:{port}"
    return {"method": method, "path": path, "headers": headers, "body": body}


class Presigner:
    """Presigned URLs (query SigV4, UNSIGNED-PAYLOAD, signed header `host`), as botocore's
    generate_presigned_url makes them but ~50x faster; checked against botocore at start-up."""

    def __init__(self, port, amz_date=None, expires=3600):
        self.host = f"127.0.0.1:{port}"
        self.amz_date = amz_date or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        day = self.amz_date[:8]
        self.scope = f"{day}/{REGION}/s3/aws4_request"
        key = ("AWS4" + SECRET).encode()
        for part in (day, REGION, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        self.key = key
        self.query = "&".join([
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=" + urllib.parse.quote(f"{ACCESS}/{self.scope}", safe="-_.~"),
            f"X-Amz-Date={self.amz_date}",
            f"X-Amz-Expires={expires}",
            "X-Amz-SignedHeaders=host",
        ])

    def path(self, method, path):
        """`path` must already be URI-encoded (S3 signs the path as sent)."""
        canonical = f"{method}\n{path}\n{self.query}\nhost:{self.host}\n\nhost\nUNSIGNED-PAYLOAD"
        sts = ("AWS4-HMAC-SHA256\n" + self.amz_date + "\n" + self.scope + "\n"
               + hashlib.sha256(canonical.encode()).hexdigest())
        sig = hmac.new(self.key, sts.encode(), hashlib.sha256).hexdigest()
        return f"{path}?{self.query}&X-Amz-Signature={sig}"


def s3_client(port):
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name=REGION,
                        aws_access_key_id=ACCESS, aws_secret_access_key=SECRET,
                        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                                      retries={"max_attempts": 1}))


def check_presigner():
    port = 9  # never contacted
    url = s3_client(port).generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "k/1"},
                                                 ExpiresIn=3600)
    parsed = urllib.parse.urlsplit(url)
    date = urllib.parse.parse_qs(parsed.query)["X-Amz-Date"][0]
    mine = Presigner(port, date).path("PUT", f"/{BUCKET}/k/1")
    if mine != f"{parsed.path}?{parsed.query}":
        raise BenchError(f"presigner disagrees with botocore:\n  {mine}\n  {parsed.path}?{parsed.query}")


# --- plain HTTP -------------------------------------------------------------------------------

def send(port, method, path, body=b"", headers=None, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        conn.close()


def expect(name, what, status, body, want=(200,)):
    if status not in want:
        raise BenchError(f"{name}: {what} answered {status}: {body[:500]!r}")


# --- small objects ----------------------------------------------------------------------------

def body_lua(body):
    return b.lua_str(body.decode("latin-1"))


def write_static_lua(tmp, tag, req):
    path = os.path.join(tmp, f"{tag}.lua")
    lines = [f"wrk.method = {b.lua_str(req['method'])}", f"wrk.path = {b.lua_str(req['path'])}",
             f"wrk.body = {body_lua(req['body'])}"]
    for k, v in req["headers"].items():
        lines.append(f"wrk.headers[{b.lua_str(k)}] = {b.lua_str(v)}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def write_keys_lua(tmp, tag, port, paths_file, body, threads):
    """Each wrk thread cycles through its share of the presigned PUT paths (one per line)."""
    path = os.path.join(tmp, f"{tag}.lua")
    script = f"""
local body = {body_lua(body)}
local headers = {{ ["Host"] = "127.0.0.1:{port}", ["Content-Type"] = "application/octet-stream" }}
local paths = {{}}
local i = 0
local nthreads = {threads}
local created = 0

function setup(thread)
  thread:set("tid", created)
  created = created + 1
end

function init(args)
  local n = 0
  for line in io.lines({b.lua_str(paths_file)}) do
    if n % nthreads == tid then paths[#paths + 1] = line end
    n = n + 1
  end
end

function request()
  i = i + 1
  if i > #paths then i = 1 end
  return wrk.format("PUT", paths[i], headers, body)
end
"""
    with open(path, "w") as f:
        f.write(script)
    return path


def count_keys(name, port, prefix, cap):
    s3 = s3_client(port)
    n = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        n += page.get("KeyCount", len(page.get("Contents", [])))
        if n > cap:
            break
    return n


def small_objects(name, srv, procs, tmp, res, body):
    port = srv.port
    md5 = hashlib.md5(body).hexdigest()
    real = name != "nginx"
    if real:
        s3 = s3_client(port)
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key=GET_KEY, Body=body)
        got = s3.get_object(Bucket=BUCKET, Key=GET_KEY)["Body"].read()
        if got != body:
            raise BenchError(f"{name}: boto3 get_object returned {len(got)} bytes, not the 1 KiB put")
    else:
        with open(os.path.join(srv.root, BUCKET, "small-get"), "wb") as f:  # nginx: a static file
            f.write(body)

    # GET of one key, header-signed.
    get_path = f"/{BUCKET}/{GET_KEY}" if real else f"/{BUCKET}/small-get"
    req = header_signed(port, "GET", get_path)
    status, _, got = send(port, "GET", req["path"], headers=req["headers"])
    expect(name, "signed GET", status, got)
    if got != body:
        raise BenchError(f"{name}: signed GET returned {len(got)} bytes, not the object")
    r = b.run_wrk_script(procs, tmp, f"s3-{name}-get", port, write_static_lua(tmp, f"s3-{name}-get", req),
                         b.THREADS, b.CONNECTIONS)
    res["get_rps"] = r["rps"]
    res["get_socket_errors"] = r.get("socket_errors")

    # PUT of one key, over and over, header-signed with the body's real SHA-256.
    req = header_signed(port, "PUT", f"/{BUCKET}/{PUT_KEY}", body, {"Content-Type": "application/octet-stream"})
    status, headers, got = send(port, "PUT", req["path"], body, req["headers"])
    expect(name, "signed PUT", status, got, (200, 201, 204))
    if real and headers.get("ETag", "").strip('"') != md5:
        raise BenchError(f"{name}: signed PUT answered ETag {headers.get('ETag')!r}, expected {md5!r}")
    # moto 5.2.1 answers about one in a thousand concurrent overwrites of one key with a 500
    # (ValueError: I/O operation on closed file: the replaced key's spooled file is closed while
    # another request still reads it). Those are not counted, and moto only is let off.
    r = b.run_wrk_script(procs, tmp, f"s3-{name}-put", port, write_static_lua(tmp, f"s3-{name}-put", req),
                         b.THREADS, b.CONNECTIONS, allow_errors=MOTO_ERRORS if name == "moto" else 0.0)
    res["put_rps"] = r["rps"]
    res["put_errors"] = r.get("errors")
    res["put_socket_errors"] = r.get("socket_errors")
    if real:
        got = s3_client(port).get_object(Bucket=BUCKET, Key=PUT_KEY)["Body"].read()
        if got != body:
            raise BenchError(f"{name}: after the PUT run the object is {len(got)} bytes, not the body")

    # PUT to distinct keys: presigned URLs, made right before the run, cycled through by wrk.
    pre = Presigner(port)
    t0 = time.perf_counter()
    paths = [pre.path("PUT", f"/{BUCKET}/keys/{i:08d}") for i in range(KEYS)]
    log(f"{name}: presigned {KEYS} PUT URLs in {time.perf_counter() - t0:.1f} s")
    paths_file = os.path.join(tmp, f"s3-{name}-keys.txt")
    with open(paths_file, "w") as f:
        f.write("\n".join(paths[1:]) + "\n")
    status, headers, got = send(port, "PUT", paths[0], body, {"Content-Type": "application/octet-stream"})
    expect(name, "presigned PUT", status, got, (200, 201, 204))
    if real:
        if headers.get("ETag", "").strip('"') != md5:
            raise BenchError(f"{name}: presigned PUT answered ETag {headers.get('ETag')!r}, expected {md5!r}")
        got = s3_client(port).get_object(Bucket=BUCKET, Key="keys/00000000")["Body"].read()
        if got != body:
            raise BenchError(f"{name}: the presigned PUT stored {len(got)} bytes, not the body")
    tag = f"s3-{name}-keys"
    r = b.run_wrk_script(procs, tmp, tag, port, write_keys_lua(tmp, tag, port, paths_file, body, b.THREADS),
                         b.THREADS, b.CONNECTIONS)
    res["keys_rps"] = r["rps"]
    res["keys_socket_errors"] = r.get("socket_errors")
    res["keys_requests"] = r["requests"]
    distinct = min(r["requests"], KEYS - 1)
    res["keys_wrapped"] = r["requests"] > KEYS - 1
    if real:
        # wrk counts answered requests; up to one per connection may have landed after it stopped.
        n = count_keys(name, port, "keys/", KEYS + 1) - 1
        if not distinct <= n <= min(distinct + b.CONNECTIONS, KEYS - 1):
            raise BenchError(f"{name}: {n} keys under keys/ after {r['requests']} answered PUTs "
                             f"to {KEYS - 1} distinct keys")
        res["keys_stored"] = n


# --- big objects ------------------------------------------------------------------------------

def make_file(path, mib):
    """`mib` MiB: one random MiB written over and over; returns its MD5 (the S3 ETag)."""
    block = os.urandom(MiB)
    h = hashlib.md5()
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(block)
            h.update(block)
        f.flush()
        os.fsync(f.fileno())  # nothing of it left to write back while we measure
    return h.hexdigest()


def time_cp(src, dst_dir, runs):
    """`cp --reflink=never src dst` then fsync(dst) (`sync dst`): the data read from the page
    cache (src was just written) and written to and flushed on this filesystem, as a server
    that fsyncs its data file before answering a PUT must. Median of `runs`."""
    size = os.path.getsize(src)
    full, copy_only = [], []
    for i in range(runs):
        dst = os.path.join(dst_dir, f"cp-{i}.bin")
        t0 = time.perf_counter()
        subprocess.run(["cp", "--reflink=never", src, dst], check=True)
        t1 = time.perf_counter()
        subprocess.run(["sync", dst], check=True)
        t2 = time.perf_counter()
        os.unlink(dst)
        full.append(size / MiB / (t2 - t0))
        copy_only.append(size / MiB / (t1 - t0))
    return statistics.median(full), statistics.median(copy_only)


def status_kb(pid):
    """VmRSS and RssAnon (kB) of a process plus its children."""
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    rss = anon = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("RssAnon:"):
                        anon += int(line.split()[1])
        except OSError:
            pass
    return rss, anon


class Sampler(threading.Thread):
    """Peak VmRSS / RssAnon of `pid`, read every SAMPLE_S seconds until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.done = threading.Event()
        self.peak_rss = self.peak_anon = 0
        self.samples = 0
        self.base_rss = None  # the first sample, just before the transfer

    def sample(self):
        rss, anon = status_kb(self.pid)
        if self.base_rss is None:
            self.base_rss = rss
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_anon = max(self.peak_anon, anon)
        self.samples += 1

    def run(self):
        self.sample()
        while not self.done.wait(SAMPLE_S):
            self.sample()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.join()
        self.sample()


def read_response(sock):
    r = http.client.HTTPResponse(sock)
    r.begin()
    return r


def big_put(port, path, src, size):
    """One PUT, Content-Length framed, the file handed to the kernel with sendfile."""
    s = socket.create_connection(("127.0.0.1", port), timeout=TRANSFER_TIMEOUT_S)
    try:
        s.sendall((f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {size}\r\n"
                   f"Content-Type: application/octet-stream\r\n\r\n").encode())
        err = None
        try:
            with open(src, "rb") as f:
                s.sendfile(f)
        except OSError as e:  # an early error answer: read it below
            err = e
        r = read_response(s)
        body = r.read()
        if err and r.status < 300:
            raise BenchError(f"PUT: the upload broke off ({err}) but the server answered {r.status}")
        return r.status, r.headers, body
    finally:
        s.close()


def big_get(port, path, headers=None, keep=False):
    """One GET; the body is counted into a 1 MiB buffer and dropped (or kept, for checks)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=TRANSFER_TIMEOUT_S)
    try:
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode())
        r = read_response(s)
        if keep or r.status >= 300:
            return r.status, r.headers, r.read()
        buf = bytearray(MiB)
        view = memoryview(buf)
        n = 0
        while True:
            k = r.readinto(view)
            if not k:
                break
            n += k
        return r.status, r.headers, n
    finally:
        s.close()


def check_ranges(name, port, path, src, size):
    """Three ranged GETs compared with the file: the timed GET only counted bytes."""
    rnd = random.Random(size)
    with open(src, "rb") as f:
        for start, length in ((0, MiB), (size - MiB, MiB), (rnd.randrange(size - 100000), 100000)):
            status, _, got = big_get(port, path, {"Range": f"bytes={start}-{start + length - 1}"}, keep=True)
            if status != 206:
                raise BenchError(f"{name}: ranged GET answered {status}: {got[:300]!r}")
            f.seek(start)
            if got != f.read(length):
                raise BenchError(f"{name}: bytes {start}-{start + length - 1} of the GET differ from the file")


def big_object(name, srv, src, size, md5, runs):
    """PUT then GET of `src`, `runs` times; median MiB/s and peak RSS over all runs."""
    port = srv.port
    real = name != "nginx"
    key = f"big/{size // MiB}m"
    pre = Presigner(port)
    put_path = pre.path("PUT", f"/{BUCKET}/{key}")
    get_path = pre.path("GET", f"/{BUCKET}/{key}")
    out = {"put": [], "get": [], "put_rss": 0, "get_rss": 0, "put_anon": 0, "get_anon": 0, "put_grow": 0,
           "get_grow": 0}
    for i in range(runs):
        with Sampler(srv.proc.pid) as smp:
            t0 = time.perf_counter()
            status, headers, body = big_put(port, put_path, src, size)
            dt = time.perf_counter() - t0
        expect(name, f"PUT of {size // MiB} MiB", status, body, (200, 201, 204))
        if real and headers.get("ETag", "").strip('"') != md5:
            raise BenchError(f"{name}: PUT of {size // MiB} MiB answered ETag {headers.get('ETag')!r}, "
                             f"expected {md5!r}")
        out["put"].append(size / MiB / dt)
        out["put_rss"] = max(out["put_rss"], smp.peak_rss)
        out["put_anon"] = max(out["put_anon"], smp.peak_anon)
        out["put_grow"] = max(out["put_grow"], smp.peak_rss - smp.base_rss)
        log(f"{name}: PUT {size // MiB} MiB in {dt:.2f} s ({size / MiB / dt:.0f} MiB/s), peak VmRSS "
            f"{smp.peak_rss / 1024:.1f} MB (anon {smp.peak_anon / 1024:.1f}), {smp.samples} samples")

        with Sampler(srv.proc.pid) as smp:
            t0 = time.perf_counter()
            status, headers, n = big_get(port, get_path)
            dt = time.perf_counter() - t0
        expect(name, f"GET of {size // MiB} MiB", status, n if isinstance(n, bytes) else b"")
        if n != size:
            raise BenchError(f"{name}: GET returned {n} bytes, expected {size}")
        if real and headers.get("ETag", "").strip('"') != md5:
            raise BenchError(f"{name}: GET answered ETag {headers.get('ETag')!r}, expected {md5!r}")
        out["get"].append(size / MiB / dt)
        out["get_rss"] = max(out["get_rss"], smp.peak_rss)
        out["get_anon"] = max(out["get_anon"], smp.peak_anon)
        out["get_grow"] = max(out["get_grow"], smp.peak_rss - smp.base_rss)
        log(f"{name}: GET {size // MiB} MiB in {dt:.2f} s ({size / MiB / dt:.0f} MiB/s), peak VmRSS "
            f"{smp.peak_rss / 1024:.1f} MB (anon {smp.peak_anon / 1024:.1f}), {smp.samples} samples")
    check_ranges(name, port, get_path, src, size)
    # Free the space (moto: the memory) before the next object.
    if real:
        s3_client(port).delete_object(Bucket=BUCKET, Key=key)
    else:
        os.unlink(os.path.join(srv.root, BUCKET, key))
    return {"put_mibs": statistics.median(out["put"]), "get_mibs": statistics.median(out["get"]),
            "put_rss_mb": out["put_rss"] / 1024, "get_rss_mb": out["get_rss"] / 1024,
            "put_anon_mb": out["put_anon"] / 1024, "get_anon_mb": out["get_anon"] / 1024,
            "put_grow_mb": out["put_grow"] / 1024, "get_grow_mb": out["get_grow"] / 1024}


def mem_available_mb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return 0


# --- report -----------------------------------------------------------------------------------

def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "req/s":
        return f"{v:,.0f}"
    if unit == "MiB/s":
        return f"{v:,.0f}"
    if unit == "MB":
        return f"{v:,.1f}"
    return str(v)


def ratio(a, c):
    if a is None or c is None or c == 0:
        return "-"
    r = a / c
    return f"{r:,.0f}x" if r >= 100 else f"{r:.2f}x"


def report(results, ref, info):
    def val(t, k):
        return results.get(t, {}).get(k)

    big, huge = f"{BIG_MB // 1024} GiB" if BIG_MB % 1024 == 0 else f"{BIG_MB} MiB", \
        f"{HUGE_MB // 1024} GiB" if HUGE_MB % 1024 == 0 else f"{HUGE_MB} MiB"
    rows = [
        ("GET 1 KiB, one key, c64", "get_rps", "req/s"),
        ("PUT 1 KiB, one key, c64", "put_rps", "req/s"),
        ("PUT 1 KiB, distinct keys, c64", "keys_rps", "req/s"),
        (f"PUT {big}", "big_put_mibs", "MiB/s"),
        (f"GET {big}", "big_get_mibs", "MiB/s"),
        (f"peak RSS during PUT {big}", "big_put_rss_mb", "MB"),
        (f"peak RSS during GET {big}", "big_get_rss_mb", "MB"),
    ]
    if HUGE_MB:
        rows += [
            (f"PUT {huge}", "huge_put_mibs", "MiB/s"),
            (f"GET {huge}", "huge_get_mibs", "MiB/s"),
            (f"peak RSS during PUT {huge}", "huge_put_rss_mb", "MB"),
            (f"peak RSS during GET {huge}", "huge_get_rss_mb", "MB"),
        ]
    rows += [("idle RSS after start", "rss_start_mb", "MB"), ("idle RSS after the run", "rss_end_mb", "MB")]

    cp = ref.get("cp_mibs")

    def x_moto(k):
        return (f">= {SMALL_X_MOTO:.0f}x moto",
                lambda: val("hakobu", k) / val("moto", k) >= SMALL_X_MOTO, ("hakobu", "moto"))

    def x_cp(k):
        return (f">= {BIG_X_CP}x cp+fsync", lambda: val("hakobu", k) / cp >= BIG_X_CP, ("hakobu",))

    def rss(k):
        return (f"< {HUGE_RSS_MB:.0f} MB", lambda: val("hakobu", k) < HUGE_RSS_MB, ("hakobu",))

    targets = {
        "get_rps": [x_moto("get_rps")], "put_rps": [x_moto("put_rps")], "keys_rps": [x_moto("keys_rps")],
        "big_put_mibs": [x_cp("big_put_mibs")], "big_get_mibs": [x_cp("big_get_mibs")],
        "huge_put_rss_mb": [rss("huge_put_rss_mb")], "huge_get_rss_mb": [rss("huge_get_rss_mb")],
    }

    header = ["metric", "unit", "hakobu", "moto", "nginx", "hakobu/moto", "hakobu/nginx", "hakobu/cp", "target"]
    table, missed = [], []
    for label, key, unit in rows:
        cells = [label, unit] + [fmt(val(t, key), unit) for t in ("hakobu", "moto", "nginx")]
        cells += [ratio(val("hakobu", key), val("moto", key)), ratio(val("hakobu", key), val("nginx", key)),
                  ratio(val("hakobu", key), cp) if unit == "MiB/s" else "-"]
        verdicts = []
        for desc, pred, needs in targets.get(key, []):
            if any(val(t, key) is None for t in needs) or (desc.endswith("cp+fsync") and not cp):
                verdicts.append(f"{desc}: n/a")
                continue
            ok = pred()
            verdicts.append(f"{desc}: {'PASS' if ok else 'FAIL'}")
            if not ok:
                missed.append(f"{label} ({desc})")
        cells.append("; ".join(verdicts))
        table.append(cells)
    b.print_table(header, table, left=(0, 1, 8))
    print()
    if cp:
        print(f"cp --reflink=never + fsync of the {big} file on the same filesystem: {cp:,.0f} MiB/s "
              f"(median of {CP_RUNS}; cp alone, into the page cache: {ref['cp_nosync_mibs']:,.0f} MiB/s)")
    print(f"wrk -t{b.THREADS} -c{b.CONNECTIONS} -d{b.DURATION}s, 1 KiB random body; distinct keys: "
          f"{KEYS - 1} presigned URLs cycled. Big objects: one PUT (sendfile) and one GET (1 MiB reads) "
          f"per run, median of {BIG_RUNS} (moto: 1); RSS: peak VmRSS sampled every {SAMPLE_S * 1000:.0f} ms "
          f"(nginx: master + workers); MB = MiB; {os.cpu_count()} CPUs.")
    for t in ("hakobu", "moto", "nginx"):
        if t not in results:
            continue
        if val(t, "put_errors"):
            print(f"note: {t} put: {val(t, 'put_errors')} answers were 500s (a moto race on overwrite), "
                  f"not counted in req/s")
        for k in ("get", "put", "keys"):
            if val(t, f"{k}_socket_errors"):
                print(f"note: {t} {k}: socket errors {val(t, f'{k}_socket_errors')}")
        if val(t, "keys_requests") is not None:
            stored = val(t, "keys_stored")
            print(f"note: {t} distinct keys: {val(t, 'keys_requests'):,} PUTs answered"
                  + (f", {stored:,} objects stored" if stored is not None else "")
                  + (" (wrapped around: later PUTs overwrote; raise BENCH_S3_KEYS)" if val(t, "keys_wrapped")
                     else ""))
        anon = [f"{k.replace('_', ' ')} {val(t, k + '_anon_mb'):.1f}"
                for k in ("big_put", "big_get", "huge_put", "huge_get") if val(t, k + "_anon_mb") is not None]
        if anon:
            print(f"note: {t} peak RssAnon (MB): {', '.join(anon)}")
        grow = [f"{k.replace('_', ' ')} +{val(t, k + '_grow_mb'):.1f}"
                for k in ("big_put", "big_get", "huge_put", "huge_get") if val(t, k + "_grow_mb") is not None]
        if grow:
            print(f"note: {t} peak VmRSS growth over the value just before the transfer (MB): {', '.join(grow)}")
    for n in info:
        print(f"note: {n}")
    la = ref.get("loadavg")
    if la:
        print(f"load average (1 min) before the run: {la[0]:.2f}, after: {la[1]:.2f}"
              + (" -- WARNING: the machine was busy with other work; numbers are unreliable"
                 if max(la) > 1.0 else ""))
    return missed


# --- main -------------------------------------------------------------------------------------

def main():
    tmp = os.environ.get("BENCH_TMP") or tempfile.mkdtemp(prefix="hakobu-bench-s3-")
    pids_file = os.environ.get("BENCH_PIDS_FILE") or os.path.join(tmp, "pids")
    for t in TARGETS:
        if t not in SERVERS:
            raise BenchError(f"unknown target {t!r} in BENCH_TARGETS (hakobu, moto, nginx)")
    if "hakobu" in TARGETS and not os.access(b.HAKOBU_BINARY, os.X_OK):
        raise BenchError(f"no hakobu binary at {b.HAKOBU_BINARY}: build it, set HAKOBU_BINARY, or set "
                         f"BENCH_TARGETS=moto,nginx")
    check_presigner()
    procs = b.Procs(pids_file)
    results = {t: {} for t in TARGETS}
    ref = {}
    info = []
    load0 = os.getloadavg()[0]
    body = os.urandom(SMALL)
    order = [t for t in ("hakobu", "moto", "nginx") if t in TARGETS]
    try:
        servers = {t: SERVERS[t](procs, tmp) for t in order}
        for t, s in servers.items():
            log(f"starting {t}")
            s.start()
        time.sleep(1.0)
        for t, s in servers.items():
            results[t]["rss_start_mb"] = s.rss_kb() / 1024.0

        for t in order:
            try:
                small_objects(t, servers[t], procs, tmp, results[t], body)
            except (BotoCoreError, ClientError) as e:
                raise BenchError(f"{t}: {e}") from e

        big_dir = tempfile.mkdtemp(prefix="big-", dir=tmp)
        src = os.path.join(big_dir, "big.bin")
        log(f"writing a {BIG_MB} MiB file")
        md5 = make_file(src, BIG_MB)
        log(f"cp: {CP_RUNS} copies of it")
        ref["cp_mibs"], ref["cp_nosync_mibs"] = time_cp(src, big_dir, CP_RUNS)
        log(f"cp + fsync: {ref['cp_mibs']:.0f} MiB/s; cp alone {ref['cp_nosync_mibs']:.0f} MiB/s")
        for t in order:
            try:
                r = big_object(t, servers[t], src, BIG_MB * MiB, md5, 1 if t == "moto" else BIG_RUNS)
            except (BotoCoreError, ClientError) as e:
                raise BenchError(f"{t}: {e}") from e
            for k, v in r.items():
                results[t][f"big_{k}"] = v
        os.unlink(src)

        if HUGE_MB:
            src = os.path.join(big_dir, "huge.bin")
            log(f"writing a {HUGE_MB} MiB file")
            md5 = make_file(src, HUGE_MB)
            for t in order:
                if t == "moto":
                    # moto's peak for the big object, scaled, must leave room for everyone else.
                    need = results["moto"]["big_put_rss_mb"] * HUGE_MB / BIG_MB * 1.5 + 4096
                    avail = mem_available_mb()
                    if MOTO_HUGE == "0" or (MOTO_HUGE == "auto" and avail < need):
                        info.append(f"moto skipped the {HUGE_MB} MiB object (BENCH_S3_MOTO_HUGE={MOTO_HUGE}; "
                                    f"MemAvailable {avail:,.0f} MB, wanted {need:,.0f} MB)")
                        continue
                try:
                    r = big_object(t, servers[t], src, HUGE_MB * MiB, md5, 1)
                except (BotoCoreError, ClientError) as e:
                    raise BenchError(f"{t}: {e}") from e
                for k, v in r.items():
                    results[t][f"huge_{k}"] = v
            os.unlink(src)

        time.sleep(1.0)
        for t, s in servers.items():
            results[t]["rss_end_mb"] = s.rss_kb() / 1024.0
            if s.proc.poll() is not None:
                raise BenchError(f"{t} died during the run:\n{b.tail(s.log_path)}")
    finally:
        procs.stop_all()
        if not os.environ.get("BENCH_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)
    ref["loadavg"] = (load0, os.getloadavg()[0])

    return b.finish(report(results, ref, info), {"results": results, "reference": ref, "notes": info})


if __name__ == "__main__":
    b.run(main)
