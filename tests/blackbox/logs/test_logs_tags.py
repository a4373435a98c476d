"""Tags on log groups: TagResource / UntagResource / ListTagsForResource by ARN and the older
TagLogGroup / UntagLogGroup / ListTagsLogGroup by name."""
import pytest

from logs_helpers import DEV_ACCOUNT, error_of

ARN = f"arn:aws:logs:us-east-1:{DEV_ACCOUNT}:log-group:tagged"


@pytest.fixture
def logs(client):
    c = client("logs")
    c.create_log_group(logGroupName="tagged")
    return c


def test_tag_resource_by_arn(logs):
    logs.tag_resource(resourceArn=ARN, tags={"team": "ci", "env": "dev"})
    logs.tag_resource(resourceArn=ARN, tags={"env": "prod"})
    assert logs.list_tags_for_resource(resourceArn=ARN)["tags"] == {"team": "ci", "env": "prod"}
    logs.untag_resource(resourceArn=ARN, tagKeys=["team", "absent"])
    assert logs.list_tags_for_resource(resourceArn=ARN)["tags"] == {"env": "prod"}
    # The same tags through the older by-name operations.
    assert logs.list_tags_log_group(logGroupName="tagged")["tags"] == {"env": "prod"}


def test_arn_from_describe_works_for_tagging(logs):
    arn = logs.describe_log_groups()["logGroups"][0]["logGroupArn"]
    logs.tag_resource(resourceArn=arn, tags={"k": "v"})
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == {"k": "v"}


def test_untagged_group_lists_no_tags(logs):
    assert logs.list_tags_for_resource(resourceArn=ARN)["tags"] == {}
    assert logs.list_tags_log_group(logGroupName="tagged")["tags"] == {}


def test_tag_log_group_by_name(logs):
    logs.tag_log_group(logGroupName="tagged", tags={"a": "1", "b": "2"})
    logs.untag_log_group(logGroupName="tagged", tags=["a"])
    assert logs.list_tags_log_group(logGroupName="tagged")["tags"] == {"b": "2"}


def test_tagging_a_missing_group(logs):
    missing = ARN + "-missing"
    for call, kwargs in [(logs.tag_resource, {"resourceArn": missing, "tags": {"k": "v"}}),
                         (logs.untag_resource, {"resourceArn": missing, "tagKeys": ["k"]}),
                         (logs.list_tags_for_resource, {"resourceArn": missing}),
                         (logs.tag_log_group, {"logGroupName": "missing", "tags": {"k": "v"}}),
                         (logs.untag_log_group, {"logGroupName": "missing", "tags": ["k"]}),
                         (logs.list_tags_log_group, {"logGroupName": "missing"})]:
        code, _ = error_of(call, **kwargs)
        assert code == "ResourceNotFoundException", call


def test_not_a_log_group_arn(logs):
    code, _ = error_of(logs.tag_resource, resourceArn="arn:aws:s3:::bucket", tags={"k": "v"})
    assert code == "InvalidParameterException"


def test_reserved_tag_keys(logs):
    code, _ = error_of(logs.tag_resource, resourceArn=ARN, tags={"aws:owner": "me"})
    assert code == "InvalidParameterException"


def test_fifty_tags_at_most(logs):
    logs.tag_resource(resourceArn=ARN, tags={f"k{i}": "v" for i in range(50)})
    code, _ = error_of(logs.tag_resource, resourceArn=ARN, tags={"one-more": "v"})
    assert code == "TooManyTagsException"
    # TagLogGroup's model has no TooManyTagsException.
    code, _ = error_of(logs.tag_log_group, logGroupName="tagged", tags={"one-more": "v"})
    assert code == "InvalidParameterException"
    assert len(logs.list_tags_for_resource(resourceArn=ARN)["tags"]) == 50
