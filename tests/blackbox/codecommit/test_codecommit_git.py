"""git over HTTP against hakobu's CodeCommit with the stock git client and the aws CLI's
credential helper: clone, push, fetch, force-push, tags, shallow clones, large pushes, wrong or
missing credentials, branch protection through IAM (§2.5) and the events every ref change
publishes."""
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest
from git_client import GitClient

ACCOUNT = "000000000000"
# The AWS-documented helper line plus the flag a non-AWS host needs (aws CLI v2's `get`
# accepts it; `store`/`erase` print "Unknown options", which git ignores).
AWS = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else shutil.which("aws")
HELPER = f"!{AWS} codecommit credential-helper --ignore-host-check $@"

BRANCH_PROTECTION = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Deny",
        "Action": ["codecommit:GitPush", "codecommit:DeleteBranch", "codecommit:PutFile", "codecommit:Merge*"],
        "Resource": f"arn:aws:codecommit:us-east-1:{ACCOUNT}:protected",
        "Condition": {"StringEqualsIfExists": {"codecommit:References": ["refs/heads/main"]},
                      "Null": {"codecommit:References": "false"}},
    }],
}
ALLOW_CODECOMMIT = {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "codecommit:*", "Resource": "*"}]}


class Git(GitClient):
    """git with the credential helper in its .gitconfig and AWS credentials in its environment."""

    def __init__(self, home, key="test", secret="test", helper=True):
        super().__init__(home, env={
            "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(home / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(home / "none"),
        }, config=f'[credential]\n\thelper = "{HELPER}"\n\tUseHttpPath = true\n' if helper else "")


def repo_url(hakobu, name):
    return f"{hakobu.url}/v1/repos/{name}"


def codecommit_events(hakobu):
    with urllib.request.urlopen(f"{hakobu.url}/_hakobu/events?source=aws.codecommit", timeout=10) as r:
        return json.loads(r.read())["events"]


def ref_events(hakobu, repo):
    return [(e["detail"]["event"], e["detail"]["referenceFullName"]) for e in codecommit_events(hakobu)
            if e["detail"].get("repositoryName") == repo and "referenceFullName" in e["detail"]]


def commit(g, work, name, text):
    (work / name).write_text(text)
    g.run(work, "add", name)
    g.run(work, "commit", "-qm", f"{name}: {text.strip()}")
    return g.run(work, "rev-parse", "HEAD").stdout.strip()


def test_clone_push_fetch_force_push_tags_shallow(client, hakobu, tmp_path):
    cc = client("codecommit")
    cc.create_repository(repositoryName="gitrepo")
    g = Git(tmp_path / "home")
    url = repo_url(hakobu, "gitrepo")
    g.run(tmp_path, "clone", "-q", url, "work")  # empty repository
    work = tmp_path / "work"
    first = commit(g, work, "a.txt", "one\n")
    g.run(work, "push", "-q", "origin", "main")
    assert cc.get_branch(repositoryName="gitrepo", branchName="main")["branch"]["commitId"] == first
    assert cc.get_repository(repositoryName="gitrepo")["repositoryMetadata"]["defaultBranch"] == "main"

    second = commit(g, work, "a.txt", "two\n")
    g.run(work, "tag", "v1")
    g.run(work, "push", "-q", "origin", "main", "v1")
    g.run(work, "push", "-q", "origin", "main:feature")
    g.run(tmp_path, "clone", "-q", url, "copy")
    assert g.run(tmp_path / "copy", "rev-parse", "v1").stdout.strip() == second
    g.run(tmp_path, "clone", "-q", "--depth", "1", url, "shallow")
    assert g.run(tmp_path / "shallow", "rev-list", "--count", "HEAD").stdout.strip() == "1"

    g.run(work, "push", "-q", "-f", "origin", f"{first}:refs/heads/main")
    g.run(tmp_path / "copy", "fetch", "-q", "origin")
    assert g.run(tmp_path / "copy", "rev-parse", "origin/main").stdout.strip() == first
    g.run(work, "push", "-q", "origin", "--delete", "feature")
    branches = cc.list_branches(repositoryName="gitrepo")["branches"]
    assert branches == ["main"]

    assert ref_events(hakobu, "gitrepo") == [
        ("referenceCreated", "refs/heads/main"), ("referenceUpdated", "refs/heads/main"),
        ("referenceCreated", "refs/tags/v1"), ("referenceCreated", "refs/heads/feature"),
        ("referenceUpdated", "refs/heads/main"), ("referenceDeleted", "refs/heads/feature")]
    created = [e for e in codecommit_events(hakobu) if e["detail"].get("referenceFullName") == "refs/tags/v1"][0]
    assert created["detail-type"] == "CodeCommit Repository State Change"
    assert created["resources"] == [f"arn:aws:codecommit:us-east-1:{ACCOUNT}:gitrepo"]
    assert created["detail"]["commitId"] == second
    assert created["detail"]["referenceType"] == "tag"
    assert created["detail"]["callerUserArn"] == f"arn:aws:iam::{ACCOUNT}:root"


