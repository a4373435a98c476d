"""CodeBuild builds as durable records: StartBuild (overrides, idempotency, numbering,
initiator, logs), StopBuild, RetryBuild, BatchGetBuilds, ListBuilds(ForProject),
BatchDeleteBuilds, events on the bus, IAM, what a restart does to a build left running and
that a started build is claimed at once.

Tests of the API alone use the session's hakobu and the project "demo", whose service role does
not exist: its builds end FAILED in PROVISIONING within milliseconds. Tests that need a build
which really runs (StopBuild, RetryBuild, BatchDeleteBuilds, events, restarts) use the module's
sandbox `cbx` (tests/blackbox/codebuild/conftest.py): a real role and a `sleep 300` buildspec in
AWS's image aws/codebuild/standard:7.0."""
import json
import time
import urllib.request

import botocore.exceptions
import pytest

from conftest import (LOCAL_IMAGE, build_containers, in_build_phase, phase_types, phases, spec,
                      wait_no_build_container)

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/codebuild"
ENV = {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL",
       "environmentVariables": [{"name": "KEEP", "value": "k", "type": "PLAINTEXT"},
                                {"name": "OVER", "value": "old", "type": "PLAINTEXT"}]}
SOURCE = {"type": "NO_SOURCE", "buildspec": "version: 0.2\nphases:\n  build:\n    commands: [echo hi]\n"}
SLEEPER = spec("echo sleeping-now", "sleep 300")
# Members that change while a build runs; everything else StartBuild answered is recorded as is.
RUN_STATE = {"buildStatus", "phases", "currentPhase", "endTime", "buildComplete"}


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


def stop_and_wait(cbx, build_id):
    cbx.cb.stop_build(id=build_id)
    build = cbx.wait(build_id, timeout=20)
    assert build["buildStatus"] == "STOPPED", build["buildStatus"]
    wait_no_build_container(cbx, build_id)
    return build


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
    # The role "codebuild" does not exist: the build ends in PROVISIONING; what was recorded stays.
    deadline = time.time() + 20
    while not (got := cb.batch_get_builds(ids=[build["id"]])["builds"][0])["buildComplete"]:
        assert time.time() < deadline, got
        time.sleep(0.05)
    recorded = {k: v for k, v in build.items() if k not in RUN_STATE}
    assert {k: v for k, v in got.items() if k in recorded} == recorded
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


def test_stop_retry_and_batch_get(cbx):
    project = cbx.project(buildspec=SLEEPER)
    override = [{"name": "OVER", "value": "given", "type": "PLAINTEXT"}]
    build = cbx.start(project, imageOverride=LOCAL_IMAGE, environmentVariablesOverride=override)
    in_build_phase(cbx, build["id"])
    asked = cbx.cb.stop_build(id=build["id"])["build"]
    assert asked["id"] == build["id"] and asked["buildNumber"] == 1
    stopped = cbx.wait(build["id"], timeout=20)
    assert stopped["buildStatus"] == "STOPPED"
    assert stopped["buildComplete"] is True
    assert stopped["currentPhase"] == "COMPLETED"
    assert phases(stopped)["BUILD"]["phaseStatus"] == "STOPPED"
    assert "endTime" in stopped
    wait_no_build_container(cbx, build["id"])
    # Stopping a finished build changes nothing.
    again = cbx.cb.stop_build(id=build["id"])["build"]
    assert again["buildStatus"] == "STOPPED" and again["endTime"] == stopped["endTime"]
    code, _ = error_of(cbx.cb.stop_build, id=f"{project}:00000000-0000-0000-0000-000000000000")
    assert code == "ResourceNotFoundException"
    # RetryBuild starts a new build with the first one's overrides, and it runs.
    retried = cbx.cb.retry_build(id=build["id"])["build"]
    assert retried["id"] != build["id"]
    assert retried["buildNumber"] == 2
    assert retried["environment"]["image"] == LOCAL_IMAGE
    assert retried["environment"]["environmentVariables"] == override
    assert retried["buildStatus"] == "IN_PROGRESS"
    in_build_phase(cbx, retried["id"])
    got = cbx.cb.batch_get_builds(ids=[build["id"], retried["arn"], f"{project}:missing"])
    assert [b["id"] for b in got["builds"]] == [build["id"], retried["id"]]
    assert [b["buildStatus"] for b in got["builds"]] == ["STOPPED", "IN_PROGRESS"]
    assert got["buildsNotFound"] == [f"{project}:missing"]
    code, _ = error_of(cbx.cb.batch_get_builds, ids=[f"{project}:{i}" for i in range(101)])
    assert code == "InvalidInputException"
    cli = cbx.aws("codebuild", "batch-get-builds", "--ids", build["id"], retried["id"], check=True)
    assert [b["buildStatus"] for b in cli.json["builds"]] == ["STOPPED", "IN_PROGRESS"]
    stop_and_wait(cbx, retried["id"])


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


