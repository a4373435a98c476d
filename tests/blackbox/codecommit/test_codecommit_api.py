"""CodeCommit's repository, branch and commit operations through boto3 and the aws CLI:
shapes, AWS's errors, pagination and sorting; branches and commits made by a real git push
through `aws codecommit credential-helper`, and the events each reference change publishes."""
import json
import os
import subprocess
import urllib.request

import botocore.exceptions
import pytest

DEV_ACCOUNT = "000000000000"
METADATA_KEYS = {"accountId", "repositoryId", "repositoryName", "lastModifiedDate", "creationDate", "cloneUrlHttp",
                 "cloneUrlSsh", "Arn", "kmsKeyId"}


def error_of(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**kwargs)
    err = info.value.response["Error"]
    return err["Code"], err.get("Message", "")


def test_create_repository_shape(client, hakobu):
    cc = client("codecommit")
    meta = cc.create_repository(repositoryName="app", repositoryDescription="the app")["repositoryMetadata"]
    assert set(meta) == METADATA_KEYS | {"repositoryDescription"}
    assert meta["accountId"] == DEV_ACCOUNT
    assert meta["repositoryName"] == "app"
    assert meta["repositoryDescription"] == "the app"
    assert meta["Arn"] == f"arn:aws:codecommit:us-east-1:{DEV_ACCOUNT}:app"
    assert meta["cloneUrlHttp"] == f"http://127.0.0.1:{hakobu.port}/v1/repos/app"
    assert meta["cloneUrlSsh"] == f"ssh://127.0.0.1:{hakobu.port}/v1/repos/app"
    assert len(meta["repositoryId"]) == 36
    assert "defaultBranch" not in meta
    got = cc.get_repository(repositoryName="app")["repositoryMetadata"]
    assert got["repositoryId"] == meta["repositoryId"]
    assert got["creationDate"] == meta["creationDate"]


def test_create_repository_errors(client):
    cc = client("codecommit")
    cc.create_repository(repositoryName="app")
    code, message = error_of(cc.create_repository, repositoryName="app")
    assert (code, message) == ("RepositoryNameExistsException", "Repository named app already exists")
    code, _ = error_of(cc.create_repository, repositoryName="app.git")
    assert code == "InvalidRepositoryNameException"
    # Same name in another region or account is another repository.
    client("codecommit", region="eu-west-1").create_repository(repositoryName="app")
    client("codecommit", account="prod").create_repository(repositoryName="app")


def test_missing_repository_errors(client):
    cc = client("codecommit")
    code, message = error_of(cc.get_repository, repositoryName="nope")
    assert (code, message) == ("RepositoryDoesNotExistException", "nope does not exist")
    for call, kwargs in [(cc.list_branches, {}), (cc.update_repository_description, {"repositoryDescription": "x"}),
                         (cc.get_commit, {"commitId": "a" * 40}), (cc.delete_branch, {"branchName": "b"})]:
        assert error_of(call, repositoryName="nope", **kwargs)[0] == "RepositoryDoesNotExistException"
    assert error_of(cc.update_repository_name, oldName="nope", newName="x")[0] == "RepositoryDoesNotExistException"


def test_delete_repository(client):
    cc = client("codecommit")
    repo_id = cc.create_repository(repositoryName="gone")["repositoryMetadata"]["repositoryId"]
    assert cc.delete_repository(repositoryName="gone")["repositoryId"] == repo_id
    # Deleting again succeeds without an id, as AWS's does.
    assert "repositoryId" not in cc.delete_repository(repositoryName="gone")
    assert error_of(cc.get_repository, repositoryName="gone")[0] == "RepositoryDoesNotExistException"


