"""CloudWatch Logs through the aws CLI: v1 for every operation, Debian's v2 for `aws logs tail`
(with --since, and --follow seeing an event put while it runs)."""
import json
import os
import subprocess
import threading
import time

import pytest

from logs_helpers import AWS_V2, DEV_ACCOUNT, cli_env, now_ms

needs_v2 = pytest.mark.skipif(not os.path.exists(AWS_V2), reason="Debian's AWS CLI v2 (/usr/bin/aws) is not installed")


def test_cli_v1_groups_streams_and_retention(aws):
    aws("logs", "create-log-group", "--log-group-name", "/cli/app", "--tags", "team=ci", check=True)
    aws("logs", "put-retention-policy", "--log-group-name", "/cli/app", "--retention-in-days", "7", check=True)
    groups = aws("logs", "describe-log-groups", "--log-group-name-prefix", "/cli/", check=True).json["logGroups"]
    assert [(g["logGroupName"], g["retentionInDays"]) for g in groups] == [("/cli/app", 7)]
    aws("logs", "delete-retention-policy", "--log-group-name", "/cli/app", check=True)
    aws("logs", "create-log-stream", "--log-group-name", "/cli/app", "--log-stream-name", "s1", check=True)
    streams = aws("logs", "describe-log-streams", "--log-group-name", "/cli/app", check=True).json["logStreams"]
    assert [s["logStreamName"] for s in streams] == ["s1"]
    failed = aws("logs", "create-log-group", "--log-group-name", "/cli/app")
    assert failed.returncode != 0 and "ResourceAlreadyExistsException" in failed.stderr
    aws("logs", "delete-log-stream", "--log-group-name", "/cli/app", "--log-stream-name", "s1", check=True)
    aws("logs", "delete-log-group", "--log-group-name", "/cli/app", check=True)
    missing = aws("logs", "delete-log-group", "--log-group-name", "/cli/app")
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr


def test_cli_v1_events(aws):
    aws("logs", "create-log-group", "--log-group-name", "g", check=True)
    aws("logs", "create-log-stream", "--log-group-name", "g", "--log-stream-name", "s", check=True)
    t = now_ms() - 5000
    batch = json.dumps([{"timestamp": t, "message": "hello ERROR"}, {"timestamp": t + 1, "message": "bye"}])
    out = aws("logs", "put-log-events", "--log-group-name", "g", "--log-stream-name", "s", "--log-events", batch,
              check=True).json
    assert out["nextSequenceToken"].isdigit()
    got = aws("logs", "get-log-events", "--log-group-name", "g", "--log-stream-name", "s", "--start-from-head",
              check=True).json
    assert [e["message"] for e in got["events"]] == ["hello ERROR", "bye"]
    assert got["nextForwardToken"].startswith("f/")
    found = aws("logs", "filter-log-events", "--log-group-name", "g", "--filter-pattern", "ERROR", check=True).json
    assert [e["message"] for e in found["events"]] == ["hello ERROR"]
    bad = aws("logs", "put-log-events", "--log-group-name", "g", "--log-stream-name", "s", "--log-events",
              json.dumps([{"timestamp": t + 1, "message": "b"}, {"timestamp": t, "message": "a"}]))
    assert bad.returncode != 0 and "InvalidParameterException" in bad.stderr


def test_cli_v1_tags(aws):
    aws("logs", "create-log-group", "--log-group-name", "t", check=True)
    arn = f"arn:aws:logs:us-east-1:{DEV_ACCOUNT}:log-group:t"
    aws("logs", "tag-resource", "--resource-arn", arn, "--tags", "a=1,b=2", check=True)
    aws("logs", "untag-resource", "--resource-arn", arn, "--tag-keys", "a", check=True)
    assert aws("logs", "list-tags-for-resource", "--resource-arn", arn, check=True).json["tags"] == {"b": "2"}
    aws("logs", "tag-log-group", "--log-group-name", "t", "--tags", "c=3", check=True)
    aws("logs", "untag-log-group", "--log-group-name", "t", "--tags", "b", check=True)
    assert aws("logs", "list-tags-log-group", "--log-group-name", "t", check=True).json["tags"] == {"c": "3"}


def _setup_group(logs, group="/aws/codebuild/demo", stream="build-1"):
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)


@needs_v2
def test_cli_v2_tail_with_since(hakobu, client):
    logs = client("logs")
    _setup_group(logs)
    t = now_ms()
    logs.put_log_events(logGroupName="/aws/codebuild/demo", logStreamName="build-1", logEvents=[
        {"timestamp": t - 3 * 3600 * 1000, "message": "three hours ago"},
        {"timestamp": t - 2000, "message": "step one"},
        {"timestamp": t - 1000, "message": "step two"},
    ])
    out = hakobu.aws("logs", "tail", "/aws/codebuild/demo", "--since", "1h", "--format", "short", v2=True, check=True)
    lines = out.stdout.splitlines()
    assert [line.split(" ", 1)[1] for line in lines] == ["step one", "step two"]
    detailed = hakobu.aws("logs", "tail", "/aws/codebuild/demo", "--since", "4h", v2=True, check=True).stdout
    assert "three hours ago" in detailed and "build-1" in detailed


@needs_v2
def test_cli_v2_tail_follow_sees_new_events(hakobu, client):
    logs = client("logs")
    _setup_group(logs)
    logs.put_log_events(logGroupName="/aws/codebuild/demo", logStreamName="build-1",
                        logEvents=[{"timestamp": now_ms() - 1000, "message": "before follow"}])
    proc = subprocess.Popen([AWS_V2, "--endpoint-url", hakobu.url, "logs", "tail", "/aws/codebuild/demo", "--follow",
                             "--since", "5m", "--format", "short"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(hakobu))
    lines = []
    reader = threading.Thread(target=lambda: [lines.append(line.rstrip("\n")) for line in proc.stdout], daemon=True)
    reader.start()
    try:
        deadline = time.time() + 15
        while time.time() < deadline and not any("before follow" in line for line in lines):
            time.sleep(0.1)
        assert any("before follow" in line for line in lines), lines
        logs.put_log_events(logGroupName="/aws/codebuild/demo", logStreamName="build-1",
                            logEvents=[{"timestamp": now_ms(), "message": "while following"}])
        # tail --follow polls FilterLogEvents every 5 seconds.
        deadline = time.time() + 15
        while time.time() < deadline and not any("while following" in line for line in lines):
            time.sleep(0.1)
        assert any("while following" in line for line in lines), (lines, proc.poll())
        assert sum("before follow" in line for line in lines) == 1  # no repeats across polls
    finally:
        proc.kill()
        proc.wait()