def test_large_push_and_clone(client, hakobu, tmp_path):
    client("codecommit").create_repository(repositoryName="big")
    g = Git(tmp_path / "home")
    work = tmp_path / "work"
    g.run(tmp_path, "init", "-q", "work")
    (work / "blob.bin").write_bytes(os.urandom(30 * 1024 * 1024))  # pushed as a chunked POST
    g.run(work, "add", "blob.bin")
    g.run(work, "commit", "-qm", "big")
    g.run(work, "push", "-q", repo_url(hakobu, "big"), "main")
    g.run(tmp_path, "clone", "-q", repo_url(hakobu, "big"), "copy")
    assert (tmp_path / "copy" / "blob.bin").read_bytes() == (work / "blob.bin").read_bytes()


def test_wrong_and_missing_credentials(client, hakobu, tmp_path):
    client("codecommit").create_repository(repositoryName="locked")
    url = repo_url(hakobu, "locked")
    wrong = Git(tmp_path / "wrong", secret="not-the-secret").run(tmp_path, "ls-remote", url, check=False)
    assert wrong.returncode != 0
    assert "The requested URL returned error: 403" in wrong.stderr
    unknown = Git(tmp_path / "unknown", key="AKIANOSUCHKEY").run(tmp_path, "ls-remote", url, check=False)
    assert "The requested URL returned error: 403" in unknown.stderr
    none = Git(tmp_path / "none", helper=False).run(tmp_path, "ls-remote", url, check=False)
    assert none.returncode != 0
    assert "could not read Username" in none.stderr
    # Without credentials the server challenges with Basic (what makes git ask the helper).
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(f"{url}/info/refs?service=git-upload-pack", timeout=10)
    assert e.value.code == 401
    assert e.value.headers["WWW-Authenticate"].startswith("Basic realm=")
    missing = Git(tmp_path / "ok").run(tmp_path, "ls-remote", repo_url(hakobu, "nope"), check=False)
    assert missing.returncode != 0
    assert "not found" in missing.stderr


def test_branch_protection_for_an_iam_user(client, hakobu, tmp_path):
    cc = client("codecommit")
    cc.create_repository(repositoryName="protected")
    admin = Git(tmp_path / "admin")
    work = tmp_path / "work"
    admin.run(tmp_path, "init", "-q", "work")
    commit(admin, work, "f.txt", "base\n")
    url = repo_url(hakobu, "protected")
    admin.run(work, "push", "-q", url, "main")
    base = cc.get_branch(repositoryName="protected", branchName="main")["branch"]["commitId"]

    iam = client("iam")
    iam.create_user(UserName="dev")
    iam.put_user_policy(UserName="dev", PolicyName="codecommit", PolicyDocument=json.dumps(ALLOW_CODECOMMIT))
    iam.put_user_policy(UserName="dev", PolicyName="protect-main", PolicyDocument=json.dumps(BRANCH_PROTECTION))
    key = iam.create_access_key(UserName="dev")["AccessKey"]
    dev = Git(tmp_path / "dev", key=key["AccessKeyId"], secret=key["SecretAccessKey"])

    commit(dev, work, "f.txt", "change\n")
    dev.run(work, "push", "-q", url, "main:feature")  # feature branches are fine
    assert cc.get_branch(repositoryName="protected", branchName="feature")["branch"]["commitId"] != base

    denied = dev.run(work, "push", url, "main", check=False)
    assert denied.returncode != 0
    assert "is not authorized to perform: codecommit:GitPush" in denied.stderr, denied.stderr
    assert "[remote rejected] main -> main" in denied.stderr, denied.stderr
    deleted = dev.run(work, "push", url, "--delete", "main", check=False)
    assert deleted.returncode != 0
    assert cc.get_branch(repositoryName="protected", branchName="main")["branch"]["commitId"] == base
    dev.run(tmp_path, "clone", "-q", url, "devcopy")  # pulling is still allowed
