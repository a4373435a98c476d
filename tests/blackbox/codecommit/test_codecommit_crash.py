"""kill -9 of hakobu during a git push, then a restart on the same data directory: the repository
is consistent (git fsck), the branch is at its old commit or the new one and never anything else,
git and GetBranch agree, and the next push works. Kill points: while a ~50 MB pack streams in,
just before it is complete, and after git moved the ref (a post-receive hook holds the push
there)."""
import glob
import json
import os
import stat
import subprocess
import time
import urllib.request

import pytest
from test_codecommit_git import Git, repo_url

FILES = 200  # > receive.unpackLimit (100 objects): receive-pack streams one pack to disk
FILE_BYTES = 256 * 1024  # 200 x 256 KiB of random bytes: a ~50 MB pack git cannot compress


def commit_big_tree(g, work, tag):
    for i in range(FILES):
        (work / f"data{i:03}.bin").write_bytes(os.urandom(FILE_BYTES))
    g.run(work, "add", "-A")
    g.run(work, "commit", "-qm", f"big {tag}")
    return g.run(work, "rev-parse", "HEAD").stdout.strip()


def commit_small(g, work, text):
    (work / "README.md").write_text(text)
    g.run(work, "add", "README.md")
    g.run(work, "commit", "-qm", text.strip())
    return g.run(work, "rev-parse", "HEAD").stdout.strip()


def quarantine_dirs(git_dir):
    # git 2.39 names receive-pack's quarantine objects/tmp_objdir-incoming-XXXXXX.
    return glob.glob(os.path.join(git_dir, "objects", "*incoming-*"))


def incoming_pack_bytes(git_dir):
    """Bytes receive-pack has written of the pack it is receiving."""
    sizes = []
    for path in glob.glob(os.path.join(git_dir, "objects", "*incoming-*", "pack", "tmp_pack_*")):
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            pass
    return max(sizes, default=0)


def processes_in(git_dir):
    """Processes (an orphaned http-backend, receive-pack or hook) working in the repository."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if cwd == git_dir or cwd.startswith(git_dir + "/"):
            found.append(int(pid))
    return found


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


class Setup:
    """A private hakobu with repository "crash", a git client and its work tree."""

    def __init__(self, start_hakobu, tmp_path):
        self.server = start_hakobu()
        self.cc = self.server.client("codecommit")
        repo_id = self.cc.create_repository(repositoryName="crash")["repositoryMetadata"]["repositoryId"]
        self.git_dir = os.path.realpath(os.path.join(self.server.data_dir, "codecommit", "repos", f"{repo_id}.git"))
        self.tmp = tmp_path
        self.g = Git(tmp_path / "home")
        self.work = tmp_path / "work"
        self.g.run(tmp_path, "init", "-q", "work")

    @property
    def url(self):
        return repo_url(self.server, "crash")

    def start_push(self):
        return subprocess.Popen(["git", "push", "-q", self.url, "main"], cwd=self.work, env=self.g.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def kill_and_restart(self, push):
        """kill -9 now; let what git http-backend started finish without hakobu; start again."""
        try:
            self.server.kill9()
            push.wait(timeout=60)
        finally:
            if push.poll() is None:
                push.kill()
                push.wait()
        wait_for(lambda: not processes_in(self.git_dir), 60, "git processes left in the repository")
        self.server.start(port=self.server.port)

    def branch(self):
        return self.cc.get_branch(repositoryName="crash", branchName="main")["branch"]["commitId"]

    def check_consistent(self, allowed):
        """fsck, the branch one of `allowed`, GetBranch = ls-remote = a fresh clone's HEAD."""
        fsck = subprocess.run(["git", "--git-dir", self.git_dir, "fsck", "--full", "--strict"], capture_output=True,
                              text=True)
        assert fsck.returncode == 0, fsck.stdout + fsck.stderr
        branch = self.branch()
        assert branch in allowed
        remote = self.g.run(self.work, "ls-remote", self.url, "refs/heads/main").stdout.split()[0]
        assert remote == branch
        clone = self.tmp / f"clone-{branch[:8]}"
        self.g.run(self.tmp, "clone", "-q", self.url, str(clone))
        assert self.g.run(clone, "fsck", "--full", check=False).returncode == 0
        assert self.g.run(clone, "rev-parse", "HEAD").stdout.strip() == branch
        return branch

    def check_next_push(self):
        newer = commit_small(self.g, self.work, "after the restart\n")
        self.g.run(self.work, "push", "-q", "-f", self.url, "main")
        assert self.branch() == newer
        assert self.g.run(self.work, "ls-remote", self.url, "refs/heads/main").stdout.split()[0] == newer

    def events(self):
        with urllib.request.urlopen(f"{self.server.url}/_hakobu/events?source=aws.codecommit", timeout=10) as r:
            return [e["detail"] for e in json.loads(r.read())["events"]]


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [0.3, 0.97], ids=["early", "late"])
def test_kill9_during_a_large_push(start_hakobu, tmp_path, kill_at):
    s = Setup(start_hakobu, tmp_path)
    old = commit_small(s.g, s.work, "first\n")
    s.g.run(s.work, "push", "-q", s.url, "main")
    new = commit_big_tree(s.g, s.work, "one")
    push = s.start_push()
    wait_for(lambda: incoming_pack_bytes(s.git_dir) >= kill_at * FILES * FILE_BYTES or push.poll() is not None, 120,
             "the pack to arrive")
    acknowledged = push.poll() == 0
    s.kill_and_restart(push)
    branch = s.check_consistent({old, new})
    if acknowledged:
        assert branch == new, "an acknowledged push was lost"
    s.check_next_push()


