"""What PutLogEvents acknowledged survives kill -9, and tokens handed out before it keep working."""
from conftest import TWO_ACCOUNTS
from logs_helpers import now_ms


def test_events_and_tokens_survive_kill9(start_hakobu):
    server = start_hakobu(config_text=TWO_ACCOUNTS)
    logs = server.client("logs")
    logs.create_log_group(logGroupName="g")
    logs.create_log_stream(logGroupName="g", logStreamName="s")
    logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[{"timestamp": now_ms() - 10, "message": "a"}])
    token = logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True)["nextForwardToken"]
    logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[{"timestamp": now_ms(), "message": "b"}])
    server.restart()
    logs = server.client("logs")
    after = logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True, nextToken=token)
    assert [e["message"] for e in after["events"]] == ["b"]
    assert [e["message"] for e in logs.filter_log_events(logGroupName="g")["events"]] == ["a", "b"]
