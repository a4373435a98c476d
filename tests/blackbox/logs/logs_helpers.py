"""Shared bits of the CloudWatch Logs black-box tests: times, errors, the aws CLI's
environment for long-running commands (aws logs tail --follow) and the engines' clock."""
import json
import os
import time
import urllib.request

import botocore.exceptions
import pytest

DEV_ACCOUNT = "000000000000"
AWS_V2 = "/usr/bin/aws"  # Debian's AWS CLI v2 (the pyenv `aws` on PATH is v1)


def now_ms():
    return int(time.time() * 1000)


def error_of(call, *args, **kwargs):
    """Runs a boto3 call that must fail; returns (code, message)."""
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(*args, **kwargs)
    err = info.value.response["Error"]
    return err["Code"], err.get("Message", "")


def make_stream(logs, group, stream, create_group=True):
    if create_group:
        logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)


def put(logs, group, stream, messages, start=None, step=1):
    """Puts `messages` one millisecond (or `step`) apart, ending a second ago; returns the
    timestamps used."""
    start = start if start is not None else now_ms() - 1000 - step * len(messages)
    stamps = [start + i * step for i in range(len(messages))]
    out = logs.put_log_events(logGroupName=group, logStreamName=stream,
                              logEvents=[{"timestamp": t, "message": m} for t, m in zip(stamps, messages)])
    assert "nextSequenceToken" in out
    return stamps


def cli_env(server, creds=None):
    """The environment hakobu.aws() gives the CLI, for commands run with Popen."""
    creds = creds or {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": creds["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": creds["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.path.join(server.workdir, "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(server.workdir, "no-aws-credentials"),
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_PAGER": "",
    })
    return env


def advance_clock(server, seconds):
    """Moves the engines' clock (the server runs with --clock-control); the retention sweep
    has run when this returns."""
    req = urllib.request.Request(server.url + "/_hakobu/clock", method="POST",
                                 data=json.dumps({"advance_seconds": seconds}).encode())
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200
