"""Retention with the engines' clock (--clock-control): events older than a group's retention
are deleted by the sweep, and PutLogEvents measures ages against the same clock."""
from conftest import TWO_ACCOUNTS
from logs_helpers import advance_clock, now_ms

DAY = 86400


def test_retention_deletes_events_when_the_clock_moves(start_hakobu):
    server = start_hakobu(config_text=TWO_ACCOUNTS, extra_args=["--clock-control"])
    logs = server.client("logs")
    for group in ["short", "forever"]:
        logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName="s")
        logs.put_log_events(logGroupName=group, logStreamName="s",
                            logEvents=[{"timestamp": now_ms() - 1000, "message": "0123456789"}])
    logs.put_retention_policy(logGroupName="short", retentionInDays=3)
    advance_clock(server, 2 * DAY)
    assert len(logs.get_log_events(logGroupName="short", logStreamName="s")["events"]) == 1
    # Written "now" on the engines' clock, two days after the first.
    logs.put_log_events(logGroupName="short", logStreamName="s",
                        logEvents=[{"timestamp": now_ms() + 2 * DAY * 1000, "message": "later"}])
    advance_clock(server, 2 * DAY)  # the first event is four days old
    left = logs.get_log_events(logGroupName="short", logStreamName="s", startFromHead=True)["events"]
    assert [e["message"] for e in left] == ["later"]
    sizes = {g["logGroupName"]: g["storedBytes"] for g in logs.describe_log_groups()["logGroups"]}
    assert sizes == {"forever": 10, "short": 5}
    forever = logs.get_log_events(logGroupName="forever", logStreamName="s")["events"]
    assert len(forever) == 1


def test_ages_are_measured_on_the_engines_clock(start_hakobu):
    server = start_hakobu(config_text=TWO_ACCOUNTS, extra_args=["--clock-control"])
    logs = server.client("logs")
    logs.create_log_group(logGroupName="g")
    logs.create_log_stream(logGroupName="g", logStreamName="s")
    advance_clock(server, 15 * DAY)
    out = logs.put_log_events(logGroupName="g", logStreamName="s",
                              logEvents=[{"timestamp": now_ms(), "message": "real now is 15 days ago"}])
    assert out["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 1}


def test_shorter_retention_applies_at_once(start_hakobu):
    server = start_hakobu(config_text=TWO_ACCOUNTS, extra_args=["--clock-control"])
    logs = server.client("logs")
    logs.create_log_group(logGroupName="g")
    logs.create_log_stream(logGroupName="g", logStreamName="s")
    for stamp, message in [(now_ms() - 2 * DAY * 1000, "old"), (now_ms(), "new")]:  # a batch spans 24 h at most
        logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[{"timestamp": stamp, "message": message}])
    logs.put_retention_policy(logGroupName="g", retentionInDays=1)
    left = logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True)["events"]
    assert [e["message"] for e in left] == ["new"]
