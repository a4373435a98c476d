"""Docker in builds: the seed's buildspec, unchanged (nohup dockerd, until docker info, the
credential helper line, bash boot-ctrbld.sh), builds examples/demo-app from CodeCommit, runs its
pytest tests, logs in to ECR with `aws ecr get-login-password | docker login`, builds and pushes
the image to the AWS-shaped ECR name; the image lands in hakobu's ECR. Without privileged mode
there is no Docker; a wrong password is refused."""
import os

from conftest import ACCOUNT, phases, uid

DEMO_APP = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "demo-app")


def demo_repository(cbx):
    name = uid("app")
    cbx.codecommit.create_repository(repositoryName=name)
    files = []
    for f in sorted(os.listdir(DEMO_APP)):
        with open(os.path.join(DEMO_APP, f), "rb") as fh:
            files.append({"filePath": f, "fileContent": fh.read(),
                          "fileMode": "EXECUTABLE" if f.endswith(".sh") else "NORMAL"})
    commit = cbx.codecommit.create_commit(repositoryName=name, branchName="main", putFiles=files,
                                          commitMessage="the demo app")["commitId"]
    url = cbx.codecommit.get_repository(repositoryName=name)["repositoryMetadata"]["cloneUrlHttp"]
    return name, url, commit


def test_the_seed_buildspec_builds_tests_and_pushes_to_ecr(cbx):
    name, url, commit = demo_repository(cbx)
    ecr = cbx.server.client("ecr")
    ecr.create_repository(repositoryName=name)
    image_repo = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{name}"
    project = cbx.project(source={"type": "CODECOMMIT", "location": url},
                          env=[{"name": "IMAGE_REPO", "value": image_repo}], privileged=True)
    build = cbx.run(project, sourceVersion="main", timeout=240)
    log = cbx.log(build)
    assert build["buildStatus"] == "SUCCEEDED", (build["phases"], log[-3000:])
    assert build["resolvedSourceVersion"] == commit
    assert "4 passed" in log  # the app's pytest tests ran
    assert "Login Succeeded" in log
    tags = {t for d in ecr.describe_images(repositoryName=name)["imageDetails"] for t in d.get("imageTags", [])}
    assert tags == {commit[:12], "latest"}
    assert f'"imageUri":"{image_repo}:{commit[:12]}"' in log  # imagedefinitions.json


def privileged_project(cbx, commands):
    lines = "".join(f"      - {c}\n" for c in commands)
    return cbx.project(buildspec=f"version: 0.2\nphases:\n  build:\n    commands:\n{lines}", privileged=True)


def test_without_privileged_mode_there_is_no_docker(cbx):
    build = cbx.run_spec("version: 0.2\nphases:\n  build:\n    commands:\n      - docker info\n")
    assert build["buildStatus"] == "FAILED"
    assert phases(build)["BUILD"]["contexts"][0]["statusCode"] == "COMMAND_EXECUTION_ERROR"
    shim = cbx.run_spec("version: 0.2\nphases:\n  build:\n    commands:\n      - /usr/bin/dockerd\n")
    assert shim["buildStatus"] == "FAILED"
    assert "privileged" in cbx.log(shim)


def test_docker_login_with_a_wrong_password_is_refused(cbx):
    registry = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
    build = cbx.run(privileged_project(cbx, [f"echo not-a-token | docker login --username AWS --password-stdin {registry}"]))
    assert build["buildStatus"] == "FAILED"
    assert "401 Unauthorized" in cbx.log(build)


def test_docker_run_exit_codes_reach_the_build(cbx):
    build = cbx.run(privileged_project(cbx, ["docker run --rm --network host aws/codebuild/standard:7.0 sh -c 'exit 3'"]))
    assert build["buildStatus"] == "FAILED"
    assert "exit status 3" in phases(build)["BUILD"]["contexts"][0]["message"]
