"""A build's primary source, laid out in the container: CODECOMMIT (pushed with git through hakobu's
smart HTTP and the aws CLI's credential helper) at the default branch, a branch, a tag and a commit
id; its buildspec.yml; missing repositories, refs and buildspecs; S3 zips (versioned buckets'
version ids); NO_SOURCE with an inline buildspec; a buildspec read from an S3 ARN."""
import os
import re
import shutil
import sys

import pytest

from conftest import marked, phase_types, phases, spec, uid, zip_bytes

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "codecommit"))
from git_client import GitClient  # noqa: E402

AWS = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else shutil.which("aws")
HELPER = f"!{AWS} codecommit credential-helper --ignore-host-check $@"

# Prints what the build sees of its source.
REPO_SPEC = spec("echo S:HEAD=$(git rev-parse HEAD)", "echo S:GITDIR=$(test -d .git && echo yes)",
                 "echo S:FILE=$(cat which.txt)", "echo S:SOURCE_VERSION=$CODEBUILD_SOURCE_VERSION",
                 "echo S:RESOLVED=$CODEBUILD_RESOLVED_SOURCE_VERSION",
                 "echo S:REPO_URL=$CODEBUILD_SOURCE_REPO_URL", "echo S:PWD=$(pwd)",
                 "echo S:SRC_DIR=$CODEBUILD_SRC_DIR")


class Repo:
    pass


@pytest.fixture(scope="module")
def repo(cbx, tmp_path_factory):
    """A repository pushed with git: main (two commits, tag v1 on the first), feature, nospec."""
    home = tmp_path_factory.mktemp("githome")
    g = GitClient(home, env={"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                             "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(home / "none"),
                             "AWS_SHARED_CREDENTIALS_FILE": str(home / "none")},
                  config=f'[credential]\n\thelper = "{HELPER}"\n\tUseHttpPath = true\n')
    r = Repo()
    r.name = uid("repo")
    cbx.codecommit.create_repository(repositoryName=r.name)
    work = tmp_path_factory.mktemp("work")
    g.run(work, "init", "-q", "-b", "main")
    g.run(work, "remote", "add", "origin", f"{cbx.url}/v1/repos/{r.name}")

    def commit(text):
        (work / "which.txt").write_text(text + "\n")
        (work / "buildspec.yml").write_text(REPO_SPEC)
        g.run(work, "add", "-A")
        g.run(work, "commit", "-qm", text)
        return g.run(work, "rev-parse", "HEAD").stdout.strip()

    r.first = commit("main-1")
    g.run(work, "tag", "v1")
    r.main = commit("main-2")
    g.run(work, "checkout", "-qb", "feature")
    r.feature = commit("feature-1")
    g.run(work, "checkout", "-qb", "nospec")
    g.run(work, "rm", "-q", "buildspec.yml")
    g.run(work, "commit", "-qm", "no buildspec")
    r.nospec = g.run(work, "rev-parse", "HEAD").stdout.strip()
    g.run(work, "push", "-q", "origin", "main", "feature", "nospec", "v1")
    # As projects on AWS name it; hakobu takes the repository from the path.
    r.location = f"https://git-codecommit.us-east-1.amazonaws.com/v1/repos/{r.name}"
    r.project = cbx.project(source={"type": "CODECOMMIT", "location": r.location})
    return r


def check_checkout(cbx, build, commit, text, source_version=""):
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert build["resolvedSourceVersion"] == commit
    s = marked(cbx.log(build), "S")
    assert s["HEAD"] == commit
    assert s["GITDIR"] == "yes"
    assert s["FILE"] == text
    assert s["RESOLVED"] == commit
    assert s["SOURCE_VERSION"] == source_version
    assert s["PWD"] == s["SRC_DIR"] and re.fullmatch(r"/codebuild/output/src\d+/src", s["SRC_DIR"])
    return s


def test_codecommit_default_branch(cbx, repo):
    build = cbx.run(repo.project)
    s = check_checkout(cbx, build, repo.main, "main-2")
    assert s["REPO_URL"] == repo.location
    assert "DOWNLOAD_SOURCE" in phases(build) and phases(build)["DOWNLOAD_SOURCE"]["phaseStatus"] == "SUCCEEDED"


def test_codecommit_branch(cbx, repo):
    build = cbx.run(repo.project, sourceVersion="feature")
    check_checkout(cbx, build, repo.feature, "feature-1", "feature")
    assert build["sourceVersion"] == "feature"


def test_codecommit_full_branch_ref(cbx, repo):
    build = cbx.run(repo.project, sourceVersion="refs/heads/feature")
    check_checkout(cbx, build, repo.feature, "feature-1", "refs/heads/feature")


