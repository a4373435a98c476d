"""Events through boto3: PutLogEvents' batch rules and rejections, GetLogEvents' directions and
tokens, FilterLogEvents' streams, time range, patterns and pages."""
import re

import pytest

from logs_helpers import DEV_ACCOUNT, error_of, make_stream, now_ms, put

HOUR = 3600 * 1000
DAY = 24 * HOUR


@pytest.fixture
def logs(client):
    c = client("logs")
    make_stream(c, "app", "s")
    return c


def events(logs, **kwargs):
    kwargs.setdefault("logGroupName", "app")
    kwargs.setdefault("logStreamName", "s")
    kwargs.setdefault("startFromHead", True)
    return logs.get_log_events(**kwargs)


def messages(out):
    return [e["message"] for e in out["events"]]


# --- PutLogEvents ---------------------------------------------------------------------------

def test_put_and_get_round_trip(logs):
    before = now_ms()
    stamps = put(logs, "app", "s", ["hello", "wörld ✓"])
    out = events(logs)
    assert messages(out) == ["hello", "wörld ✓"]
    assert [e["timestamp"] for e in out["events"]] == stamps
    assert all(e["ingestionTime"] >= before for e in out["events"])


def test_sequence_tokens_are_returned_and_ignored(logs):
    first = logs.put_log_events(logGroupName="app", logStreamName="s",
                                logEvents=[{"timestamp": now_ms(), "message": "a"}])
    token = first["nextSequenceToken"]
    assert token.isdigit() and len(token) == 56
    # A stale or made-up token is accepted: AWS ignores sequence tokens now.
    second = logs.put_log_events(logGroupName="app", logStreamName="s", sequenceToken="12345",
                                 logEvents=[{"timestamp": now_ms(), "message": "b"}])
    assert second["nextSequenceToken"] != token
    assert "rejectedLogEventsInfo" not in second


def test_put_needs_the_group_and_the_stream(logs):
    code, message = error_of(logs.put_log_events, logGroupName="nope", logStreamName="s",
                             logEvents=[{"timestamp": now_ms(), "message": "x"}])
    assert code == "ResourceNotFoundException" and "log group" in message
    code, message = error_of(logs.put_log_events, logGroupName="app", logStreamName="nope",
                             logEvents=[{"timestamp": now_ms(), "message": "x"}])
    assert code == "ResourceNotFoundException" and "log stream" in message


def test_batch_must_be_chronological(logs):
    t = now_ms()
    code, message = error_of(logs.put_log_events, logGroupName="app", logStreamName="s",
                             logEvents=[{"timestamp": t, "message": "b"}, {"timestamp": t - 1, "message": "a"}])
    assert code == "InvalidParameterException" and "chronological" in message
    assert events(logs)["events"] == []


def test_batch_size_counts_26_bytes_per_event(logs):
    t = now_ms()
    exact = [{"timestamp": t, "message": "x" * (1048576 - 26)}]
    logs.put_log_events(logGroupName="app", logStreamName="s", logEvents=exact)
    over = [{"timestamp": t, "message": "x" * 1000}] * 1000 + [{"timestamp": t, "message": "x" * 23001}]
    code, message = error_of(logs.put_log_events, logGroupName="app", logStreamName="s", logEvents=over)
    assert code == "InvalidParameterException"
    assert message == "Upload too large: 1049027 bytes exceeds limit of 1048576"


def test_ten_thousand_events_at_most(client, logs):
    t = now_ms()
    logs.put_log_events(logGroupName="app", logStreamName="s",
                        logEvents=[{"timestamp": t, "message": "e"}] * 10000)
    raw = client("logs", parameter_validation=False)
    with pytest.raises(Exception) as info:
        raw.put_log_events(logGroupName="app", logStreamName="s", logEvents=[{"timestamp": t, "message": "e"}] * 10001)
    assert info.value.response["Error"]["Code"] in ("InvalidParameterException", "ValidationException")


