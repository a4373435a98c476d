"""CodeBuild builds as durable records: StartBuild (overrides, idempotency, numbering,
initiator, logs), StopBuild, RetryBuild, BatchGetBuilds, ListBuilds(ForProject),
BatchDeleteBuilds, events on the bus, IAM, and what a restart does to a build left running
(no container runner yet: builds wait QUEUED)."""
import json
import urllib.request

import botocore.exceptions
import pytest

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/codebuild"
ENV = {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL",
       "environmentVariables": [{"name": "KEEP", "value": "k", "type": "PLAINTEXT"},
                                {"name": "OVER", "value": "old", "type": "PLAINTEXT"}]}
SOURCE = {"type": "NO_SOURCE", "buildspec": "version: 0.2\nphases:\n  build:\n    commands: [echo hi]\n"}


@pytest.fixture
def cb(client):
    cb = client("codebuild")
    cb.create_project(name="demo", source=SOURCE, artifacts={"type": "NO_ARTIFACTS"}, environment=ENV,
                      serviceRole=ROLE)
    return cb


def error_of(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kwargs)
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


def new_user(client, name, actions):
    iam = client("iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def test_start_build_records_a_queued_build(cb):
    build = cb.start_build(projectName="demo")["build"]
    project, uuid = build["id"].split(":")
    assert project == "demo" and len(uuid) == 36
    assert build["arn"] == f"arn:aws:codebuild:us-east-1:{ACCOUNT}:build/{build['id']}"
    assert build["buildNumber"] == 1
    assert build["projectName"] == "demo"
    assert build["buildStatus"] == "IN_PROGRESS"
    assert build["buildComplete"] is False
    assert build["currentPhase"] == "QUEUED"
    assert [p["phaseType"] for p in build["phases"]] == ["SUBMITTED", "QUEUED"]
    assert build["phases"][0]["phaseStatus"] == "SUCCEEDED"
    assert build["logs"]["groupName"] == "/aws/codebuild/demo"
    assert build["logs"]["streamName"] == uuid
    assert "deepLink" in build["logs"]
    assert build["timeoutInMinutes"] == 60 and build["queuedTimeoutInMinutes"] == 480
    assert build["initiator"] == "root"
    assert build["environment"]["image"] == ENV["image"]
    assert cb.start_build(projectName="demo")["build"]["buildNumber"] == 2
    code, _ = error_of(cb.start_build, projectName="nope")
    assert code == "ResourceNotFoundException"


def test_overrides_are_recorded(cb):
    build = cb.start_build(
        projectName="demo", sourceVersion="refs/heads/dev", buildspecOverride="version: 0.2\n",
        environmentVariablesOverride=[{"name": "OVER", "value": "new"}, {"name": "ADD", "value": "a",
                                                                          "type": "PARAMETER_STORE"}],
        imageOverride="alpine:3", computeTypeOverride="BUILD_GENERAL1_LARGE", privilegedModeOverride=True,
        timeoutInMinutesOverride=10, queuedTimeoutInMinutesOverride=15,
        artifactsOverride={"type": "S3", "location": "bucket", "name": "out.zip", "packaging": "ZIP"})["build"]
    got = cb.batch_get_builds(ids=[build["id"]])["builds"][0]
    assert got == build
    assert got["sourceVersion"] == "refs/heads/dev"
    assert got["source"]["buildspec"] == "version: 0.2\n"
    assert got["environment"]["image"] == "alpine:3"
    assert got["environment"]["computeType"] == "BUILD_GENERAL1_LARGE"
    assert got["environment"]["privilegedMode"] is True
    variables = {v["name"]: (v["value"], v["type"]) for v in got["environment"]["environmentVariables"]}
    assert variables == {"KEEP": ("k", "PLAINTEXT"), "OVER": ("new", "PLAINTEXT"), "ADD": ("a", "PARAMETER_STORE")}
    assert got["timeoutInMinutes"] == 10 and got["queuedTimeoutInMinutes"] == 15
    assert got["artifacts"]["location"] == "bucket"
    code, _ = error_of(cb.start_build, projectName="demo", artifactsOverride={"type": "S3"})
    assert code == "InvalidInputException"
    # The project itself is untouched.
    assert cb.batch_get_projects(names=["demo"])["projects"][0]["environment"]["image"] == ENV["image"]


def test_idempotency_token(cb):
    a = cb.start_build(projectName="demo", idempotencyToken="t1")["build"]
    b = cb.start_build(projectName="demo", idempotencyToken="t1")["build"]
    assert a["id"] == b["id"]
    code, _ = error_of(cb.start_build, projectName="demo", idempotencyToken="t1", sourceVersion="other")
    assert code == "InvalidInputException"
    c = cb.start_build(projectName="demo", idempotencyToken="t2")["build"]
    assert c["id"] != a["id"]


def test_stop_retry_and_batch_get(cb, hakobu):
    build = cb.start_build(projectName="demo", imageOverride="alpine:3")["build"]
    stopped = cb.stop_build(id=build["id"])["build"]
    assert stopped["buildStatus"] == "STOPPED"
    assert stopped["buildComplete"] is True
    assert stopped["currentPhase"] == "COMPLETED"
    assert "endTime" in stopped
    assert cb.stop_build(id=build["id"])["build"]["buildStatus"] == "STOPPED"
    code, _ = error_of(cb.stop_build, id="demo:00000000-0000-0000-0000-000000000000")
    assert code == "ResourceNotFoundException"
    retried = cb.retry_build(id=build["id"])["build"]
    assert retried["id"] != build["id"]
    assert retried["buildNumber"] == 2
    assert retried["environment"]["image"] == "alpine:3"
    assert retried["buildStatus"] == "IN_PROGRESS"
    got = cb.batch_get_builds(ids=[build["id"], retried["arn"], "demo:missing"])
    assert [b["id"] for b in got["builds"]] == [build["id"], retried["id"]]
    assert got["buildsNotFound"] == ["demo:missing"]
    code, _ = error_of(cb.batch_get_builds, ids=[f"demo:{i}" for i in range(101)])
    assert code == "InvalidInputException"
    cli = hakobu.aws("codebuild", "batch-get-builds", "--ids", build["id"], check=True)
    assert cli.json["builds"][0]["buildStatus"] == "STOPPED"


def test_lists_and_pagination(cb, hakobu):
    cb.create_project(name="other", source=SOURCE, artifacts={"type": "NO_ARTIFACTS"}, environment=ENV,
                      serviceRole=ROLE)
    ids = [cb.start_build(projectName="demo")["build"]["id"] for _ in range(102)]
    other = cb.start_build(projectName="other")["build"]["id"]
    first = cb.list_builds_for_project(projectName="demo")
    assert first["ids"] == list(reversed(ids))[:100]
    second = cb.list_builds_for_project(projectName="demo", nextToken=first["nextToken"])
    assert second["ids"] == list(reversed(ids))[100:] and "nextToken" not in second
    assert cb.list_builds_for_project(projectName="demo", sortOrder="ASCENDING")["ids"][:2] == ids[:2]
    assert cb.list_builds()["ids"][0] == other
    code, _ = error_of(cb.list_builds_for_project, projectName="ghost")
    assert code == "ResourceNotFoundException"
    cli = hakobu.aws("codebuild", "list-builds", check=True)
    assert len(cli.json["ids"]) == 103


def test_batch_delete_builds(cb):
    running = cb.start_build(projectName="demo")["build"]["id"]
    done = cb.start_build(projectName="demo")["build"]["id"]
    cb.stop_build(id=done)
    out = cb.batch_delete_builds(ids=[running, done, "demo:missing"])
    assert out["buildsDeleted"] == [done]
    assert {b["id"] for b in out["buildsNotDeleted"]} == {running, "demo:missing"}
    assert cb.batch_get_builds(ids=[done])["buildsNotFound"] == [done]
    assert cb.batch_get_builds(ids=[running])["builds"][0]["buildStatus"] == "IN_PROGRESS"


def test_events_on_the_bus(cb, hakobu):
    build = cb.start_build(projectName="demo")["build"]
    cb.stop_build(id=build["id"])
    with urllib.request.urlopen(f"{hakobu.url}/_hakobu/events?source=aws.codebuild", timeout=10) as r:
        events = json.loads(r.read())["events"]
    states = [e for e in events if e["detail-type"] == "CodeBuild Build State Change"]
    phases = [e for e in events if e["detail-type"] == "CodeBuild Build Phase Change"]
    assert [e["detail"]["build-status"] for e in states] == ["IN_PROGRESS", "STOPPED"]
    assert all(e["detail"]["build-id"] == build["arn"] and e["resources"] == [build["arn"]] for e in states)
    assert states[0]["detail"]["project-name"] == "demo"
    assert [e["detail"]["completed-phase"] for e in phases] == ["SUBMITTED", "QUEUED"]
    assert phases[1]["detail"]["completed-phase-status"] == "STOPPED"


def test_iam_initiator_and_denial(client):
    cb = client("codebuild")
    cb.create_project(name="demo", source=SOURCE, artifacts={"type": "NO_ARTIFACTS"}, environment=ENV,
                      serviceRole=ROLE)
    builder = client("codebuild", account=new_user(client, "builder", ["codebuild:StartBuild",
                                                                       "codebuild:BatchGetBuilds"]))
    build = builder.start_build(projectName="demo")["build"]
    assert build["initiator"] == "builder"
    reader = client("codebuild", account=new_user(client, "reader", ["codebuild:BatchGetProjects"]))
    assert reader.batch_get_projects(names=["demo"])["projects"][0]["name"] == "demo"
    code, _ = error_of(reader.start_build, projectName="demo")
    assert code == "AccessDeniedException"
    code, _ = error_of(reader.stop_build, id=build["id"])
    assert code == "AccessDeniedException"


def test_restart_fails_builds_left_in_progress(start_hakobu):
    server = start_hakobu()
    cb = server.client("codebuild")
    cb.create_project(name="demo", source=SOURCE, artifacts={"type": "NO_ARTIFACTS"}, environment=ENV,
                      serviceRole=ROLE)
    build = cb.start_build(projectName="demo")["build"]
    server.restart()
    got = server.client("codebuild").batch_get_builds(ids=[build["id"]])["builds"][0]
    assert got["buildStatus"] == "FAULT"
    assert got["buildComplete"] is True
    queued = [p for p in got["phases"] if p["phaseType"] == "QUEUED"][0]
    assert queued["phaseStatus"] == "FAULT"
    assert "no container runner" in queued["contexts"][0]["message"]


def test_assumed_role_initiator_and_resource_scoped_policy(client):
    cb = client("codebuild")
    for name in ("demo", "secret"):
        cb.create_project(name=name, source=SOURCE, artifacts={"type": "NO_ARTIFACTS"}, environment=ENV,
                          serviceRole=ROLE)
    iam = client("iam")
    trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
    iam.create_role(RoleName="ci", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17",
                                                                         "Statement": [trust]}))
    iam.put_role_policy(RoleName="ci", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "codebuild:*",
         "Resource": f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/demo"}]}))
    creds = client("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/ci", RoleSessionName="job-7")["Credentials"]
    session = client("codebuild", account={"aws_access_key_id": creds["AccessKeyId"],
                                           "aws_secret_access_key": creds["SecretAccessKey"],
                                           "aws_session_token": creds["SessionToken"]})
    build = session.start_build(projectName="demo")["build"]
    assert build["initiator"] == "ci/job-7"
    code, _ = error_of(session.start_build, projectName="secret")
    assert code == "AccessDeniedException"
    code, _ = error_of(session.list_projects)  # needs Resource "*"
    assert code == "AccessDeniedException"


def advance_clock(server, seconds):
    req = urllib.request.Request(server.url + "/_hakobu/clock", method="POST",
                                 data=json.dumps({"advance_seconds": seconds}).encode())
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200


def test_queued_timeout_times_out_a_waiting_build(start_hakobu):
    server = start_hakobu(extra_args=["--clock-control"])
    cb = server.client("codebuild")
    cb.create_project(name="demo", source=SOURCE, artifacts={"type": "NO_ARTIFACTS"}, environment=ENV,
                      serviceRole=ROLE)
    short = cb.start_build(projectName="demo", queuedTimeoutInMinutesOverride=5)["build"]
    default = cb.start_build(projectName="demo")["build"]
    advance_clock(server, 299)
    assert cb.batch_get_builds(ids=[short["id"]])["builds"][0]["buildStatus"] == "IN_PROGRESS"
    advance_clock(server, 2)
    got = {b["id"]: b for b in cb.batch_get_builds(ids=[short["id"], default["id"]])["builds"]}
    assert got[short["id"]]["buildStatus"] == "TIMED_OUT"
    assert got[short["id"]]["phases"][1]["phaseStatus"] == "TIMED_OUT"
    assert got[default["id"]]["buildStatus"] == "IN_PROGRESS"


def test_health_lists_codebuild_and_reset_restarts_numbering(cb, hakobu):
    with urllib.request.urlopen(hakobu.url + "/_hakobu/health", timeout=5) as r:
        assert "codebuild" in json.loads(r.read())["services"]
    cb.start_build(projectName="demo")
    hakobu.reset()
    assert hakobu.client("codebuild").list_projects()["projects"] == []
    assert hakobu.client("codebuild").list_builds()["ids"] == []
