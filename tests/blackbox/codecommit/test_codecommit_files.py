"""CodeCommit's file and commit operations (GetBlob, GetFile, GetFolder, PutFile, DeleteFile,
CreateCommit, BatchGetCommits, GetDifferences) through boto3 and the aws CLI: shapes, AWS's
errors, a PutFile visible to `git clone`, and branch protection (§2.5) applied to PutFile."""
import base64
import json

import botocore.exceptions
import pytest

from test_codecommit_git import ALLOW_CODECOMMIT, BRANCH_PROTECTION, Git, repo_url


def error_code(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"]["Code"]


def test_put_get_delete_file(client, hakobu, tmp_path):
    cc = client("codecommit")
    cc.create_repository(repositoryName="files")
    put = cc.put_file(repositoryName="files", branchName="main", fileContent=b"hello\n", filePath="/docs/a.txt",
                      commitMessage="add a", name="Ann", email="ann@example.com")
    assert set(put) >= {"commitId", "blobId", "treeId"}
    got = cc.get_file(repositoryName="files", filePath="docs/a.txt")
    assert got["fileContent"] == b"hello\n"
    assert (got["commitId"], got["blobId"], got["fileMode"], got["fileSize"]) == (put["commitId"], put["blobId"],
                                                                                   "NORMAL", 6)
    assert cc.get_blob(repositoryName="files", blobId=put["blobId"])["content"] == b"hello\n"
    assert cc.get_repository(repositoryName="files")["repositoryMetadata"]["defaultBranch"] == "main"

    folder = cc.get_folder(repositoryName="files", folderPath="/")
    assert [f["absolutePath"] for f in folder["subFolders"]] == ["docs"]
    docs = cc.get_folder(repositoryName="files", folderPath="docs", commitSpecifier="main")
    assert [(f["relativePath"], f["fileMode"]) for f in docs["files"]] == [("a.txt", "NORMAL")]

    assert error_code(cc.put_file, repositoryName="files", branchName="main", fileContent=b"x",
                      filePath="b.txt") == "ParentCommitIdRequiredException"
    assert error_code(cc.put_file, repositoryName="files", branchName="main", fileContent=b"hello\n",
                      filePath="docs/a.txt", parentCommitId=put["commitId"]) == "SameFileContentException"
    assert error_code(cc.put_file, repositoryName="files", branchName="main", fileContent=b"x", filePath="b.txt",
                      parentCommitId="a" * 40) == "ParentCommitDoesNotExistException"
    second = cc.put_file(repositoryName="files", branchName="main", fileContent=b"x", filePath="b.txt",
                         parentCommitId=put["commitId"], fileMode="EXECUTABLE")
    assert error_code(cc.put_file, repositoryName="files", branchName="main", fileContent=b"y", filePath="b.txt",
                      parentCommitId=put["commitId"]) == "ParentCommitIdOutdatedException"
    assert error_code(cc.get_file, repositoryName="files", filePath="nope") == "FileDoesNotExistException"
    assert error_code(cc.get_folder, repositoryName="files", folderPath="nope") == "FolderDoesNotExistException"
    assert error_code(cc.get_blob, repositoryName="files", blobId="b" * 40) == "BlobIdDoesNotExistException"

    deleted = cc.delete_file(repositoryName="files", branchName="main", filePath="docs/a.txt",
                             parentCommitId=second["commitId"], keepEmptyFolders=True)
    assert deleted["filePath"] == "docs/a.txt"
    assert cc.get_file(repositoryName="files", filePath="docs/.gitkeep")["fileSize"] == 0
    assert error_code(cc.delete_file, repositoryName="files", branchName="main", filePath="docs/a.txt",
                      parentCommitId=deleted["commitId"]) == "FileDoesNotExistException"

    g = Git(tmp_path / "home")
    g.run(tmp_path, "clone", "-q", repo_url(hakobu, "files"), "copy")
    assert (tmp_path / "copy" / "b.txt").read_text() == "x"
    assert not (tmp_path / "copy" / "docs" / "a.txt").exists()


def test_create_commit_batch_get_commits_and_differences(client, hakobu):
    cc = client("codecommit")
    cc.create_repository(repositoryName="commits")
    first = cc.put_file(repositoryName="commits", branchName="main", fileContent=b"a", filePath="a.txt")
    made = cc.create_commit(repositoryName="commits", branchName="main", parentCommitId=first["commitId"],
                            authorName="Ann", email="ann@example.com", commitMessage="many",
                            putFiles=[{"filePath": "src/b.py", "fileContent": b"b", "fileMode": "EXECUTABLE"},
                                      {"filePath": "moved.txt", "sourceFile": {"filePath": "a.txt", "isMove": True}}])
    assert sorted(f["absolutePath"] for f in made["filesAdded"]) == ["moved.txt", "src/b.py"]
    assert [f["absolutePath"] for f in made["filesDeleted"]] == ["a.txt"]
    assert error_code(cc.create_commit, repositoryName="commits", branchName="main",
                      parentCommitId=made["commitId"]) == "NoChangeException"

    batch = cc.batch_get_commits(repositoryName="commits", commitIds=[made["commitId"], "c" * 40])
    assert [c["commitId"] for c in batch["commits"]] == [made["commitId"]]
    assert batch["commits"][0]["parents"] == [first["commitId"]]
    assert batch["commits"][0]["author"]["name"] == "Ann"
    assert [e["commitId"] for e in batch["errors"]] == ["c" * 40]

    diffs = cc.get_differences(repositoryName="commits", beforeCommitSpecifier=first["commitId"],
                               afterCommitSpecifier="main")["differences"]
    assert sorted((d["changeType"], (d.get("afterBlob") or d["beforeBlob"])["path"]) for d in diffs) == [
        ("A", "moved.txt"), ("A", "src/b.py"), ("D", "a.txt")]
    page = cc.get_differences(repositoryName="commits", afterCommitSpecifier="main", MaxResults=1)
    assert len(page["differences"]) == 1 and "NextToken" in page
    rest = cc.get_differences(repositoryName="commits", afterCommitSpecifier="main", NextToken=page["NextToken"])
    assert len(rest["differences"]) == 1 and "NextToken" not in rest


def test_cli_put_file_and_get_file(hakobu, client, tmp_path):
    client("codecommit").create_repository(repositoryName="cli")
    src = tmp_path / "f.txt"
    src.write_text("from the cli\n")
    put = hakobu.aws("codecommit", "put-file", "--repository-name", "cli", "--branch-name", "main", "--file-path",
                     "f.txt", "--file-content", f"fileb://{src}", check=True).json
    got = hakobu.aws("codecommit", "get-file", "--repository-name", "cli", "--file-path", "f.txt", check=True).json
    assert got["commitId"] == put["commitId"]
    assert base64.b64decode(got["fileContent"]) == b"from the cli\n"


def test_branch_protection_applies_to_put_file(client):
    cc = client("codecommit")
    cc.create_repository(repositoryName="protected")
    base = cc.put_file(repositoryName="protected", branchName="main", fileContent=b"base", filePath="f.txt")
    iam = client("iam")
    iam.create_user(UserName="dev")
    iam.put_user_policy(UserName="dev", PolicyName="codecommit", PolicyDocument=json.dumps(ALLOW_CODECOMMIT))
    iam.put_user_policy(UserName="dev", PolicyName="protect-main", PolicyDocument=json.dumps(BRANCH_PROTECTION))
    key = iam.create_access_key(UserName="dev")["AccessKey"]
    dev = client("codecommit",
                 account={"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]})
    assert error_code(dev.put_file, repositoryName="protected", branchName="main", fileContent=b"x",
                      filePath="f.txt", parentCommitId=base["commitId"]) == "AccessDeniedException"
    feature = dev.put_file(repositoryName="protected", branchName="feature", fileContent=b"x", filePath="f.txt",
                           parentCommitId=base["commitId"])
    assert dev.get_branch(repositoryName="protected", branchName="feature")["branch"]["commitId"] == feature["commitId"]
    assert cc.get_branch(repositoryName="protected", branchName="main")["branch"]["commitId"] == base["commitId"]
