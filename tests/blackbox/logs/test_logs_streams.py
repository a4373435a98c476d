"""Log streams through boto3: create, describe (order, prefix, pages, identifiers), delete,
and the times and tokens a stream reports once events arrive."""
import pytest

from logs_helpers import DEV_ACCOUNT, error_of, make_stream, now_ms, put


@pytest.fixture
def logs(client):
    c = client("logs")
    c.create_log_group(logGroupName="app")
    return c


def test_create_and_describe_stream(logs):
    logs.create_log_stream(logGroupName="app", logStreamName="web/1")
    s = logs.describe_log_streams(logGroupName="app")["logStreams"][0]
    assert s["logStreamName"] == "web/1"
    assert s["arn"] == f"arn:aws:logs:us-east-1:{DEV_ACCOUNT}:log-group:app:log-stream:web/1"
    assert s["storedBytes"] == 0
    assert "firstEventTimestamp" not in s and "lastEventTimestamp" not in s


def test_stream_reports_event_times_and_sequence_token(logs):
    logs.create_log_stream(logGroupName="app", logStreamName="s")
    before = now_ms()
    stamps = put(logs, "app", "s", ["a", "b", "c"])
    s = logs.describe_log_streams(logGroupName="app")["logStreams"][0]
    assert s["firstEventTimestamp"] == stamps[0]
    assert s["lastEventTimestamp"] == stamps[-1]
    assert s["lastIngestionTime"] >= before
    assert s["uploadSequenceToken"].isdigit()


def test_stream_errors(logs):
    logs.create_log_stream(logGroupName="app", logStreamName="s")
    code, message = error_of(logs.create_log_stream, logGroupName="app", logStreamName="s")
    assert code == "ResourceAlreadyExistsException" and "already exists" in message
    code, message = error_of(logs.create_log_stream, logGroupName="nope", logStreamName="s")
    assert code == "ResourceNotFoundException" and message == "The specified log group does not exist."
    code, message = error_of(logs.delete_log_stream, logGroupName="app", logStreamName="other")
    assert code == "ResourceNotFoundException" and message == "The specified log stream does not exist."
    code, _ = error_of(logs.describe_log_streams, logGroupName="nope")
    assert code == "ResourceNotFoundException"


def test_delete_stream_removes_its_events(logs):
    logs.create_log_stream(logGroupName="app", logStreamName="s")
    put(logs, "app", "s", ["12345"])
    logs.delete_log_stream(logGroupName="app", logStreamName="s")
    assert logs.describe_log_streams(logGroupName="app")["logStreams"] == []
    assert logs.describe_log_groups()["logGroups"][0]["storedBytes"] == 0
    logs.create_log_stream(logGroupName="app", logStreamName="s")
    assert logs.get_log_events(logGroupName="app", logStreamName="s")["events"] == []


def test_order_by_name_and_last_event_time(logs):
    for name in ["b", "a", "c"]:
        logs.create_log_stream(logGroupName="app", logStreamName=name)
    t = now_ms() - 10_000
    put(logs, "app", "c", ["x"], start=t)
    put(logs, "app", "a", ["x"], start=t + 5000)
    names = lambda out: [s["logStreamName"] for s in out["logStreams"]]
    assert names(logs.describe_log_streams(logGroupName="app")) == ["a", "b", "c"]
    assert names(logs.describe_log_streams(logGroupName="app", descending=True)) == ["c", "b", "a"]
    newest_first = logs.describe_log_streams(logGroupName="app", orderBy="LastEventTime", descending=True)
    assert names(newest_first)[:2] == ["a", "c"]
    assert names(logs.describe_log_streams(logGroupName="app", logStreamNamePrefix="b")) == ["b"]


def test_last_event_time_order_refuses_a_prefix(logs):
    code, _ = error_of(logs.describe_log_streams, logGroupName="app", orderBy="LastEventTime",
                       logStreamNamePrefix="a")
    assert code == "InvalidParameterException"


def test_describe_streams_pages(logs):
    names = [f"s{i:02d}" for i in range(12)]
    for name in names:
        logs.create_log_stream(logGroupName="app", logStreamName=name)
    first = logs.describe_log_streams(logGroupName="app", limit=5)
    assert len(first["logStreams"]) == 5 and "nextToken" in first
    pages = logs.get_paginator("describe_log_streams").paginate(logGroupName="app", PaginationConfig={"PageSize": 5})
    assert [s["logStreamName"] for p in pages for s in p["logStreams"]] == names


def test_describe_streams_by_identifier(logs):
    logs.create_log_stream(logGroupName="app", logStreamName="s")
    arn = f"arn:aws:logs:us-east-1:{DEV_ACCOUNT}:log-group:app"
    for identifier in ["app", arn]:  # the model's pattern has no '*': the ":*" form is refused
        out = logs.describe_log_streams(logGroupIdentifier=identifier)
        assert [s["logStreamName"] for s in out["logStreams"]] == ["s"], identifier
    code, _ = error_of(logs.describe_log_streams, logGroupName="app", logGroupIdentifier="app")
    assert code == "InvalidParameterException"
    code, _ = error_of(logs.describe_log_streams)
    assert code == "InvalidParameterException"


def test_stream_names_with_slashes_and_brackets(client):
    logs = client("logs")
    make_stream(logs, "/ecs/app", "ecs/web/0123456789abcdef")
    make_stream(logs, "/aws/codebuild/p", "7f8e[1]", create_group=True)
    assert logs.describe_log_streams(logGroupName="/aws/codebuild/p")["logStreams"][0]["logStreamName"] == "7f8e[1]"