@pytest.mark.slow
def test_kill9_during_a_push_leaves_no_partial_pack(start_hakobu, tmp_path):
    s = Setup(start_hakobu, tmp_path)
    commit_small(s.g, s.work, "first\n")
    s.g.run(s.work, "push", "-q", s.url, "main")
    commit_big_tree(s.g, s.work, "one")
    push = s.start_push()
    wait_for(lambda: incoming_pack_bytes(s.git_dir) >= 0.3 * FILES * FILE_BYTES or push.poll() is not None, 120,
             "the pack to arrive")
    s.kill_and_restart(push)
    assert not quarantine_dirs(s.git_dir)


class RefMovedSetup(Setup):
    """The first push into the empty repository, killed once git has moved main: a post-receive
    hook (run after the ref update and the status report) marks that moment and holds
    receive-pack there."""

    def __init__(self, start_hakobu, tmp_path):
        super().__init__(start_hakobu, tmp_path)
        marker = tmp_path / "ref-moved"
        hook = os.path.join(self.git_dir, "hooks", "post-receive")
        with open(hook, "w") as f:
            f.write(f"#!/bin/sh\ncat >/dev/null\ntouch '{marker}'\nsleep 3\n")
        os.chmod(hook, os.stat(hook).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        self.pushed = commit_small(self.g, self.work, "first\n")
        push = self.start_push()
        wait_for(lambda: marker.exists() or push.poll() is not None, 60, "the ref update")
        assert marker.exists(), push.stderr.read()
        self.kill_and_restart(push)
        os.remove(hook)


@pytest.mark.slow
def test_kill9_after_git_moved_the_ref(start_hakobu, tmp_path):
    s = RefMovedSetup(start_hakobu, tmp_path)
    assert s.check_consistent({s.pushed}) == s.pushed
    s.check_next_push()


@pytest.mark.slow
def test_kill9_after_git_moved_the_ref_keeps_its_event_and_default_branch(start_hakobu, tmp_path):
    s = RefMovedSetup(start_hakobu, tmp_path)
    created = [e for e in s.events() if e.get("referenceFullName") == "refs/heads/main"]
    assert [(e["event"], e["commitId"]) for e in created] == [("referenceCreated", s.pushed)]
    assert s.cc.get_repository(repositoryName="crash")["repositoryMetadata"].get("defaultBranch") == "main"
