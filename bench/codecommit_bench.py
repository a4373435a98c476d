#!/usr/bin/env python3
"""CodeCommit: git over HTTP through hakobu next to git's own http-backend behind lighttpd.

See bench/README.md, section "CodeCommit (issue 5)". Started by `make bench-codecommit` (or run
directly). Processes and servers come from bench.py: every server and git command is started in
its own session and stopped by its process group in a `finally`; the temporary directory goes
at the end.

One repository (BENCH_CC_FILES files, about BENCH_CC_MB MB of random text in a directory tree,
one commit, repacked) and a second commit on top of it (BENCH_CC_CHANGED files changed, a few
added) are made once. Each round starts every server afresh on an empty data directory and runs,
with the stock git client:
  push               git push URL main          the whole repository into the empty one
  clone              git clone --no-checkout    everything back (hakobu's VmRSS sampled)
  incremental push   git push URL next:main     the second commit
  incremental fetch  git fetch                  the second commit into the clone
Medians over BENCH_CC_RUNS rounds. Both servers run side by side in a round and take each step in
turn, the first one alternating from round to round.

hakobu authenticates every request: an IAM user's service-specific HTTPS git credential
(CreateServiceSpecificCredential) through git's `store` credential helper, with a policy
allowing codecommit:*. The peer is the physical limit of git over HTTP: the same git
http-backend (CGI) behind lighttpd with mod_cgi, no authentication.
"""

import os
import resource
import shutil
import signal
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
TARGETS = [t for t in os.environ.get("BENCH_TARGETS", "hakobu,lighttpd").split(",") if t]
FILES = env_int("BENCH_CC_FILES", 20000)
TOTAL_MB = env_int("BENCH_CC_MB", 100)  # MB (10^6 bytes) of file contents
CHANGED = env_int("BENCH_CC_CHANGED", 200)  # files changed by the incremental commit
RUNS = env_int("BENCH_CC_RUNS", 3)
GIT = os.environ.get("GIT", "git")
LIGHTTPD = os.environ.get("LIGHTTPD", "/usr/sbin/lighttpd")
HTTP_BACKEND = os.environ.get("GIT_HTTP_BACKEND", "/usr/lib/git-core/git-http-backend")
GIT_TIMEOUT_S = 900
SAMPLE_S = 0.02  # VmRSS sampling period during the clone
# git sends a push body over http.postBuffer (1 MiB) chunked; this one is big enough for a
# Content-Length upload of the whole repository.
POST_BUFFER = "1g"
# lighttpd's server.stream-request-body for Content-Length uploads (see Lighttpd) and
# server.stream-response-body: 1 = stream, buffering to temporary files what the other side does
# not take yet; 2 = stream with minimal buffering. Chosen by measurement: bench/README.md.
LIGHTTPD_STREAM = env_int("BENCH_CC_LIGHTTPD_STREAM", 1)
LIGHTTPD_RESPONSE = env_int("BENCH_CC_LIGHTTPD_RESPONSE", 1)

REGION = b.REGION
REPO = "bench"
MiB = 1 << 20
ALLOW_CODECOMMIT = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codecommit:*",'
                    '"Resource":"*"}]}')

# Targets (issue 5): at most 10% slower than git's own http-backend behind a minimal CGI server.
WITHIN_PEER = 1.10
CLONE_RSS_GROWTH_MB = 16.0  # "flat": hakobu's VmRSS during a clone grows by less than this


# --- the repository ---------------------------------------------------------------------------

def text_block(rng_bytes):
    """Random bytes as lines of base64 text: text, but only ~25% compressible, like source
    mixed with generated data, so that packs are about as big as the files."""
    import base64
    raw = base64.b64encode(rng_bytes)
    lines, i, width = [], 0, 40
    while i < len(raw):
        lines.append(raw[i:i + width])
        i += width
        width = 20 + (width * 7) % 80  # 20..99 characters, varied
    return b"\n".join(lines) + b"\n"


