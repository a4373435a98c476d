"""Controlling running builds: StopBuild, the build timeout (hakobu's clock moved with
--clock-control), concurrent builds, a hakobu killed with -9 during a build and started again,
service roles that do not trust CodeBuild, images that do not exist, and the "CodeBuild Build
State Change" events on hakobu's bus."""
import json
import time
import urllib.request

import pytest

from conftest import ACCOUNT, build_containers, in_build_phase, phase_types, phases, spec, uid, wait_no_build_container

SLEEPER = spec("echo sleeping-now", "sleep 300")


def test_stop_build_stops_the_container(cbx):
    project = cbx.project(buildspec=SLEEPER)
    build = cbx.start(project)
    in_build_phase(cbx, build["id"])
    assert build_containers(cbx, build["id"]), "no container while the build runs"
    asked = time.time()
    stopped = cbx.cb.stop_build(id=build["id"])["build"]
    assert stopped["id"] == build["id"]
    build = cbx.wait(build["id"], timeout=15)
    assert time.time() - asked < 10
    assert build["buildStatus"] == "STOPPED"
    assert build["buildComplete"] is True and build["currentPhase"] == "COMPLETED"
    assert phases(build)["BUILD"]["phaseStatus"] == "STOPPED"
    assert "POST_BUILD" not in phases(build)
    wait_no_build_container(cbx, build["id"])


def test_concurrent_builds_run_side_by_side(cbx):
    project = cbx.project(buildspec=spec("sleep 1", "echo mine-is-$CODEBUILD_BUILD_ID"))
    started = time.time()
    ids = [cbx.start(project)["id"] for _ in range(3)]
    builds = [cbx.wait(i) for i in ids]
    assert all(b["buildStatus"] == "SUCCEEDED" for b in builds), [b["buildStatus"] for b in builds]
    assert sorted(b["buildNumber"] for b in builds) == [1, 2, 3]
    # They overlapped: three one-second sleeps in much less than three builds' time one after another.
    starts = [phases(b)["BUILD"]["startTime"] for b in builds]
    ends = [phases(b)["BUILD"]["endTime"] for b in builds]
    assert max(starts) < min(ends), (starts, ends)
    assert time.time() - started < 30
    streams = {b["logs"]["streamName"] for b in builds}
    assert len(streams) == 3
    for b in builds:
        log = cbx.log(b)
        assert f"mine-is-{b['id']}" in log
        for other in ids:
            if other != b["id"]:
                assert other not in log


def test_timeout_with_the_clock_moved(cbx_factory):
    cbx = cbx_factory(extra_args=["--clock-control"])
    project = cbx.project(buildspec=SLEEPER, timeoutInMinutes=5)
    build = cbx.start(project)
    assert build["timeoutInMinutes"] == 5
    in_build_phase(cbx, build["id"])
    req = urllib.request.Request(f"{cbx.url}/_hakobu/clock", method="POST",
                                 data=json.dumps({"advance_seconds": 600}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200
    build = cbx.wait(build["id"], timeout=20)
    assert build["buildStatus"] == "TIMED_OUT"
    assert phases(build)["BUILD"]["phaseStatus"] == "TIMED_OUT"
    assert build["currentPhase"] == "COMPLETED"
    wait_no_build_container(cbx, build["id"])


def test_hakobu_killed_during_a_build_faults_it_on_restart(cbx_factory):
    cbx = cbx_factory()
    build = cbx.start(cbx.project(buildspec=SLEEPER))
    in_build_phase(cbx, build["id"])
    cbx.server.restart()  # kill -9, then the same data dir and port
    build = cbx.wait(build["id"], timeout=20)
    assert build["buildStatus"] == "FAULT"
    assert build["buildComplete"] is True
    p = phases(build)["BUILD"]
    assert p["phaseStatus"] == "FAULT"
    assert p["contexts"][0]["statusCode"] == "BUILD_INTERRUPTED"
    wait_no_build_container(cbx, build["id"], timeout=30)
    # The restarted hakobu still runs builds.
    again = cbx.run(cbx.project(buildspec=spec("echo after-restart")))
    assert again["buildStatus"] == "SUCCEEDED"


def test_role_that_does_not_trust_codebuild_fails_provisioning(cbx):
    role = cbx.role()
    project = cbx.project(role=role)
    # AWS checks the trust when the project is saved; a role changed afterwards fails the build.
    cbx.iam.update_assume_role_policy(RoleName=role.split("/")[-1], PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}))
    build = cbx.run(project)
    assert build["buildStatus"] == "FAILED"
    assert phase_types(build) == ["SUBMITTED", "QUEUED", "PROVISIONING", "FINALIZING", "COMPLETED"]
    p = phases(build)["PROVISIONING"]
    assert p["phaseStatus"] == "FAILED"
    assert "sts:AssumeRole" in p["contexts"][0]["message"], p


