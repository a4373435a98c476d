"""Who may call CloudWatch Logs: IAM identity policies against the ARNs AWS documents — a log
group's ARN with ":*" for group actions (which also covers its streams), the form without
":*" for the tagging APIs — as CodeBuild's service-role policy writes them."""
import json

from logs_helpers import DEV_ACCOUNT, error_of, now_ms

GROUP_ARN = f"arn:aws:logs:us-east-1:{DEV_ACCOUNT}:log-group:/aws/codebuild/demo"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def new_user(client, name, *documents):
    iam = client("iam")
    iam.create_user(UserName=name)
    for i, document in enumerate(documents):
        iam.put_user_policy(UserName=name, PolicyName=f"p{i}", PolicyDocument=document)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def test_codebuild_style_policy_allows_its_group_only(client):
    creds = new_user(client, "builder", policy({
        "Effect": "Allow",
        "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:GetLogEvents"],
        "Resource": [GROUP_ARN, GROUP_ARN + ":*"],
    }))
    logs = client("logs", account=creds)
    logs.create_log_group(logGroupName="/aws/codebuild/demo")
    logs.create_log_stream(logGroupName="/aws/codebuild/demo", logStreamName="b1")
    logs.put_log_events(logGroupName="/aws/codebuild/demo", logStreamName="b1",
                        logEvents=[{"timestamp": now_ms(), "message": "ok"}])
    got = logs.get_log_events(logGroupName="/aws/codebuild/demo", logStreamName="b1")
    assert [e["message"] for e in got["events"]] == ["ok"]
    code, _ = error_of(logs.create_log_group, logGroupName="/aws/codebuild/other")
    assert code == "AccessDeniedException"
    code, _ = error_of(logs.describe_log_groups)  # needs log-group:*
    assert code == "AccessDeniedException"


def test_group_actions_need_the_star_form(client):
    client("logs").create_log_group(logGroupName="/aws/codebuild/demo")
    creds = new_user(client, "narrow", policy(
        {"Effect": "Allow", "Action": ["logs:PutRetentionPolicy", "logs:ListTagsForResource"], "Resource": GROUP_ARN}))
    logs = client("logs", account=creds)
    # AWS: policies must name "log-group:<name>:*" for most actions, the bare form only for
    # the tagging APIs.
    code, _ = error_of(logs.put_retention_policy, logGroupName="/aws/codebuild/demo", retentionInDays=1)
    assert code == "AccessDeniedException"
    assert logs.list_tags_for_resource(resourceArn=GROUP_ARN)["tags"] == {}


def test_explicit_deny_on_streams(client):
    admin = client("logs")
    admin.create_log_group(logGroupName="/aws/codebuild/demo")
    admin.create_log_stream(logGroupName="/aws/codebuild/demo", logStreamName="secret")
    creds = new_user(client, "reader", policy(
        {"Effect": "Allow", "Action": "logs:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "logs:GetLogEvents", "Resource": GROUP_ARN + ":log-stream:secret"}))
    logs = client("logs", account=creds)
    code, _ = error_of(logs.get_log_events, logGroupName="/aws/codebuild/demo", logStreamName="secret")
    assert code == "AccessDeniedException"
    assert logs.filter_log_events(logGroupName="/aws/codebuild/demo")["events"] == []
