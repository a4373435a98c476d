"""git over HTTP with IAM's HTTPS git credentials (service-specific credentials): the stock git
client with "<user>-at-<account>" and the ServicePassword in the URL or in git's credential
store; wrong, inactive and reset passwords are refused (403); the user's IAM policies apply."""
import json
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import base64

from git_client import GitClient

ACCOUNT = "000000000000"
CODECOMMIT = "codecommit.amazonaws.com"
ALLOW_CODECOMMIT = json.dumps({"Version": "2012-10-17",
                               "Statement": [{"Effect": "Allow", "Action": "codecommit:*", "Resource": "*"}]})


class Git(GitClient):
    """git with no credential helper, or git's own credential store when given one."""

    def __init__(self, home, store=None):
        super().__init__(home, config=f"[credential]\n\thelper = store --file {store}\n" if store is not None else "")


def credential(iam, user):
    return iam.create_service_specific_credential(UserName=user, ServiceName=CODECOMMIT)["ServiceSpecificCredential"]


def url_with(hakobu, repo, user, password):
    host = hakobu.url.split("://", 1)[1]
    return (f"http://{urllib.parse.quote(user, safe='')}:{urllib.parse.quote(password, safe='')}@{host}"
            f"/v1/repos/{repo}")


def git_user(iam, name, *policies):
    iam.create_user(UserName=name)
    for i, policy in enumerate(policies):
        iam.put_user_policy(UserName=name, PolicyName=f"p{i}", PolicyDocument=policy)
    return credential(iam, name)


def commit(g, work, name, text):
    (work / name).write_text(text)
    g.run(work, "add", name)
    g.run(work, "commit", "-qm", name)
    return g.run(work, "rev-parse", "HEAD").stdout.strip()


def info_refs_status(hakobu, repo, user, password):
    req = urllib.request.Request(f"{hakobu.url}/v1/repos/{repo}/info/refs?service=git-upload-pack")
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_clone_and_push_with_password_in_url(client, hakobu, tmp_path):
    iam, cc = client("iam"), client("codecommit")
    cc.create_repository(repositoryName="pwrepo")
    c = git_user(iam, "gitter", ALLOW_CODECOMMIT)
    assert c["ServiceUserName"] == f"gitter-at-{ACCOUNT}"
    g = Git(tmp_path / "home")
    url = url_with(hakobu, "pwrepo", c["ServiceUserName"], c["ServicePassword"])
    g.run(tmp_path, "clone", "-q", url, "work")
    work = tmp_path / "work"
    head = commit(g, work, "a.txt", "one\n")
    g.run(work, "push", "-q", "origin", "main")
    assert cc.get_branch(repositoryName="pwrepo", branchName="main")["branch"]["commitId"] == head
    g.run(tmp_path, "clone", "-q", url, "copy")
    assert g.run(tmp_path / "copy", "rev-parse", "HEAD").stdout.strip() == head
    # The push is the user's: its events name the IAM user.
    with urllib.request.urlopen(f"{hakobu.url}/_hakobu/events?source=aws.codecommit", timeout=10) as r:
        events = [e for e in json.loads(r.read())["events"] if e["detail"].get("repositoryName") == "pwrepo"]
    assert events and events[0]["detail"]["callerUserArn"] == f"arn:aws:iam::{ACCOUNT}:user/gitter"


def test_credential_store(client, hakobu, tmp_path):
    iam, cc = client("iam"), client("codecommit")
    cc.create_repository(repositoryName="storerepo")
    c = git_user(iam, "storer", ALLOW_CODECOMMIT)
    store = tmp_path / "git-credentials"
    host = hakobu.url.split("://", 1)[1]
    store.write_text(f"http://{urllib.parse.quote(c['ServiceUserName'], safe='')}:"
                     f"{urllib.parse.quote(c['ServicePassword'], safe='')}@{host}\n")
    g = Git(tmp_path / "home", store=store)
    g.run(tmp_path, "clone", "-q", f"{hakobu.url}/v1/repos/storerepo", "work")
    work = tmp_path / "work"
    head = commit(g, work, "b.txt", "two\n")
    g.run(work, "push", "-q", "origin", "main")
    assert cc.get_branch(repositoryName="storerepo", branchName="main")["branch"]["commitId"] == head