def test_codecommit_tag(cbx, repo):
    build = cbx.run(repo.project, sourceVersion="v1")
    check_checkout(cbx, build, repo.first, "main-1", "v1")


def test_codecommit_commit_id(cbx, repo):
    build = cbx.run(repo.project, sourceVersion=repo.first)
    check_checkout(cbx, build, repo.first, "main-1", repo.first)


def test_codecommit_history_is_there(cbx, repo):
    project = cbx.project(source={"type": "CODECOMMIT", "location": repo.location},
                          buildspec=spec("echo H:COUNT=$(git rev-list --count HEAD)",
                                         "echo H:ORIGIN=$(git remote get-url origin)"))
    build = cbx.run(project)
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    h = marked(cbx.log(build), "H")
    assert h["COUNT"] == "2"
    assert h["ORIGIN"] == repo.location


def test_codecommit_without_buildspec_yml_is_yaml_file_error(cbx, repo):
    build = cbx.run(repo.project, sourceVersion="nospec")
    assert build["buildStatus"] == "FAILED"
    assert build["resolvedSourceVersion"] == repo.nospec
    p = phases(build)["DOWNLOAD_SOURCE"]
    assert p["phaseStatus"] == "FAILED"
    assert p["contexts"][0]["statusCode"] == "YAML_FILE_ERROR"
    assert re.fullmatch(r"stat /codebuild/output/src\d+/src/buildspec.yml: no such file or directory",
                        p["contexts"][0]["message"]), p


