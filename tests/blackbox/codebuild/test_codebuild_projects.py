"""CodeBuild projects: CreateProject's defaults and validation, UpdateProject's partial
updates, DeleteProject, BatchGetProjects and ListProjects (sorting, pagination), through
boto3 and the aws CLI v1; the CLI also drives builds that run (the module's sandbox `cbx`,
tests/blackbox/codebuild/conftest.py)."""
import json
import time
import uuid

import botocore.exceptions
import pytest

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/codebuild"
ENV = {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL"}
SOURCE = {"type": "NO_SOURCE", "buildspec": "version: 0.2\nphases:\n  build:\n    commands: [echo hi]\n"}
ARTIFACTS = {"type": "NO_ARTIFACTS"}


@pytest.fixture
def cb(client):
    return client("codebuild")


def error_of(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kwargs)
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


def create(cb, name, **extra):
    args = dict(name=name, source=SOURCE, artifacts=ARTIFACTS, environment=ENV, serviceRole=ROLE)
    args.update(extra)
    return cb.create_project(**args)["project"]


def test_create_returns_the_project_with_aws_defaults(cb):
    project = create(cb, "demo", description="d")
    assert project["name"] == "demo"
    assert project["arn"] == f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/demo"
    assert project["description"] == "d"
    assert project["source"]["type"] == "NO_SOURCE"
    assert project["source"]["buildspec"] == SOURCE["buildspec"]
    assert project["artifacts"] == ARTIFACTS
    assert project["environment"]["image"] == ENV["image"]
    assert project["environment"]["privilegedMode"] is False
    assert project["environment"]["imagePullCredentialsType"] == "CODEBUILD"
    assert project["serviceRole"] == ROLE
    assert project["timeoutInMinutes"] == 60
    assert project["queuedTimeoutInMinutes"] == 480
    assert project["badge"] == {"badgeEnabled": False}
    assert project["projectVisibility"] == "PRIVATE"
    assert project["logsConfig"]["cloudWatchLogs"]["status"] == "ENABLED"
    assert project["encryptionKey"] == f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/aws/s3"
    assert project["created"] == project["lastModified"]


def test_everything_given_is_stored_as_given(cb):
    secondary = [{"type": "S3", "location": "bucket/src.zip", "sourceIdentifier": "extra"}]
    secondary_artifacts = [{"type": "S3", "location": "out", "artifactIdentifier": "second", "packaging": "ZIP"}]
    logs = {"cloudWatchLogs": {"status": "ENABLED", "groupName": "g", "streamName": "s"},
            "s3Logs": {"status": "DISABLED", "encryptionDisabled": False}}
    env = dict(ENV, privilegedMode=True,
               environmentVariables=[{"name": "A", "value": "1", "type": "PLAINTEXT"}])
    create(cb, "full", secondarySources=secondary, secondaryArtifacts=secondary_artifacts, logsConfig=logs,
           environment=env, timeoutInMinutes=15, queuedTimeoutInMinutes=30,
           artifacts={"type": "S3", "location": "bucket", "packaging": "ZIP", "name": "a.zip"},
           tags=[{"key": "team", "value": "x"}])
    got = cb.batch_get_projects(names=["full"])["projects"][0]
    assert got["secondarySources"] == secondary
    assert got["secondaryArtifacts"] == secondary_artifacts
    assert got["logsConfig"] == logs
    assert got["environment"]["environmentVariables"] == env["environmentVariables"]
    assert got["environment"]["privilegedMode"] is True
    assert got["timeoutInMinutes"] == 15 and got["queuedTimeoutInMinutes"] == 30
    assert got["artifacts"] == {"type": "S3", "location": "bucket", "packaging": "ZIP", "name": "a.zip"}
    assert got["tags"] == [{"key": "team", "value": "x"}]


def test_create_errors(cb):
    create(cb, "dup")
    code, message = error_of(cb.create_project, name="dup", source=SOURCE, artifacts=ARTIFACTS, environment=ENV,
                             serviceRole=ROLE)
    assert code == "ResourceAlreadyExistsException"
    assert "dup" in message
    code, message = error_of(cb.create_project, name="cc", source={"type": "CODECOMMIT"}, artifacts=ARTIFACTS,
                             environment=ENV, serviceRole=ROLE)
    assert code == "InvalidInputException"
    assert "location" in message
    code, _ = error_of(cb.create_project, name="s3a", source=SOURCE, artifacts={"type": "S3"}, environment=ENV,
                       serviceRole=ROLE)
    assert code == "InvalidInputException"
    code, _ = error_of(cb.create_project, name="nos", source={"type": "NO_SOURCE"}, artifacts=ARTIFACTS,
                       environment=ENV, serviceRole=ROLE)
    assert code == "InvalidInputException"
    code, message = error_of(cb.create_project, name="pipe", source={"type": "CODEPIPELINE"}, artifacts=ARTIFACTS,
                             environment=ENV, serviceRole=ROLE)
    assert (code, message) == ("InvalidInputException", "Invalid input: when using CodePipeline both sourceType, "
                                                         "and artifactType must be set to: CODEPIPELINE")
    create(cb, "pipe", source={"type": "CODEPIPELINE"}, artifacts={"type": "CODEPIPELINE"})
    assert cb.batch_get_projects(names=["cc", "s3a", "nos"])["projectsNotFound"] == ["cc", "s3a", "nos"]


def test_unknown_compute_type_is_refused(cb):
    for environment in (dict(ENV, computeType="HUGE"), dict(ENV, type="MAINFRAME")):
        with pytest.raises(botocore.exceptions.ClientError) as refused:
            create(cb, "bad", environment=environment)
        assert refused.value.response["Error"]["Code"] == "InvalidInputException"
    assert cb.batch_get_projects(names=["bad"])["projectsNotFound"] == ["bad"]


def test_update_replaces_only_the_members_given(cb, hakobu):
    before = create(cb, "upd", description="old")
    updated = cb.update_project(name="upd", timeoutInMinutes=20)["project"]
    assert updated["timeoutInMinutes"] == 20
    assert updated["description"] == "old"
    assert updated["environment"] == before["environment"]
    assert updated["lastModified"] >= before["lastModified"]
    assert updated["created"] == before["created"]
    updated = cb.update_project(name="upd", environment=dict(ENV, image="alpine:3"), badgeEnabled=True)["project"]
    assert updated["environment"]["image"] == "alpine:3"
    assert updated["badge"]["badgeEnabled"] is True
    code, _ = error_of(cb.update_project, name="ghost", description="x")
    assert code == "ResourceNotFoundException"
    code, _ = error_of(cb.update_project, name="upd", source={"type": "GITHUB"})
    assert code == "InvalidInputException"
    cli = hakobu.aws("codebuild", "update-project", "--name", "upd", "--description", "via cli", check=True)
    assert cli.json["project"]["description"] == "via cli"
    assert cli.json["project"]["timeoutInMinutes"] == 20


def test_delete_and_batch_get(cb):
    create(cb, "aa")
    create(cb, "bb")
    got = cb.batch_get_projects(names=["aa", f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/bb", "zzz"])
    assert [p["name"] for p in got["projects"]] == ["aa", "bb"]
    assert got["projectsNotFound"] == ["zzz"]
    cb.delete_project(name="aa")
    assert cb.batch_get_projects(names=["aa"])["projectsNotFound"] == ["aa"]


def test_list_sorting_and_pagination(cb, hakobu):
    names = [f"p{i:03d}" for i in range(105)]
    for name in reversed(names):
        create(cb, name)
    first = cb.list_projects()
    assert first["projects"] == names[:100]
    assert "nextToken" in first
    second = cb.list_projects(nextToken=first["nextToken"])
    assert second["projects"] == names[100:]
    assert "nextToken" not in second
    assert cb.list_projects(sortBy="NAME", sortOrder="DESCENDING")["projects"][:2] == ["p104", "p103"]
    # Created in reverse order: the newest is p000.
    assert cb.list_projects(sortBy="CREATED_TIME", sortOrder="DESCENDING")["projects"][0] == "p000"
    code, _ = error_of(cb.list_projects, nextToken="garbage")
    assert code == "InvalidInputException"
    cli = hakobu.aws("codebuild", "list-projects", check=True)  # the CLI follows nextToken itself
    assert cli.json["projects"] == names


def test_the_cli_drives_every_operation(cbx):
    """Every operation through the aws CLI, on builds that really run (a real role, AWS's image and a
    `sleep 300` buildspec): StopBuild, RetryBuild and BatchDeleteBuilds act on running builds."""
    def aws(*args, check=True):
        return cbx.aws("codebuild", *args, check=check)

    def build_of(build_id):
        return aws("batch-get-builds", "--ids", build_id).json["builds"][0]

    def wait_for(build_id, done, timeout=60):
        deadline = time.time() + timeout
        while not done(build := build_of(build_id)):
            assert time.time() < deadline, build
            time.sleep(0.2)
        return build

    name = f"cli-{uuid.uuid4().hex[:8]}"
    role = cbx.role()
    buildspec = "version: 0.2\nphases:\n  build:\n    commands: [sleep 300]\n"
    source = json.dumps({"type": "NO_SOURCE", "buildspec": buildspec})
    env = json.dumps({"type": "LINUX_CONTAINER", "image": ENV["image"], "computeType": "BUILD_GENERAL1_SMALL"})
    create = ("create-project", "--name", name, "--source", source, "--artifacts", '{"type":"NO_ARTIFACTS"}',
              "--environment", env, "--service-role", role)
    created = aws(*create).json["project"]
    assert created["name"] == name
    again = aws(*create, check=False)
    assert again.returncode != 0 and "ResourceAlreadyExistsException" in again.stderr
    assert aws("batch-get-projects", "--names", name).json["projects"][0]["name"] == name
    build = aws("start-build", "--project-name", name, "--environment-variables-override",
                "name=X,value=1,type=PLAINTEXT").json["build"]
    assert build["environment"]["environmentVariables"] == [{"name": "X", "value": "1", "type": "PLAINTEXT"}]
    assert aws("list-builds-for-project", "--project-name", name).json["ids"] == [build["id"]]
    wait_for(build["id"], lambda b: b["currentPhase"] == "BUILD")
    assert aws("stop-build", "--id", build["id"]).json["build"]["id"] == build["id"]
    stopped = wait_for(build["id"], lambda b: b["buildComplete"], timeout=20)
    assert stopped["buildStatus"] == "STOPPED"
    retried = aws("retry-build", "--id", build["id"]).json["build"]
    assert retried["buildNumber"] == 2 and retried["buildStatus"] == "IN_PROGRESS"
    wait_for(retried["id"], lambda b: b["currentPhase"] == "BUILD")
    deleted = aws("batch-delete-builds", "--ids", build["id"], retried["id"]).json
    assert deleted["buildsDeleted"] == [build["id"]]
    assert deleted["buildsNotDeleted"] == [{"id": retried["id"], "statusCode": "BUILD_IN_PROGRESS"}]
    aws("stop-build", "--id", retried["id"])
    assert wait_for(retried["id"], lambda b: b["buildComplete"], timeout=20)["buildStatus"] == "STOPPED"
    assert aws("batch-delete-builds", "--ids", retried["id"]).json["buildsDeleted"] == [retried["id"]]
    aws("delete-project", "--name", name)
    missing = aws("start-build", "--project-name", name, check=False)
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr
    deadline = time.time() + 15
    while cbx.containers():
        assert time.time() < deadline, f"build containers left: {cbx.containers()}"
        time.sleep(0.2)