def test_trust_guarded_by_source_arn_lets_only_that_project_assume_the_role(cbx):
    # The confused-deputy guard AWS recommends for service roles: aws:SourceAccount and
    # aws:SourceArn are the project's account and ARN when CodeBuild assumes the role.
    mine = uid("guarded")
    arn = f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/{mine}"
    role = cbx.role(trust={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": arn}}}]})
    ok = cbx.run(cbx.project(role=role, name=mine, buildspec=spec("echo guarded")))
    assert ok["buildStatus"] == "SUCCEEDED", phases(ok)["PROVISIONING"]
    other = cbx.run(cbx.project(role=role, buildspec=spec("echo other")))
    assert other["buildStatus"] == "FAILED"
    assert "sts:AssumeRole" in phases(other)["PROVISIONING"]["contexts"][0]["message"]


def test_missing_role_fails_provisioning(cbx):
    project = cbx.project(role="arn:aws:iam::000000000000:role/does-not-exist")
    build = cbx.run(project)
    assert build["buildStatus"] == "FAILED"
    assert phases(build)["PROVISIONING"]["phaseStatus"] == "FAILED"


def test_image_that_does_not_exist_fails_provisioning(cbx):
    project = cbx.project(image="aws/codebuild/no-such-image:9.9")
    build = cbx.run(project)
    assert build["buildStatus"] == "FAILED"
    assert phase_types(build) == ["SUBMITTED", "QUEUED", "PROVISIONING", "FINALIZING", "COMPLETED"]
    p = phases(build)["PROVISIONING"]
    assert p["phaseStatus"] == "FAILED"
    assert p["contexts"][0]["statusCode"] == "BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE", p
    assert "no-such-image" in p["contexts"][0]["message"]


def test_build_state_change_events(cbx):
    project = cbx.project(buildspec=spec("echo evented"))
    ok = cbx.run(project)
    failed = cbx.run(project, buildspecOverride=spec("exit 1"))
    events = [e for e in cbx.events() if e["detail-type"] == "CodeBuild Build State Change"
              and e["detail"].get("project-name") == project]
    for build, final in ((ok, "SUCCEEDED"), (failed, "FAILED")):
        mine = [e for e in events if e["detail"]["build-id"] == build["arn"]]
        statuses = [e["detail"]["build-status"] for e in mine]
        assert statuses == ["IN_PROGRESS", final], statuses
        for e in mine:
            assert e["source"] == "aws.codebuild"
            assert e["account"] == "000000000000" and e["region"] == "us-east-1"
            assert e["resources"] == [build["arn"]]
            assert "current-phase" in e["detail"] and "additional-information" in e["detail"]
        end = mine[-1]["detail"]
        assert end["current-phase"] == "COMPLETED"
        info = end["additional-information"]
        assert info["build-complete"] is True
        assert info["logs"]["group-name"] == f"/aws/codebuild/{project}"
        assert [p["phase-type"] for p in info["phases"]][-1] == "COMPLETED"
    phase_events = [e for e in cbx.events() if e["detail-type"] == "CodeBuild Build Phase Change"
                    and e["detail"].get("build-id") == ok["arn"]]
    completed = [e["detail"]["completed-phase"] for e in phase_events]
    assert completed[:3] == ["SUBMITTED", "QUEUED", "PROVISIONING"] and "POST_BUILD" in completed
    assert all(e["detail"]["completed-phase-status"] == "SUCCEEDED" for e in phase_events)


def test_running_builds_have_a_container_labelled_for_this_hakobu(cbx):
    build = cbx.start(cbx.project(buildspec=SLEEPER))
    in_build_phase(cbx, build["id"])
    mine = build_containers(cbx, build["id"])
    assert len(mine) == 1 and f"codebuild-{build['id'].split(':')[1]}" in mine[0]
    cbx.cb.stop_build(id=build["id"])
    assert cbx.wait(build["id"], timeout=15)["buildStatus"] == "STOPPED"
    wait_no_build_container(cbx, build["id"])


@pytest.fixture(autouse=True)
def _no_container_outlives_its_test(request):
    yield
    if "cbx" in request.fixturenames:
        cbx = request.getfixturevalue("cbx")
        deadline = time.time() + 15
        while cbx.containers() and time.time() < deadline:
            time.sleep(0.2)
        assert cbx.containers() == []


def test_stop_right_after_start(cbx):
    project = cbx.project(buildspec=SLEEPER)
    build = cbx.start(project)
    cbx.cb.stop_build(id=build["id"])
    build = cbx.wait(build["id"], timeout=20)
    assert build["buildStatus"] == "STOPPED"
    assert build["currentPhase"] == "COMPLETED"
    assert "POST_BUILD" not in phases(build)
    wait_no_build_container(cbx, build["id"])


def test_stop_during_post_build_keeps_earlier_phases(cbx):
    project = cbx.project(buildspec=spec("echo built", post_build=["echo sleeping-now", "sleep 300"]))
    build = cbx.start(project)
    cbx.wait(build["id"], until=lambda b: b["currentPhase"] == "POST_BUILD" and "sleeping-now" in cbx.log(b))
    cbx.cb.stop_build(id=build["id"])
    build = cbx.wait(build["id"], timeout=15)
    assert build["buildStatus"] == "STOPPED"
    p = phases(build)
    assert p["BUILD"]["phaseStatus"] == "SUCCEEDED"
    assert p["POST_BUILD"]["phaseStatus"] == "STOPPED"
    assert "UPLOAD_ARTIFACTS" not in p
    wait_no_build_container(cbx, build["id"])


def test_running_build_cannot_be_deleted(cbx):
    build = cbx.start(cbx.project(buildspec=SLEEPER))
    in_build_phase(cbx, build["id"])
    out = cbx.cb.batch_delete_builds(ids=[build["id"]])
    assert out["buildsNotDeleted"] == [{"id": build["id"], "statusCode": "BUILD_IN_PROGRESS"}]
    cbx.cb.stop_build(id=build["id"])
    assert cbx.wait(build["id"], timeout=15)["buildStatus"] == "STOPPED"
    assert cbx.cb.batch_delete_builds(ids=[build["id"]])["buildsDeleted"] == [build["id"]]


def test_retry_build_runs_again(cbx):
    project = cbx.project(buildspec=spec("echo run-$CODEBUILD_BUILD_NUMBER", "test $CODEBUILD_BUILD_NUMBER -ge 2"))
    first = cbx.run(project)
    assert first["buildStatus"] == "FAILED"
    retried = cbx.cb.retry_build(id=first["id"])["build"]
    assert retried["id"] != first["id"]
    second = cbx.wait(retried["id"])
    assert second["buildStatus"] == "SUCCEEDED"
    assert "run-2" in cbx.log(second)


def test_timeout_override_at_start(cbx_factory):
    cbx = cbx_factory(extra_args=["--clock-control"])
    build = cbx.start(cbx.project(buildspec=SLEEPER, timeoutInMinutes=60), timeoutInMinutesOverride=5)
    in_build_phase(cbx, build["id"])
    req = urllib.request.Request(f"{cbx.url}/_hakobu/clock", method="POST",
                                 data=json.dumps({"advance_seconds": 301}).encode())
    urllib.request.urlopen(req, timeout=10).close()
    build = cbx.wait(build["id"], timeout=20)
    assert build["buildStatus"] == "TIMED_OUT"
    wait_no_build_container(cbx, build["id"])


def test_clock_moved_less_than_the_timeout_does_not_stop_the_build(cbx_factory):
    cbx = cbx_factory(extra_args=["--clock-control"])
    project = cbx.project(buildspec=spec("echo sleeping-now", "sleep 3", "echo woke-up"), timeoutInMinutes=5)
    build = cbx.start(project)
    in_build_phase(cbx, build["id"])
    req = urllib.request.Request(f"{cbx.url}/_hakobu/clock", method="POST",
                                 data=json.dumps({"advance_seconds": 240}).encode())
    urllib.request.urlopen(req, timeout=10).close()
    build = cbx.wait(build["id"], timeout=30)
    assert build["buildStatus"] == "SUCCEEDED"
    assert "woke-up" in cbx.log(build)


def test_hakobu_stopped_gracefully_during_a_build(cbx_factory):
    cbx = cbx_factory()
    build = cbx.start(cbx.project(buildspec=SLEEPER))
    in_build_phase(cbx, build["id"])
    cbx.server.stop()  # SIGTERM
    assert cbx.server.proc.returncode == 0, cbx.server.logs()[-2000:]
    wait_no_build_container(cbx, build["id"], timeout=10)
    cbx.server.start(port=cbx.server.port)
    build = cbx.get(build["id"])
    assert build["buildStatus"] == "FAULT" and build["buildComplete"] is True
    assert phases(build)["BUILD"]["phaseStatus"] == "FAULT"
