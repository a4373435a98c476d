"""Bucket sub-resources: versioning, policy, tagging, notification configuration."""
import json

import pytest

from s3_helpers import DEV_ACCOUNT, code_status, error_of, policy


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="cfg")
    return s3


def test_versioning_states(s3):
    out = s3.get_bucket_versioning(Bucket="cfg")
    assert "Status" not in out and "MFADelete" not in out
    s3.put_bucket_versioning(Bucket="cfg", VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket="cfg")["Status"] == "Enabled"
    s3.put_bucket_versioning(Bucket="cfg", VersioningConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_versioning(Bucket="cfg")["Status"] == "Suspended"
    assert code_status(s3.get_bucket_versioning, Bucket="nope") == ("NoSuchBucket", 404)


def test_versioning_rejects_bad_status(s3):
    code, _, status, _ = error_of(s3.put_bucket_versioning, Bucket="cfg",
                                  VersioningConfiguration={"Status": "On"})
    assert (code, status) == ("MalformedXML", 400)


def test_cli_versioning(s3, aws):
    r = aws("s3api", "put-bucket-versioning", "--bucket", "cfg", "--versioning-configuration", "Status=Enabled",
            v2=True)
    assert r.returncode == 0, r.stderr
    r = aws("s3api", "get-bucket-versioning", "--bucket", "cfg")
    assert r.json == {"Status": "Enabled"}


def read_policy(bucket):
    return {
        "Sid": "Read",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
        "Action": ["s3:GetObject"],
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }


def test_policy_put_get_delete(s3):
    code, message, status, resp = error_of(s3.get_bucket_policy, Bucket="cfg")
    assert (code, status) == ("NoSuchBucketPolicy", 404)
    assert message == "The bucket policy does not exist"
    doc = policy(read_policy("cfg"))
    out = s3.put_bucket_policy(Bucket="cfg", Policy=doc)
    assert out["ResponseMetadata"]["HTTPStatusCode"] in (200, 204)
    got = s3.get_bucket_policy(Bucket="cfg")["Policy"]
    assert json.loads(got) == json.loads(doc)
    assert s3.delete_bucket_policy(Bucket="cfg")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert code_status(s3.get_bucket_policy, Bucket="cfg") == ("NoSuchBucketPolicy", 404)


def test_policy_replaces(s3):
    s3.put_bucket_policy(Bucket="cfg", Policy=policy(read_policy("cfg")))
    second = dict(read_policy("cfg"), Sid="Second")
    s3.put_bucket_policy(Bucket="cfg", Policy=policy(second))
    assert json.loads(s3.get_bucket_policy(Bucket="cfg")["Policy"])["Statement"][0]["Sid"] == "Second"


@pytest.mark.parametrize("doc", [
    "this is not json",
    "{}",
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Principal": "*",
                                                        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::cfg/*"}]}),
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                        "Action": "s3:GetObject",
                                                        "Resource": "arn:aws:s3:::another-bucket/*"}]}),
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                        "Action": "s3:NoSuchAction",
                                                        "Resource": "arn:aws:s3:::cfg/*"}]}),
], ids=["not-json", "empty", "bad-effect", "other-bucket-resource", "unknown-action"])
def test_malformed_policy(s3, doc):
    code, _, status, _ = error_of(s3.put_bucket_policy, Bucket="cfg", Policy=doc)
    assert (code, status) == ("MalformedPolicy", 400)
    assert code_status(s3.get_bucket_policy, Bucket="cfg") == ("NoSuchBucketPolicy", 404)


def test_policy_needs_an_existing_bucket(s3):
    assert code_status(s3.put_bucket_policy, Bucket="nope", Policy=policy(read_policy("nope"))) == \
        ("NoSuchBucket", 404)


def test_policy_with_unknown_principal_is_malformed(s3):
    doc = policy(dict(read_policy("cfg"), Principal={"AWS": f"arn:aws:iam::{DEV_ACCOUNT}:user/nobody-here"}))
    code, message, status, _ = error_of(s3.put_bucket_policy, Bucket="cfg", Policy=doc)
    assert (code, status) == ("MalformedPolicy", 400)
    assert message == "Invalid principal in policy"


def test_bucket_tagging(s3):
    code, message, status, _ = error_of(s3.get_bucket_tagging, Bucket="cfg")
    assert (code, status) == ("NoSuchTagSet", 404)
    assert message == "The TagSet does not exist"
    tags = [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "platform"}]
    out = s3.put_bucket_tagging(Bucket="cfg", Tagging={"TagSet": tags})
    assert out["ResponseMetadata"]["HTTPStatusCode"] in (200, 204)
    got = s3.get_bucket_tagging(Bucket="cfg")["TagSet"]
    assert sorted(got, key=lambda t: t["Key"]) == tags
    s3.put_bucket_tagging(Bucket="cfg", Tagging={"TagSet": [{"Key": "only", "Value": ""}]})
    assert s3.get_bucket_tagging(Bucket="cfg")["TagSet"] == [{"Key": "only", "Value": ""}]
    assert s3.delete_bucket_tagging(Bucket="cfg")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert code_status(s3.get_bucket_tagging, Bucket="cfg") == ("NoSuchTagSet", 404)


def test_bucket_tagging_rejects_duplicate_keys(s3):
    code, _, status, _ = error_of(s3.put_bucket_tagging, Bucket="cfg", Tagging={"TagSet": [
        {"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]})
    assert (code, status) == ("InvalidTag", 400)


def test_notification_configuration(s3):
    empty = s3.get_bucket_notification_configuration(Bucket="cfg")
    empty.pop("ResponseMetadata")
    assert empty == {}
    s3.put_bucket_notification_configuration(Bucket="cfg", NotificationConfiguration={
        "EventBridgeConfiguration": {}})
    got = s3.get_bucket_notification_configuration(Bucket="cfg")
    assert got["EventBridgeConfiguration"] == {}
    assert "QueueConfigurations" not in got and "TopicConfigurations" not in got
    s3.put_bucket_notification_configuration(Bucket="cfg", NotificationConfiguration={})
    got = s3.get_bucket_notification_configuration(Bucket="cfg")
    assert "EventBridgeConfiguration" not in got


def test_cli_notification_configuration(s3, aws):
    r = aws("s3api", "put-bucket-notification-configuration", "--bucket", "cfg",
            "--notification-configuration", '{"EventBridgeConfiguration": {}}')
    assert r.returncode == 0, r.stderr
    r = aws("s3api", "get-bucket-notification-configuration", "--bucket", "cfg", v2=True)
    assert r.returncode == 0, r.stderr
    assert r.json == {"EventBridgeConfiguration": {}}


def test_subresources_of_missing_bucket(s3):
    for call, kwargs in [
        (s3.get_bucket_tagging, {}),
        (s3.get_bucket_policy, {}),
        (s3.get_bucket_notification_configuration, {}),
        (s3.put_bucket_versioning, {"VersioningConfiguration": {"Status": "Enabled"}}),
    ]:
        assert code_status(call, Bucket="nope", **kwargs) == ("NoSuchBucket", 404), call


def test_policy_naming_existing_user_and_role_is_accepted(s3, client):
    iam = client("iam")
    iam.create_user(UserName="reader")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                                "Principal": {"AWS": f"arn:aws:iam::{DEV_ACCOUNT}:root"}}]})
    iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=trust)
    principals = [f"arn:aws:iam::{DEV_ACCOUNT}:user/reader", f"arn:aws:iam::{DEV_ACCOUNT}:role/deployer",
                  f"arn:aws:iam::{DEV_ACCOUNT}:root", "123456789012"]
    doc = policy(dict(read_policy("cfg"), Principal={"AWS": principals}))
    s3.put_bucket_policy(Bucket="cfg", Policy=doc)
    assert json.loads(s3.get_bucket_policy(Bucket="cfg")["Policy"]) == json.loads(doc)