def test_batch_delete_builds(cbx):
    project = cbx.project(buildspec=SLEEPER)
    done = cbx.run(project, buildspecOverride=spec("echo done"))
    assert done["buildStatus"] == "SUCCEEDED"
    running = cbx.start(project)["id"]
    in_build_phase(cbx, running)
    missing = f"{project}:00000000-0000-0000-0000-000000000000"
    out = cbx.cb.batch_delete_builds(ids=[running, done["id"], missing])
    assert out["buildsDeleted"] == [done["id"]]
    not_deleted = {b["id"]: b.get("statusCode") for b in out["buildsNotDeleted"]}
    assert set(not_deleted) == {running, missing}
    assert not_deleted[running] == "BUILD_IN_PROGRESS"
    assert cbx.cb.batch_get_builds(ids=[done["id"]])["buildsNotFound"] == [done["id"]]
    assert cbx.get(running)["buildStatus"] == "IN_PROGRESS"
    assert build_containers(cbx, running), "the refused delete stopped the build's container"
    # Once it has finished, it can be deleted.
    stop_and_wait(cbx, running)
    assert cbx.cb.batch_delete_builds(ids=[running])["buildsDeleted"] == [running]
    assert cbx.cb.list_builds_for_project(projectName=project)["ids"] == []


def test_events_on_the_bus(cbx):
    project = cbx.project(buildspec=SLEEPER)
    build = cbx.start(project)
    in_build_phase(cbx, build["id"])
    build = stop_and_wait(cbx, build["id"])
    mine = [e for e in cbx.events() if e["detail"].get("build-id") == build["arn"]]
    states = [e for e in mine if e["detail-type"] == "CodeBuild Build State Change"]
    phase_events = [e for e in mine if e["detail-type"] == "CodeBuild Build Phase Change"]
    assert [e["detail"]["build-status"] for e in states] == ["IN_PROGRESS", "STOPPED"]
    assert all(e["resources"] == [build["arn"]] and e["source"] == "aws.codebuild" for e in mine)
    assert all(e["detail"]["project-name"] == project for e in mine)
    assert states[1]["detail"]["current-phase"] == "COMPLETED"
    # One phase change per closed phase, in order, with the status the build records.
    closed = [(p["phaseType"], p["phaseStatus"]) for p in build["phases"] if "phaseStatus" in p]
    assert [(e["detail"]["completed-phase"], e["detail"]["completed-phase-status"]) for e in phase_events] == closed
    assert closed[:4] == [("SUBMITTED", "SUCCEEDED"), ("QUEUED", "SUCCEEDED"), ("PROVISIONING", "SUCCEEDED"),
                          ("DOWNLOAD_SOURCE", "SUCCEEDED")]
    assert ("BUILD", "STOPPED") in closed and "POST_BUILD" not in phase_types(build)


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


def test_restart_fails_builds_left_in_progress(cbx_factory):
    cbx = cbx_factory()
    # The build is killed in PRE_BUILD: the phase left open is the one that ends FAULT.
    project = cbx.project(buildspec=spec("echo never", pre_build=["echo sleeping-now", "sleep 300"]))
    build = cbx.start(project)
    cbx.wait(build["id"], until=lambda b: b["currentPhase"] == "PRE_BUILD" and "sleeping-now" in cbx.log(b))
    assert build_containers(cbx, build["id"])
    cbx.server.restart()  # kill -9, then the same data dir and port
    got = cbx.wait(build["id"], timeout=20)
    assert got["buildStatus"] == "FAULT"
    assert got["buildComplete"] is True and got["currentPhase"] == "COMPLETED"
    p = phases(got)
    assert p["PRE_BUILD"]["phaseStatus"] == "FAULT"
    assert p["PRE_BUILD"]["contexts"][0]["statusCode"] == "BUILD_INTERRUPTED"
    assert "BUILD" not in p
    assert all(p[t]["phaseStatus"] == "SUCCEEDED" for t in ("SUBMITTED", "QUEUED", "PROVISIONING", "INSTALL"))
    wait_no_build_container(cbx, build["id"], timeout=30)
    assert "never" not in cbx.log(got)


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


def test_a_started_build_is_claimed_at_once(cbx_factory):
    # hakobu has no capacity limit: the runner claims every build as it starts, so the queued
    # timeout (queuedTimeoutInMinutes) can no longer be reached; a claimed build is not subject to it.
    cbx = cbx_factory(extra_args=["--clock-control"])
    project = cbx.project(buildspec=SLEEPER)
    started = time.time()
    build = cbx.start(project, queuedTimeoutInMinutesOverride=5)
    assert build["queuedTimeoutInMinutes"] == 5
    claimed = cbx.wait(build["id"], timeout=1, until=lambda b: phases(b)["QUEUED"].get("phaseStatus") == "SUCCEEDED")
    assert time.time() - started < 1
    queued = phases(claimed)["QUEUED"]
    assert (queued["endTime"] - queued["startTime"]).total_seconds() < 1
    assert claimed["currentPhase"] != "QUEUED"
    in_build_phase(cbx, build["id"])
    advance_clock(cbx.server, 301)
    time.sleep(0.5)
    got = cbx.get(build["id"])
    assert got["buildStatus"] == "IN_PROGRESS" and got["currentPhase"] == "BUILD"
    assert phases(got)["QUEUED"]["phaseStatus"] == "SUCCEEDED"
    stop_and_wait(cbx, build["id"])


def test_health_lists_codebuild_and_reset_restarts_numbering(cb, hakobu):
    with urllib.request.urlopen(hakobu.url + "/_hakobu/health", timeout=5) as r:
        assert "codebuild" in json.loads(r.read())["services"]
    cb.start_build(projectName="demo")
    hakobu.reset()
    assert hakobu.client("codebuild").list_projects()["projects"] == []
    assert hakobu.client("codebuild").list_builds()["ids"] == []