def test_wrong_inactive_and_reset_passwords_are_refused(client, hakobu, tmp_path):
    iam, cc = client("iam"), client("codecommit")
    cc.create_repository(repositoryName="lockrepo")
    c = git_user(iam, "locked", ALLOW_CODECOMMIT)
    user, password, cid = c["ServiceUserName"], c["ServicePassword"], c["ServiceSpecificCredentialId"]
    assert info_refs_status(hakobu, "lockrepo", user, password) == 200
    assert info_refs_status(hakobu, "lockrepo", user, password[:-2] + "x=") == 403
    assert info_refs_status(hakobu, "lockrepo", f"nobody-at-{ACCOUNT}", password) == 403

    g = Git(tmp_path / "home")
    bad = g.run(tmp_path, "clone", "-q", url_with(hakobu, "lockrepo", user, "not-the-password"), "w1", check=False)
    assert bad.returncode != 0 and "403" in bad.stderr

    iam.update_service_specific_credential(UserName="locked", ServiceSpecificCredentialId=cid, Status="Inactive")
    inactive = g.run(tmp_path, "clone", "-q", url_with(hakobu, "lockrepo", user, password), "w2", check=False)
    assert inactive.returncode != 0 and "403" in inactive.stderr
    iam.update_service_specific_credential(UserName="locked", ServiceSpecificCredentialId=cid, Status="Active")
    g.run(tmp_path, "clone", "-q", url_with(hakobu, "lockrepo", user, password), "w3")

    new_password = iam.reset_service_specific_credential(UserName="locked", ServiceSpecificCredentialId=cid)[
        "ServiceSpecificCredential"]["ServicePassword"]
    old = g.run(tmp_path, "clone", "-q", url_with(hakobu, "lockrepo", user, password), "w4", check=False)
    assert old.returncode != 0 and "403" in old.stderr
    g.run(tmp_path, "clone", "-q", url_with(hakobu, "lockrepo", user, new_password), "w5")

    iam.delete_service_specific_credential(UserName="locked", ServiceSpecificCredentialId=cid)
    assert info_refs_status(hakobu, "lockrepo", user, new_password) == 403


def test_users_policies_apply(client, hakobu, tmp_path):
    iam, cc = client("iam"), client("codecommit")
    cc.create_repository(repositoryName="polrepo")
    deny_push = json.dumps({"Version": "2012-10-17",
                            "Statement": [{"Effect": "Deny", "Action": "codecommit:GitPush", "Resource": "*"}]})
    reader = git_user(iam, "reader", ALLOW_CODECOMMIT, deny_push)
    nothing = git_user(iam, "stranger")
    g = Git(tmp_path / "home")
    url = url_with(hakobu, "polrepo", reader["ServiceUserName"], reader["ServicePassword"])
    g.run(tmp_path, "clone", "-q", url, "work")
    work = tmp_path / "work"
    commit(g, work, "c.txt", "three\n")
    pushed = g.run(work, "push", "-q", "origin", "main", check=False)
    assert pushed.returncode != 0 and "403" in pushed.stderr
    assert cc.list_branches(repositoryName="polrepo")["branches"] == []
    # No identity policy at all: not even a pull.
    assert info_refs_status(hakobu, "polrepo", nothing["ServiceUserName"], nothing["ServicePassword"]) == 403
    # Lifting the deny lets the same credential push.
    iam.delete_user_policy(UserName="reader", PolicyName="p1")
    g.run(work, "push", "-q", "origin", "main")
    assert cc.list_branches(repositoryName="polrepo")["branches"] == ["main"]