def test_old_and_future_events_are_rejected_not_failed(logs):
    t = now_ms()
    out = logs.put_log_events(logGroupName="app", logStreamName="s", logEvents=[
        {"timestamp": t - 15 * DAY, "message": "too old"},
        {"timestamp": t - 1000, "message": "kept 1"},
        {"timestamp": t, "message": "kept 2"},
        {"timestamp": t + 3 * HOUR, "message": "too new"},
    ])
    assert out["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 1, "tooNewLogEventStartIndex": 3}
    assert messages(events(logs)) == ["kept 1", "kept 2"]


def test_events_older_than_the_retention_are_expired(logs):
    logs.put_retention_policy(logGroupName="app", retentionInDays=1)
    t = now_ms()
    out = logs.put_log_events(logGroupName="app", logStreamName="s", logEvents=[
        {"timestamp": t - 3 * DAY, "message": "expired"},
        {"timestamp": t, "message": "kept"},
    ])
    assert out["rejectedLogEventsInfo"] == {"expiredLogEventEndIndex": 1}
    assert messages(events(logs)) == ["kept"]


def test_a_batch_may_not_span_more_than_a_day(logs):
    t = now_ms()
    code, message = error_of(logs.put_log_events, logGroupName="app", logStreamName="s", logEvents=[
        {"timestamp": t - 2 * DAY, "message": "a"}, {"timestamp": t, "message": "b"}])
    assert code == "InvalidParameterException" and "24 hours" in message


# --- GetLogEvents ---------------------------------------------------------------------------

def test_get_from_head_and_from_tail(logs):
    put(logs, "app", "s", [f"m{i}" for i in range(5)])
    assert messages(events(logs, limit=2)) == ["m0", "m1"]
    assert messages(logs.get_log_events(logGroupName="app", logStreamName="s", limit=2)) == ["m3", "m4"]
    assert messages(logs.get_log_events(logGroupName="app", logStreamName="s")) == [f"m{i}" for i in range(5)]


def test_tokens_have_aws_shape_and_walk_both_ways(logs):
    put(logs, "app", "s", [f"m{i}" for i in range(5)])
    page = events(logs, limit=2)
    assert re.fullmatch(r"f/\d{56}", page["nextForwardToken"])
    assert re.fullmatch(r"b/\d{56}", page["nextBackwardToken"])
    seen = messages(page)
    while True:
        nxt = events(logs, limit=2, nextToken=page["nextForwardToken"])
        if nxt["nextForwardToken"] == page["nextForwardToken"]:
            assert nxt["events"] == []  # the end: the forward token repeats
            break
        seen += messages(nxt)
        page = nxt
    assert seen == [f"m{i}" for i in range(5)]
    back = events(logs, limit=2, nextToken=page["nextBackwardToken"])
    assert messages(back) == ["m2", "m3"]


def test_forward_token_sees_later_events(logs):
    put(logs, "app", "s", ["first"])
    end = events(logs)["nextForwardToken"]
    assert events(logs, nextToken=end)["events"] == []
    put(logs, "app", "s", ["second"], start=now_ms())
    assert messages(events(logs, nextToken=end)) == ["second"]


def test_empty_stream_tokens(logs):
    out = events(logs)
    assert out["events"] == []
    assert out["nextForwardToken"].startswith("f/") and out["nextBackwardToken"].startswith("b/")
    put(logs, "app", "s", ["arrived"])
    assert messages(events(logs, nextToken=out["nextForwardToken"])) == ["arrived"]


def test_time_range_start_inclusive_end_exclusive(logs):
    t = now_ms() - 10_000
    put(logs, "app", "s", ["a", "b", "c"], start=t, step=10)
    assert messages(events(logs, startTime=t + 10, endTime=t + 20)) == ["b"]
    assert messages(events(logs, startTime=t + 10)) == ["b", "c"]


def test_get_by_identifier_and_errors(logs):
    put(logs, "app", "s", ["x"])
    arn = f"arn:aws:logs:us-east-1:{DEV_ACCOUNT}:log-group:app"
    assert messages(logs.get_log_events(logGroupIdentifier=arn, logStreamName="s", startFromHead=True)) == ["x"]
    code, _ = error_of(logs.get_log_events, logGroupName="app", logStreamName="nope")
    assert code == "ResourceNotFoundException"
    code, _ = error_of(logs.get_log_events, logGroupName="nope", logStreamName="s")
    assert code == "ResourceNotFoundException"
    code, _ = error_of(logs.get_log_events, logGroupName="app", logStreamName="s", nextToken="garbage")
    assert code == "InvalidParameterException"
    code, _ = error_of(logs.get_log_events, logGroupName="app", logGroupIdentifier="app", logStreamName="s")
    assert code == "InvalidParameterException"


# --- FilterLogEvents ------------------------------------------------------------------------

@pytest.fixture
def web(logs):
    for s in ["web-1", "web-2", "db"]:
        logs.create_log_stream(logGroupName="app", logStreamName=s)
    t = now_ms() - 60_000
    put(logs, "app", "web-1", ["GET / 200", "GET /missing 404"], start=t, step=20)
    put(logs, "app", "web-2", ["POST /api 500 ERROR"], start=t + 10)
    put(logs, "app", "db", ['{"level":"ERROR","latency":250}', '{"level":"INFO","latency":5}'], start=t + 5, step=30)
    return t


def filtered(logs, **kwargs):
    out = logs.filter_log_events(logGroupName="app", **kwargs)
    return [(e["logStreamName"], e["message"]) for e in out["events"]]


def test_filter_interleaves_streams_by_time(logs, web):
    out = logs.filter_log_events(logGroupName="app")
    assert [e["message"] for e in out["events"]] == [
        "GET / 200", '{"level":"ERROR","latency":250}', "POST /api 500 ERROR", "GET /missing 404",
        '{"level":"INFO","latency":5}']
    e = out["events"][0]
    assert e["logStreamName"] == "web-1" and e["timestamp"] == web
    assert re.fullmatch(r"\d{56}", e["eventId"]) and "ingestionTime" in e
    assert out["searchedLogStreams"] == []  # AWS: no longer supported, always empty
    assert "nextToken" not in out


def test_filter_by_stream_names_prefix_and_time(logs, web):
    assert [s for s, _ in filtered(logs, logStreamNames=["db"])] == ["db", "db"]
    assert {s for s, _ in filtered(logs, logStreamNamePrefix="web")} == {"web-1", "web-2"}
    assert [m for _, m in filtered(logs, startTime=web + 10, endTime=web + 20)] == [
        "POST /api 500 ERROR", "GET /missing 404"]  # both ends inclusive
    code, _ = error_of(logs.filter_log_events, logGroupName="app", logStreamNames=["db"], logStreamNamePrefix="w")
    assert code == "InvalidParameterException"


@pytest.mark.parametrize("pattern,expected", [
    ("ERROR", ['{"level":"ERROR","latency":250}', "POST /api 500 ERROR"]),
    ("GET -200", ["GET /missing 404"]),
    ("?404 ?500", ["POST /api 500 ERROR", "GET /missing 404"]),
    ('"GET /missing"', ["GET /missing 404"]),
    ('{ $.latency > 100 }', ['{"level":"ERROR","latency":250}']),
    ('{ $.level = "INF*" }', ['{"level":"INFO","latency":5}']),
    ("[method, path, status = 5*, ...]", ["POST /api 500 ERROR"]),
    ("%/[a-z]+ 404%", ["GET /missing 404"]),
])
def test_filter_patterns(logs, web, pattern, expected):
    assert [m for _, m in filtered(logs, filterPattern=pattern)] == expected


def test_bad_filter_pattern(logs, web):
    code, _ = error_of(logs.filter_log_events, logGroupName="app", filterPattern="{ $.a = ")
    assert code == "InvalidParameterException"


def test_filter_pages_with_next_token(logs):
    put(logs, "app", "s", [f"m{i}" for i in range(25)])
    first = logs.filter_log_events(logGroupName="app", limit=10)
    assert len(first["events"]) == 10 and "nextToken" in first
    pages = logs.get_paginator("filter_log_events").paginate(logGroupName="app", PaginationConfig={"PageSize": 10})
    assert [e["message"] for p in pages for e in p["events"]] == [f"m{i}" for i in range(25)]
    code, _ = error_of(logs.filter_log_events, logGroupName="app", nextToken="garbage")
    assert code == "InvalidParameterException"


def test_filter_missing_group(logs):
    code, message = error_of(logs.filter_log_events, logGroupName="nope")
    assert code == "ResourceNotFoundException" and message == "The specified log group does not exist."