def test_codecommit_missing_ref_is_client_error(cbx, repo):
    build = cbx.run(repo.project, sourceVersion="no-such-branch")
    assert build["buildStatus"] == "FAILED"
    assert phase_types(build) == ["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "FINALIZING", "COMPLETED"]
    p = phases(build)["DOWNLOAD_SOURCE"]
    assert p["phaseStatus"] == "FAILED" and p["contexts"][0]["statusCode"] == "CLIENT_ERROR"
    assert "no-such-branch" in p["contexts"][0]["message"]


def test_codecommit_missing_repository_is_client_error(cbx):
    missing = uid("gone")
    project = cbx.project(source={"type": "CODECOMMIT",
                                  "location": f"https://git-codecommit.us-east-1.amazonaws.com/v1/repos/{missing}"})
    build = cbx.run(project)
    assert build["buildStatus"] == "FAILED"
    p = phases(build)["DOWNLOAD_SOURCE"]
    assert p["phaseStatus"] == "FAILED" and p["contexts"][0]["statusCode"] == "CLIENT_ERROR"
    assert missing in p["contexts"][0]["message"]
    assert "INSTALL" not in phases(build)


def test_codecommit_buildspec_path_in_the_repo(cbx, repo):
    project = cbx.project(source={"type": "CODECOMMIT", "location": repo.location, "buildspec": "buildspec.yml"})
    build = cbx.run(project, sourceVersion="feature")
    check_checkout(cbx, build, repo.feature, "feature-1", "feature")


def test_s3_zip_source(cbx):
    bucket = cbx.bucket()
    body = spec("echo Z:TOP=$(cat top.txt)", "echo Z:NESTED=$(cat dir/nested.txt)",
                "echo Z:URL=$CODEBUILD_SOURCE_REPO_URL", "echo Z:VERSION=$CODEBUILD_SOURCE_VERSION")
    cbx.s3.put_object(Bucket=bucket, Key="src/app.zip", Body=zip_bytes(
        {"buildspec.yml": body, "top.txt": "top-content", "dir/nested.txt": "nested-content"}))
    build = cbx.run(cbx.project(source={"type": "S3", "location": f"{bucket}/src/app.zip"}))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    z = marked(cbx.log(build), "Z")
    assert z["TOP"] == "top-content" and z["NESTED"] == "nested-content"
    assert z["URL"] == f"s3://{bucket}/src/app.zip"


def test_s3_zip_source_version_of_a_versioned_bucket(cbx):
    bucket = cbx.bucket(versioned=True)
    body = spec("echo Z:WHICH=$(cat which.txt)", "echo Z:RESOLVED=${CODEBUILD_RESOLVED_SOURCE_VERSION-unset}")
    v1 = cbx.s3.put_object(Bucket=bucket, Key="app.zip",
                           Body=zip_bytes({"buildspec.yml": body, "which.txt": "one"}))["VersionId"]
    v2 = cbx.s3.put_object(Bucket=bucket, Key="app.zip",
                           Body=zip_bytes({"buildspec.yml": body, "which.txt": "two"}))["VersionId"]
    project = cbx.project(source={"type": "S3", "location": f"{bucket}/app.zip"})
    old = cbx.run(project, sourceVersion=v1)
    assert old["buildStatus"] == "SUCCEEDED", cbx.log(old)
    assert marked(cbx.log(old), "Z")["WHICH"] == "one"
    assert old["resolvedSourceVersion"] == v1
    latest = cbx.run(project)
    assert marked(cbx.log(latest), "Z") == {"WHICH": "two", "RESOLVED": v2}
    assert latest["resolvedSourceVersion"] == v2


def test_s3_source_missing_object_is_client_error(cbx):
    bucket = cbx.bucket()
    build = cbx.run(cbx.project(source={"type": "S3", "location": f"{bucket}/nothing.zip"}))
    assert build["buildStatus"] == "FAILED"
    p = phases(build)["DOWNLOAD_SOURCE"]
    assert p["phaseStatus"] == "FAILED" and p["contexts"][0]["statusCode"] == "CLIENT_ERROR", p


def test_no_source_with_inline_buildspec(cbx):
    build = cbx.run_spec(spec("echo N:FILES=$(ls -A | wc -l)", "echo N:INLINE=yes"))
    assert build["buildStatus"] == "SUCCEEDED"
    assert marked(cbx.log(build), "N") == {"FILES": "0", "INLINE": "yes"}
    assert "resolvedSourceVersion" not in build


def test_buildspec_from_an_s3_arn(cbx):
    bucket = cbx.bucket()
    cbx.s3.put_object(Bucket=bucket, Key="specs/build.yml", Body=spec("echo from-s3-buildspec").encode())
    project = cbx.project(source={"type": "NO_SOURCE", "buildspec": f"arn:aws:s3:::{bucket}/specs/build.yml"})
    build = cbx.run(project)
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert "\nfrom-s3-buildspec" in cbx.log(build)


def test_buildspec_override_from_an_s3_arn_over_a_repository(cbx, repo):
    bucket = cbx.bucket()
    cbx.s3.put_object(Bucket=bucket, Key="o.yml", Body=spec("echo O:FILE=$(cat which.txt)").encode())
    build = cbx.run(repo.project, buildspecOverride=f"arn:aws:s3:::{bucket}/o.yml")
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert marked(cbx.log(build), "O") == {"FILE": "main-2"}


def test_codecommit_clone_depth_one(cbx, repo):
    project = cbx.project(source={"type": "CODECOMMIT", "location": repo.location, "gitCloneDepth": 1},
                          buildspec=spec("echo D:COUNT=$(git rev-list --count HEAD)", "echo D:HEAD=$(git rev-parse HEAD)"))
    build = cbx.run(project)
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert marked(cbx.log(build), "D") == {"COUNT": "1", "HEAD": repo.main}


def test_codecommit_role_without_git_pull_fails_download_source(cbx, repo):
    role = cbx.role(statements=[{"Effect": "Allow", "Action": ["logs:*", "s3:*"], "Resource": "*"}])
    build = cbx.run(cbx.project(source={"type": "CODECOMMIT", "location": repo.location}, role=role))
    assert build["buildStatus"] == "FAILED"
    p = phases(build)["DOWNLOAD_SOURCE"]
    assert p["phaseStatus"] == "FAILED" and p["contexts"][0]["statusCode"], p
    assert "INSTALL" not in phases(build)


def test_s3_source_role_without_get_object_fails_download_source(cbx):
    bucket = cbx.bucket()
    cbx.s3.put_object(Bucket=bucket, Key="app.zip", Body=zip_bytes({"buildspec.yml": spec("echo x")}))
    role = cbx.role(statements=[{"Effect": "Allow", "Action": ["logs:*"], "Resource": "*"}])
    build = cbx.run(cbx.project(source={"type": "S3", "location": f"{bucket}/app.zip"}, role=role))
    assert build["buildStatus"] == "FAILED"
    p = phases(build)["DOWNLOAD_SOURCE"]
    assert p["phaseStatus"] == "FAILED", p
    assert "s3:GetObject" in p["contexts"][0]["message"] or "AccessDenied" in p["contexts"][0]["message"], p


def test_s3_source_that_is_not_a_zip_is_client_error(cbx):
    bucket = cbx.bucket()
    cbx.s3.put_object(Bucket=bucket, Key="plain.txt", Body=b"not a zip")
    build = cbx.run(cbx.project(source={"type": "S3", "location": f"{bucket}/plain.txt"}))
    assert build["buildStatus"] == "FAILED"
    p = phases(build)["DOWNLOAD_SOURCE"]
    assert p["phaseStatus"] == "FAILED" and p["contexts"][0]["statusCode"] == "CLIENT_ERROR", p