def test_batch_get_repositories(client):
    cc = client("codecommit")
    cc.create_repository(repositoryName="a")
    cc.create_repository(repositoryName="b")
    out = cc.batch_get_repositories(repositoryNames=["a", "missing", "b"])
    assert [r["repositoryName"] for r in out["repositories"]] == ["a", "b"]
    assert out["repositoriesNotFound"] == ["missing"]
    code, _ = error_of(cc.batch_get_repositories, repositoryNames=[f"r{i}" for i in range(26)])
    assert code == "MaximumRepositoryNamesExceededException"


def test_list_repositories_sorting_and_paging(client, hakobu):
    cc = client("codecommit")
    for name in ["b", "c", "a"]:
        cc.create_repository(repositoryName=name)
    listed = cc.list_repositories()["repositories"]
    assert [r["repositoryName"] for r in listed] == ["a", "b", "c"]
    assert set(listed[0]) == {"repositoryName", "repositoryId"}
    desc = cc.list_repositories(sortBy="repositoryName", order="descending")["repositories"]
    assert [r["repositoryName"] for r in desc] == ["c", "b", "a"]
    cc.update_repository_description(repositoryName="a", repositoryDescription="touched last")
    by_date = cc.list_repositories(sortBy="lastModifiedDate", order="descending")["repositories"]
    assert by_date[0]["repositoryName"] == "a"
    code, _ = error_of(cc.list_repositories, nextToken="garbage")
    assert code == "InvalidContinuationTokenException"
    # Another region lists its own.
    assert client("codecommit", region="eu-west-1").list_repositories()["repositories"] == []


def test_update_name_and_description(client):
    cc = client("codecommit")
    repo_id = cc.create_repository(repositoryName="old")["repositoryMetadata"]["repositoryId"]
    cc.create_repository(repositoryName="taken")
    code, message = error_of(cc.update_repository_name, oldName="old", newName="taken")
    assert (code, message) == ("RepositoryNameExistsException", "Repository named taken already exists")
    cc.update_repository_name(oldName="old", newName="new")
    meta = cc.get_repository(repositoryName="new")["repositoryMetadata"]
    assert meta["repositoryId"] == repo_id
    assert meta["Arn"].endswith(":new")
    cc.update_repository_description(repositoryName="new", repositoryDescription="described")
    assert cc.get_repository(repositoryName="new")["repositoryMetadata"]["repositoryDescription"] == "described"


def test_branch_errors_on_empty_repository(client):
    cc = client("codecommit")
    cc.create_repository(repositoryName="empty")
    assert cc.list_branches(repositoryName="empty")["branches"] == []
    assert error_of(cc.get_branch, repositoryName="empty", branchName="main")[0] == "BranchDoesNotExistException"
    assert error_of(cc.get_branch, repositoryName="empty")[0] == "BranchNameRequiredException"
    assert error_of(cc.create_branch, repositoryName="empty", branchName="x",
                    commitId="a" * 40)[0] == "CommitDoesNotExistException"
    assert error_of(cc.get_commit, repositoryName="empty", commitId="a" * 40)[0] == "CommitDoesNotExistException"
    assert error_of(cc.get_commit, repositoryName="empty", commitId="xyz")[0] == "InvalidCommitIdException"
    assert error_of(cc.delete_branch, repositoryName="empty", branchName="x")[0] == "BranchDoesNotExistException"
    assert error_of(cc.update_default_branch, repositoryName="empty",
                    defaultBranchName="main")[0] == "BranchDoesNotExistException"


def test_cli_create_get_list(aws):
    created = aws("codecommit", "create-repository", "--repository-name", "cli-repo", check=True).json
    assert created["repositoryMetadata"]["repositoryName"] == "cli-repo"
    got = aws("codecommit", "get-repository", "--repository-name", "cli-repo", v2=True, check=True).json
    assert got["repositoryMetadata"]["repositoryId"] == created["repositoryMetadata"]["repositoryId"]
    listed = aws("codecommit", "list-repositories", check=True).json
    assert [r["repositoryName"] for r in listed["repositories"]] == ["cli-repo"]
    missing = aws("codecommit", "get-repository", "--repository-name", "nope")
    assert missing.returncode != 0
    assert "RepositoryDoesNotExistException" in missing.stderr


