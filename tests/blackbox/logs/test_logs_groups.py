"""Log groups through boto3: create, describe (prefix, pattern, identifiers, pages), delete,
retention policies, classes and ARNs, and every error of those operations."""
import pytest

from logs_helpers import DEV_ACCOUNT, error_of, make_stream, put


@pytest.fixture
def logs(client):
    return client("logs")


def test_create_and_describe_log_group(logs):
    logs.create_log_group(logGroupName="/app/web")
    groups = logs.describe_log_groups()["logGroups"]
    assert len(groups) == 1
    g = groups[0]
    assert g["logGroupName"] == "/app/web"
    assert g["arn"] == f"arn:aws:logs:us-east-1:{DEV_ACCOUNT}:log-group:/app/web:*"
    assert g["logGroupArn"] == f"arn:aws:logs:us-east-1:{DEV_ACCOUNT}:log-group:/app/web"
    assert g["storedBytes"] == 0 and g["metricFilterCount"] == 0
    assert g["logGroupClass"] == "STANDARD"
    assert "retentionInDays" not in g
    assert isinstance(g["creationTime"], int) and g["creationTime"] > 1_600_000_000_000


def test_create_existing_group_fails(logs):
    logs.create_log_group(logGroupName="dup")
    code, message = error_of(logs.create_log_group, logGroupName="dup")
    assert code == "ResourceAlreadyExistsException"
    assert "already exists" in message


def test_aws_prefix_is_reserved_but_slash_aws_is_not(logs):
    code, message = error_of(logs.create_log_group, logGroupName="aws/mine")
    assert code == "InvalidParameterException" and "reserved" in message
    logs.create_log_group(logGroupName="/aws/codebuild/demo")


def test_group_class_kms_and_tags_at_creation(logs):
    logs.create_log_group(logGroupName="cold", logGroupClass="INFREQUENT_ACCESS", kmsKeyId="alias/k",
                          tags={"team": "ci"})
    g = logs.describe_log_groups(logGroupNamePrefix="cold")["logGroups"][0]
    assert g["logGroupClass"] == "INFREQUENT_ACCESS" and g["kmsKeyId"] == "alias/k"
    assert logs.list_tags_log_group(logGroupName="cold")["tags"] == {"team": "ci"}
    only = logs.describe_log_groups(logGroupClass="INFREQUENT_ACCESS")["logGroups"]
    assert [x["logGroupName"] for x in only] == ["cold"]


def test_describe_by_prefix_pattern_and_identifiers(logs):
    for name in ["/aws/codebuild/a", "/aws/codebuild/b", "/aws/lambda/DataLogs", "GroupDataLogs", "other"]:
        logs.create_log_group(logGroupName=name)
    by_prefix = logs.describe_log_groups(logGroupNamePrefix="/aws/codebuild/")["logGroups"]
    assert [g["logGroupName"] for g in by_prefix] == ["/aws/codebuild/a", "/aws/codebuild/b"]
    by_pattern = logs.describe_log_groups(logGroupNamePattern="DataLogs")["logGroups"]
    assert [g["logGroupName"] for g in by_pattern] == ["/aws/lambda/DataLogs", "GroupDataLogs"]
    # AWS: with logGroupNamePattern only arn, creationTime and logGroupName come back.
    assert set(by_pattern[0]) == {"arn", "creationTime", "logGroupName"}
    assert logs.describe_log_groups(logGroupNamePattern="datalogs")["logGroups"] == []
    arn = f"arn:aws:logs:us-east-1:{DEV_ACCOUNT}:log-group:other"
    by_id = logs.describe_log_groups(logGroupIdentifiers=["/aws/codebuild/b", arn])["logGroups"]
    assert [g["logGroupName"] for g in by_id] == ["/aws/codebuild/b", "other"]


def test_prefix_and_pattern_are_mutually_exclusive(logs):
    code, _ = error_of(logs.describe_log_groups, logGroupNamePrefix="a", logGroupNamePattern="b")
    assert code == "InvalidParameterException"


def test_describe_pages_in_name_order(logs):
    names = [f"g-{i:02d}" for i in range(7)]
    for name in reversed(names):
        logs.create_log_group(logGroupName=name)
    first = logs.describe_log_groups(limit=3)
    assert [g["logGroupName"] for g in first["logGroups"]] == names[:3]
    assert "nextToken" in first
    pages = logs.get_paginator("describe_log_groups").paginate(PaginationConfig={"PageSize": 3})
    assert [g["logGroupName"] for page in pages for g in page["logGroups"]] == names
    code, _ = error_of(logs.describe_log_groups, nextToken="not-a-token")
    assert code == "InvalidParameterException"


def test_groups_are_per_region(client):
    client("logs", region="eu-west-1").create_log_group(logGroupName="regional")
    assert client("logs").describe_log_groups()["logGroups"] == []
    g = client("logs", region="eu-west-1").describe_log_groups()["logGroups"][0]
    assert g["arn"].startswith("arn:aws:logs:eu-west-1:")


def test_delete_log_group_removes_streams_and_events(logs):
    make_stream(logs, "gone", "s")
    put(logs, "gone", "s", ["a", "b"])
    logs.delete_log_group(logGroupName="gone")
    assert logs.describe_log_groups()["logGroups"] == []
    code, message = error_of(logs.delete_log_group, logGroupName="gone")
    assert code == "ResourceNotFoundException" and message == "The specified log group does not exist."
    logs.create_log_group(logGroupName="gone")
    assert logs.describe_log_streams(logGroupName="gone")["logStreams"] == []


def test_deletion_protection_blocks_delete(logs):
    logs.create_log_group(logGroupName="kept", deletionProtectionEnabled=True)
    assert logs.describe_log_groups()["logGroups"][0]["deletionProtectionEnabled"] is True
    code, _ = error_of(logs.delete_log_group, logGroupName="kept")
    assert code == "ValidationException"


def test_retention_policy_put_and_delete(logs):
    logs.create_log_group(logGroupName="r")
    logs.put_retention_policy(logGroupName="r", retentionInDays=30)
    assert logs.describe_log_groups()["logGroups"][0]["retentionInDays"] == 30
    logs.delete_retention_policy(logGroupName="r")
    assert "retentionInDays" not in logs.describe_log_groups()["logGroups"][0]


@pytest.mark.parametrize("days", [2, 0, 4000, -1])
def test_retention_accepts_only_aws_values(logs, days):
    logs.create_log_group(logGroupName="r")
    code, message = error_of(logs.put_retention_policy, logGroupName="r", retentionInDays=days)
    assert code == "InvalidParameterException"
    assert "retentionInDays" in message and "3653" in message


def test_retention_on_missing_group(logs):
    code, _ = error_of(logs.put_retention_policy, logGroupName="nope", retentionInDays=1)
    assert code == "ResourceNotFoundException"
    code, _ = error_of(logs.delete_retention_policy, logGroupName="nope")
    assert code == "ResourceNotFoundException"


def test_stored_bytes_count_messages(logs):
    make_stream(logs, "sized", "s")
    put(logs, "sized", "s", ["12345", "678"])
    assert logs.describe_log_groups()["logGroups"][0]["storedBytes"] == 8


def test_bad_group_name_is_invalid_parameter(client):
    raw = client("logs", parameter_validation=False)
    code, message = error_of(raw.create_log_group, logGroupName="has space")
    assert code == "InvalidParameterException"
    assert "logGroupName" in message