def file_sizes(count, total, rnd):
    """Log-normal sizes (many small files, a few large ones) scaled to `total` bytes."""
    raw = [rnd.lognormvariate(0, 1.2) for _ in range(count)]
    scale = total / sum(raw)
    return [max(16, int(x * scale)) for x in raw]


def git(args, cwd=None, env=None, check=True):
    p = subprocess.run([GIT] + args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise BenchError(f"git {' '.join(args)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p.stdout.strip()


# The client's ~/.gitconfig. No automatic gc: a detached `gc --auto` after the 20,000-file
# commit would still be packing while the first round runs.
CLIENT_GITCONFIG = "[user]\n\tname = Bench\n\temail = bench@example.com\n[gc]\n\tauto = 0\n" \
                   "[maintenance]\n\tauto = false\n"


def client_env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "AWS_"))}
    env.update({"HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    return env


def make_repository(tmp, env):
    """The source repository: `main` = every file in one commit, `next` = main + one commit
    changing CHANGED files and adding a few; everything repacked into one pack."""
    import random
    rnd = random.Random(5)
    src = os.path.join(tmp, "src")
    git(["init", "-q", "-b", "main", src], env=env)
    sizes = file_sizes(FILES, TOTAL_MB * 1000 * 1000, rnd)
    paths = []
    for i, size in enumerate(sizes):
        d = os.path.join(src, f"dir{i % 200:03d}", f"sub{(i // 200) % 10}")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"file{i:05d}.txt")
        with open(path, "wb") as f:
            f.write(text_block(rnd.randbytes(size * 3 // 4)))
        paths.append(path)
    git(["add", "-A"], cwd=src, env=env)
    git(["commit", "-q", "-m", "the whole tree"], cwd=src, env=env)
    git(["checkout", "-q", "-b", "next"], cwd=src, env=env)
    for path in rnd.sample(paths, CHANGED):
        with open(path, "ab") as f:  # a few new lines at the end: deltas against the old blob
            f.write(text_block(rnd.randbytes(300)))
    for i in range(CHANGED // 10):
        with open(os.path.join(src, f"added{i:03d}.txt"), "wb") as f:
            f.write(text_block(rnd.randbytes(3000)))
    git(["add", "-A"], cwd=src, env=env)
    git(["commit", "-q", "-m", "an incremental change"], cwd=src, env=env)
    git(["checkout", "-q", "main"], cwd=src, env=env)
    git(["repack", "-adq"], cwd=src, env=env)
    stats = dict(line.split(": ", 1) for line in git(["count-objects", "-v"], cwd=src, env=env).splitlines())
    if stats["packs"] != "1" or stats["count"] != "0":
        raise BenchError(f"the source repository is not one pack: {stats}")
    return {
        "src": src,
        "main": git(["rev-parse", "main"], cwd=src, env=env),
        "next": git(["rev-parse", "next"], cwd=src, env=env),
        "files": len(paths),
        "dirs": len({os.path.dirname(p) for p in paths}),
        "bytes": sum(os.path.getsize(p) for p in paths),
        "pack_bytes": int(stats["size-pack"]) * 1024,
    }


# --- servers ----------------------------------------------------------------------------------

class Lighttpd(b.Server):
    """git http-backend behind lighttpd's mod_cgi as git-http-backend(1) sets it up, with the
    environment hakobu gives http-backend. `request_body` is server.stream-request-body: 2 streams
    a request body into the CGI program as it arrives, but answers a chunked one with 411 (CGI/1.1
    needs CONTENT_LENGTH); 0 reads the whole body first (to memory and temporary files) and then
    starts the program with CONTENT_LENGTH, the only way lighttpd takes git's chunked pushes."""
    name = "lighttpd"
    health = "/"
    request_body = LIGHTTPD_STREAM
    project_root = None

    def prepare(self, run_dir, port):
        os.makedirs(self.project_root, exist_ok=True)
        os.makedirs(os.path.join(run_dir, "www"))
        conf = f"""server.modules = ("mod_alias", "mod_setenv", "mod_cgi")
server.bind = "127.0.0.1"
server.port = {port}
server.document-root = "{run_dir}/www"
server.errorlog = "{run_dir}/error.log"
server.upload-dirs = ("{run_dir}")
server.stream-request-body = {self.request_body}
server.stream-response-body = {LIGHTTPD_RESPONSE}
alias.url = ("/git" => "{HTTP_BACKEND}")
$HTTP["url"] =~ "^/git" {{
  cgi.assign = ("" => "")
  setenv.set-environment = (
    "GIT_PROJECT_ROOT" => "{self.project_root}",
    "GIT_HTTP_EXPORT_ALL" => "1",
    "GIT_CONFIG_NOSYSTEM" => "1",
    "HOME" => "/nonexistent",
    "LC_ALL" => "C",
    "PATH" => "{os.environ.get('PATH', '/usr/bin:/bin')}"
  )
}}
"""
        with open(os.path.join(run_dir, "lighttpd.conf"), "w") as f:
            f.write(conf)

    def argv(self, port, run_dir):
        return [LIGHTTPD, "-D", "-f", os.path.join(run_dir, "lighttpd.conf")]


SERVERS = {"hakobu": b.Hakobu, "lighttpd": Lighttpd}


class Target:
    """A started server, its repositories and how git reaches them. `url` is the repository for
    the default (chunked) push, clone and fetch; `url_cl` an empty one for the Content-Length
    push. lighttpd runs twice on one project root: `srv` streams request bodies (everything but
    chunked pushes), `buffered` takes the chunked pushes (see Lighttpd)."""

    def __init__(self, name, procs, tmp, env):
        self.name = name
        self.srv = SERVERS[name](procs, tmp)
        self.buffered = None
        if name == "lighttpd":
            root = tempfile.mkdtemp(prefix="lighttpd-repos-", dir=tmp)
            self.srv.project_root = root
            self.buffered = Lighttpd(procs, tmp)
            self.buffered.project_root, self.buffered.request_body = root, 0
            self.buffered.start()
        self.srv.start()
        self.port = self.srv.port
        self.home = tempfile.mkdtemp(prefix=f"home-{name}-", dir=tmp)
        with open(os.path.join(self.home, ".gitconfig"), "w") as f:
            f.write(CLIENT_GITCONFIG)
        self.env = client_env(self.home)
        if name == "hakobu":
            self._codecommit_setup()
            return
        for repo in (REPO, REPO + "-cl"):
            bare = os.path.join(self.srv.project_root, f"{repo}.git")
            git(["init", "-q", "--bare", "--initial-branch=main", bare], env=env)
            # As hakobu's repositories (engine/repositories.cc): pushes allowed without REMOTE_USER.
            git(["config", "http.receivepack", "true"], cwd=bare, env=env)
            git(["config", "receive.denyDeleteCurrent", "false"], cwd=bare, env=env)
        self.url = f"http://127.0.0.1:{self.port}/git/{REPO}.git"
        self.push_url = f"http://127.0.0.1:{self.buffered.port}/git/{REPO}.git"
        self.url_cl = f"http://127.0.0.1:{self.port}/git/{REPO}-cl.git"

    def push_server(self):
        """The server that takes chunked pushes."""
        return self.buffered or self.srv

    def _codecommit_setup(self):
        endpoint = f"http://127.0.0.1:{self.port}"
        kw = dict(endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test",
                  aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))
        iam, cc = boto3.client("iam", **kw), boto3.client("codecommit", **kw)
        iam.create_user(UserName="bench")
        iam.put_user_policy(UserName="bench", PolicyName="git", PolicyDocument=ALLOW_CODECOMMIT)
        cred = iam.create_service_specific_credential(UserName="bench", ServiceName="codecommit.amazonaws.com")
        cred = cred["ServiceSpecificCredential"]
        cc.create_repository(repositoryName=REPO)
        cc.create_repository(repositoryName=REPO + "-cl")
        store = os.path.join(self.home, "git-credentials")
        with open(store, "w") as f:
            f.write(f"http://{urllib.parse.quote(cred['ServiceUserName'], safe='')}:"
                    f"{urllib.parse.quote(cred['ServicePassword'], safe='')}@127.0.0.1:{self.port}\n")
        os.chmod(store, 0o600)
        with open(os.path.join(self.home, ".gitconfig"), "a") as f:
            f.write(f"[credential]\n\thelper = store --file {store}\n")
        self.url = self.push_url = f"{endpoint}/v1/repos/{REPO}"
        self.url_cl = f"{endpoint}/v1/repos/{REPO}-cl"

    def stop(self):
        self.srv.stop()
        if self.buffered:
            self.buffered.stop()
        for entry in os.listdir(self.srv.tmp):
            if entry.startswith(f"{self.srv.name}-"):
                shutil.rmtree(os.path.join(self.srv.tmp, entry), ignore_errors=True)


# --- measuring --------------------------------------------------------------------------------

def cpu_s(pid):
    """(own, with reaped children) CPU seconds of a process: user + system. A CGI program's CPU
    (http-backend and the git it runs) joins the server's children's time once reaped."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tck = os.sysconf("SC_CLK_TCK")
    own = (int(fields[11]) + int(fields[12])) / tck
    return own, own + (int(fields[13]) + int(fields[14])) / tck


def vm_rss_kb(pid):
    """VmRSS of the process alone (not its CGI children)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.base = vm_rss_kb(pid)
        self.peak = self.base

    def run(self):
        while not self.done.wait(SAMPLE_S):
            self.peak = max(self.peak, vm_rss_kb(self.pid))

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.join()
        self.peak = max(self.peak, vm_rss_kb(self.pid))


def timed_git(procs, tmp, tag, args, cwd, t, srv=None):
    """One git command against target `t` (its server `srv`, else t.srv): seconds from spawn to
    exit, and the CPU seconds the server (own and with its CGI children) and git (with its
    children) used meanwhile."""
    out = os.path.join(tmp, f"{tag}.git.txt")
    pid = (srv or t.srv).proc.pid
    with open(out, "wb") as f:
        server0, client0 = cpu_s(pid), resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = procs.spawn([GIT] + args, cwd=cwd, env=t.env, stdout=f, stderr=subprocess.STDOUT)
        # Popen.wait(timeout) polls with sleeps of up to 50 ms, which would round the times; a
        # plain wait() blocks in waitpid, and a timer ends a hung git instead.
        expired = threading.Event()

        def expire():
            expired.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(GIT_TIMEOUT_S, expire)
        timer.start()
        rc = p.wait()
        dt = time.perf_counter() - t0
        timer.cancel()
        if expired.is_set():
            rc = None
        time.sleep(0.2)  # the server reaps its CGI child (and books its CPU) right after answering
        server1, client1 = cpu_s(pid), resource.getrusage(resource.RUSAGE_CHILDREN)
        procs.stop(p, signal.SIGKILL)
    if rc != 0:
        raise BenchError(f"{tag}: git {' '.join(args)} failed ({rc}):\n{b.tail(out)}")
    client = (client1.ru_utime + client1.ru_stime) - (client0.ru_utime + client0.ru_stime)
    return {"s": dt, "server_own_cpu": server1[0] - server0[0], "server_cpu": server1[1] - server0[1],
            "client_cpu": client}


def record(res, step, r):
    for k, v in r.items():
        res.setdefault(f"{step}_{k}", []).append(v)


def step(name, i, what, procs, tmp, t, res, args, cwd, srv=None, rss=False):
    """One timed git command of a round, recorded under `what`."""
    if rss:
        with RssSampler(t.srv.proc.pid) as smp:
            r = timed_git(procs, tmp, f"cc-{name}-{what}-{i}", args, cwd, t, srv)
        res.setdefault(f"{what}_rss_base_mb", []).append(smp.base / 1024.0)
        res.setdefault(f"{what}_rss_peak_mb", []).append(smp.peak / 1024.0)
    else:
        r = timed_git(procs, tmp, f"cc-{name}-{what}-{i}", args, cwd, t, srv)
    record(res, what, r)
    log(f"{name} round {i + 1}: {what} {r['s']:.2f} s (server CPU {r['server_cpu']:.2f} s, own "
        f"{r['server_own_cpu']:.2f} s; git {r['client_cpu']:.2f} s)"
        + (f", VmRSS {smp.base / 1024:.1f} -> peak {smp.peak / 1024:.1f} MB" if rss else ""))


def run_round(i, order, procs, tmp, repo, results, env):
    """Fresh servers, then each step on every server in turn (in `order`), so that the servers'
    numbers for one step are taken seconds apart: the machine's load drifts less between them."""
    targets = {}
    try:
        for name in order:
            targets[name] = Target(name, procs, tmp, env)
        if i == 0:
            time.sleep(1.0)
            for name, t in targets.items():
                results[name]["rss_idle_mb"] = vm_rss_kb(t.srv.proc.pid) / 1024.0
        src = repo["src"]
        dest = {name: os.path.join(tmp, f"clone-{name}-{i}") for name in order}

        def each(what, args_of, cwd_of, server_of=lambda t: None, rss=False):
            for name in order:
                t = targets[name]
                step(name, i, what, procs, tmp, t, results[name], args_of(name, t), cwd_of(name), server_of(t),
                     rss)

        each("push", lambda n, t: ["push", "-q", t.push_url, "main"], lambda n: src, lambda t: t.push_server())
        each("pushcl", lambda n, t: ["-c", f"http.postBuffer={POST_BUFFER}", "push", "-q", t.url_cl, "main"],
             lambda n: src)
        each("clone", lambda n, t: ["clone", "-q", "--no-checkout", t.url, dest[n]], lambda n: tmp, rss=True)
        for name, t in targets.items():
            head = git(["rev-parse", "HEAD"], cwd=dest[name], env=t.env)
            if head != repo["main"]:
                raise BenchError(f"{name}: the clone's HEAD is {head}, expected {repo['main']}")
        each("ipush", lambda n, t: ["push", "-q", t.push_url, "next:main"], lambda n: src, lambda t: t.push_server())
        each("fetch", lambda n, t: ["fetch", "-q", "origin"], lambda n: dest[n])
        for name, t in targets.items():
            got = git(["rev-parse", "origin/main"], cwd=dest[name], env=t.env)
            if got != repo["next"]:
                raise BenchError(f"{name}: after the fetch origin/main is {got}, expected {repo['next']}")
            if git(["fsck", "--connectivity-only", "-q"], cwd=dest[name], env=t.env, check=False) != "":
                raise BenchError(f"{name}: the clone is not connected")
            shutil.rmtree(dest[name], ignore_errors=True)
            if t.srv.proc.poll() is not None:
                raise BenchError(f"{name} died during the round:\n{b.tail(t.srv.log_path)}")
    finally:
        for t in targets.values():
            t.stop()


# --- report -----------------------------------------------------------------------------------

# (label, key, unit, which way is good, target on hakobu/peer or on hakobu alone)
ROWS = [
    ("push (whole repository), time", "push_s", "s", "lower", ("ratio", WITHIN_PEER)),
    ("push, throughput", "push_mibs", "MiB/s", "higher", None),
    ("push, server CPU incl. git", "push_server_cpu", "s", "lower", None),
    ("push, server CPU, front only", "push_server_own_cpu", "s", "lower", None),
    ("push, git client CPU", "push_client_cpu", "s", "lower", None),
    ("push with Content-Length, time", "pushcl_s", "s", "lower", ("ratio", WITHIN_PEER)),
    ("push with Content-Length, server CPU incl. git", "pushcl_server_cpu", "s", "lower", None),
    ("clone, time", "clone_s", "s", "lower", ("ratio", WITHIN_PEER)),
    ("clone, throughput", "clone_mibs", "MiB/s", "higher", None),
    ("clone, server CPU incl. git", "clone_server_cpu", "s", "lower", None),
    ("clone, server CPU, front only", "clone_server_own_cpu", "s", "lower", None),
    ("clone, git client CPU", "clone_client_cpu", "s", "lower", None),
    ("incremental push, time", "ipush_s", "s", "lower", None),
    ("incremental fetch, time", "fetch_s", "s", "lower", None),
    ("incremental fetch, server CPU incl. git", "fetch_server_cpu", "s", "lower", None),
    ("idle RSS after start", "rss_idle_mb", "MB", "lower", None),
    ("RSS just before the clone", "clone_rss_base_mb", "MB", "lower", None),
    ("peak RSS during the clone", "clone_rss_peak_mb", "MB", "lower", ("growth", CLONE_RSS_GROWTH_MB)),
]


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "MiB/s":
        return f"{v:,.1f}"
    if unit == "s":
        return f"{v:.3f}" if v < 10 else f"{v:.1f}"
    return f"{v:,.1f}"


def ratio(a, c):
    if a is None or c is None or c == 0:
        return "-"
    return f"{a / c:.2f}x"


def verdict(target, h, p, res):
    if target is None:
        return ""
    kind, limit = target
    if kind == "ratio":
        desc = f"<= {limit:.2f}x peer"
        ok = None if h is None or not p else h / p <= limit
    else:
        desc = f"growth < {limit:.0f} MB"
        base = res.get("clone_rss_base_mb")
        ok = None if h is None or base is None else h - base < limit
    return f"{desc}: {'n/a' if ok is None else 'PASS' if ok else 'MISS'}"


def report(results, repo, loadavg):
    def val(t, k):
        return results.get(t, {}).get(k)

    header = ["metric", "unit", "hakobu", "lighttpd", "hakobu/lighttpd", "ratio is good when", "target"]
    table, missed = [], []
    for label, key, unit, better, target in ROWS:
        h, p = val("hakobu", key), val("lighttpd", key)
        v = verdict(target, h, p, results.get("hakobu", {}))
        if v.endswith("MISS"):
            missed.append(f"{label} ({v[:-6]})")
        table.append([label, unit, fmt(h, unit), fmt(p, unit), ratio(h, p), better, v])
    b.print_table(header, table, left=(0, 1, 5, 6))
    print()
    print(f"repository: {repo['files']:,} files, {repo['bytes'] / 1e6:.1f} MB of random base64 text in "
          f"{repo['dirs']:,} directories, one commit, packed: {repo['pack_bytes'] / MiB:.1f} MiB; the incremental "
          f"commit changes {CHANGED} files and adds {CHANGED // 10}. git {git(['--version']).split()[-1]}, "
          f"protocol v2, client defaults (http.postBuffer 1 MiB: the push is chunked). Times spawn to exit, median "
          f"of {RUNS} rounds, both servers fresh each round, steps interleaved; clone = git clone --no-checkout; "
          f"MiB/s = pack size / time; "
          f"CPU = user + system seconds meanwhile (server: /proc/PID/stat, with reaped children = http-backend and "
          f"the git it runs; git: its rusage); RSS = VmRSS of the server process alone, every "
          f"{SAMPLE_S * 1000:.0f} ms; MB = MiB.")
    print("hakobu: IAM user with a service-specific git credential (git's store helper), every request "
          "authenticated and authorized (codecommit:GitPush/GitPull); lighttpd "
          f"{lighttpd_version()}: mod_cgi, server.stream-response-body = {LIGHTTPD_RESPONSE}, "
          f"server.stream-request-body = {LIGHTTPD_STREAM} "
          "(0 for the chunked pushes, which lighttpd must read whole before it starts the CGI program), no "
          "authentication; both run /usr/lib/git-core/git-http-backend. push = git's default (chunked upload); "
          f"push with Content-Length = git -c http.postBuffer={POST_BUFFER} push into a second empty repository; "
          f"{os.cpu_count()} CPUs.")
    for t in ("hakobu", "lighttpd"):
        for k in ("push_s", "pushcl_s", "clone_s", "ipush_s", "fetch_s"):
            if val(t, k + "_all"):
                print(f"note: {t} {k[:-2]} runs (s): {', '.join(f'{x:.3f}' for x in val(t, k + '_all'))}")
    print(f"load average (1 min) before the run: {loadavg[0]:.2f}, after: {loadavg[1]:.2f} (with the run's own)"
          + (" -- WARNING: the machine was busy with other work; numbers are unreliable"
             if loadavg[0] > 1.0 else ""))
    return missed


def lighttpd_version():
    try:
        out = subprocess.run([LIGHTTPD, "-v"], capture_output=True, text=True).stdout
        return out.split()[0].split("/")[1]
    except (OSError, IndexError):
        return "?"


def summarize(res, repo):
    for k in list(res):
        if isinstance(res[k], list):
            if k.endswith("_s"):
                res[k + "_all"] = res[k]
            res[k] = statistics.median(res[k])
    if "push_s" in res:
        res["push_mibs"] = repo["pack_bytes"] / MiB / res["push_s"]
    if "pushcl_s" in res:
        res["pushcl_mibs"] = repo["pack_bytes"] / MiB / res["pushcl_s"]
    if "clone_s" in res:
        res["clone_mibs"] = repo["pack_bytes"] / MiB / res["clone_s"]


# --- main -------------------------------------------------------------------------------------

def main():
    tmp = tempfile.mkdtemp(prefix="hakobu-bench-codecommit-", dir=os.environ.get("TMPDIR") or "/tmp")
    pids_file = os.path.join(tmp, "pids")
    for t in TARGETS:
        if t not in SERVERS:
            raise BenchError(f"unknown target {t!r} in BENCH_TARGETS (hakobu, lighttpd)")
    if "hakobu" in TARGETS and not os.access(b.HAKOBU_BINARY, os.X_OK):
        raise BenchError(f"no hakobu binary at {b.HAKOBU_BINARY}: build it or set HAKOBU_BINARY")
    for tool in ([LIGHTTPD] if "lighttpd" in TARGETS else []) + [HTTP_BACKEND]:
        if not os.access(tool, os.X_OK):
            raise BenchError(f"{tool} is missing: scripts/install-deps.sh --bench installs it")
    procs = b.Procs(pids_file)
    results = {t: {} for t in TARGETS}
    order = [t for t in ("hakobu", "lighttpd") if t in TARGETS]
    load0 = os.getloadavg()[0]
    try:
        env = client_env(os.path.join(tmp, "home"))
        os.makedirs(env["HOME"])
        with open(os.path.join(env["HOME"], ".gitconfig"), "w") as f:
            f.write(CLIENT_GITCONFIG)
        t0 = time.perf_counter()
        repo = make_repository(tmp, env)
        log(f"repository: {repo['files']} files, {repo['bytes'] / 1e6:.1f} MB, pack {repo['pack_bytes'] / MiB:.1f} "
            f"MiB, made in {time.perf_counter() - t0:.1f} s")
        for i in range(RUNS):
            # Alternate who goes first, so that neither always runs on the warmer caches.
            run_round(i, order if i % 2 == 0 else order[::-1], procs, tmp, repo, results, env)
        for name in order:
            summarize(results[name], repo)
    finally:
        procs.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    missed = report(results, repo, (load0, os.getloadavg()[0]))
    return b.finish(missed, {"results": results, "repository": {k: v for k, v in repo.items() if k != "src"}})


if __name__ == "__main__":
    b.run(main)