# --- with commits pushed by git ---------------------------------------------------------------

def git(work, *args, env=None):
    p = subprocess.run(["git", *args], cwd=work, capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, f"git {args}: {p.stderr}"
    return p.stdout


def git_env(hakobu, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GIT_"))}
    env.update({
        "HOME": str(tmp_path), "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"), "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "ann@example.com", "GIT_AUTHOR_DATE": "1569278400 +0000",
        "GIT_COMMITTER_NAME": "Bob", "GIT_COMMITTER_EMAIL": "bob@example.com",
        "GIT_COMMITTER_DATE": "1569278400 +0000",
    })
    # aws CLI v1 (1.45) has no --ignore-host-check; v2 (/usr/bin/aws) has it.
    git(tmp_path, "config", "--global", "credential.helper",
        "!/usr/bin/aws codecommit credential-helper --ignore-host-check $@", env=env)
    git(tmp_path, "config", "--global", "credential.UseHttpPath", "true", env=env)
    return env


def codecommit_events(hakobu):
    with urllib.request.urlopen(f"{hakobu.url}/_hakobu/events?source=aws.codecommit", timeout=10) as r:
        return json.loads(r.read())["events"]


def test_branches_and_commits_after_push(client, hakobu, tmp_path):
    cc = client("codecommit")
    meta = cc.create_repository(repositoryName="pushed")["repositoryMetadata"]
    env = git_env(hakobu, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "--initial-branch=main", env=env)
    (work / "README.md").write_text("hello\n")
    git(work, "add", "README.md", env=env)
    git(work, "commit", "-q", "-m", "first", env=env)
    commit_id = git(work, "rev-parse", "HEAD", env=env).strip()
    git(work, "push", "-q", meta["cloneUrlHttp"], "main", env=env)

    assert cc.get_repository(repositoryName="pushed")["repositoryMetadata"]["defaultBranch"] == "main"
    assert cc.get_branch(repositoryName="pushed", branchName="main")["branch"] == {
        "branchName": "main", "commitId": commit_id}
    commit = cc.get_commit(repositoryName="pushed", commitId=commit_id)["commit"]
    assert commit["message"] == "first\n"
    assert commit["parents"] == []
    assert commit["author"] == {"name": "Ann", "email": "ann@example.com", "date": "1569278400 +0000"}
    assert commit["committer"]["name"] == "Bob"

    cc.create_branch(repositoryName="pushed", branchName="feature", commitId=commit_id)
    code, _ = error_of(cc.create_branch, repositoryName="pushed", branchName="feature", commitId=commit_id)
    assert code == "BranchNameExistsException"
    assert sorted(cc.list_branches(repositoryName="pushed")["branches"]) == ["feature", "main"]
    code, _ = error_of(cc.delete_branch, repositoryName="pushed", branchName="main")
    assert code == "DefaultBranchCannotBeDeletedException"
    cc.update_default_branch(repositoryName="pushed", defaultBranchName="feature")
    deleted = cc.delete_branch(repositoryName="pushed", branchName="main")["deletedBranch"]
    assert deleted == {"branchName": "main", "commitId": commit_id}

    events = [e for e in codecommit_events(hakobu) if e["detail"]["repositoryName"] == "pushed"]
    assert [e["detail"]["event"] for e in events] == ["referenceCreated", "referenceCreated", "referenceDeleted"]
    assert all(e["detail-type"] == "CodeCommit Repository State Change" for e in events)
    assert events[0]["resources"] == [meta["Arn"]]
    assert events[1]["detail"]["referenceName"] == "feature"
    assert events[1]["detail"]["commitId"] == commit_id
    assert events[1]["detail"]["callerUserArn"] == f"arn:aws:iam::{DEV_ACCOUNT}:root"
    assert events[2]["detail"]["oldCommitId"] == commit_id
