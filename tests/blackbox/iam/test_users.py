"""IAM users, access keys and user tags through boto3 and the aws CLI."""
import botocore.config
import pytest

from helpers import DEV_ACCOUNT, creds_of, error_of


def test_create_get_list_delete_user(client):
    iam = client("iam")
    user = iam.create_user(UserName="alice", Path="/team/")["User"]
    assert user["Arn"] == f"arn:aws:iam::{DEV_ACCOUNT}:user/team/alice"
    assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21
    assert user["Path"] == "/team/"
    got = iam.get_user(UserName="alice")["User"]
    assert got["UserId"] == user["UserId"] and got["CreateDate"] == user["CreateDate"]
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["alice"]
    assert iam.list_users(PathPrefix="/other/")["Users"] == []
    iam.delete_user(UserName="alice")
    assert iam.list_users()["Users"] == []


def test_create_user_twice_is_entity_already_exists(client):
    iam = client("iam")
    iam.create_user(UserName="alice")
    code, message, status = error_of(iam.create_user, UserName="ALICE")
    assert (code, status) == ("EntityAlreadyExists", 409)
    assert message == "User with name ALICE already exists."


def test_missing_user_is_no_such_entity(client):
    iam = client("iam")
    code, message, status = error_of(iam.get_user, UserName="ghost")
    assert (code, status) == ("NoSuchEntity", 404)
    assert message == "The user with name ghost cannot be found."
    assert error_of(iam.delete_user, UserName="ghost")[0] == "NoSuchEntity"


def test_user_name_too_long_or_malformed_is_validation_error(client):
    iam = client("iam", parameter_validation=False)
    code, message, status = error_of(iam.create_user, UserName="a" * 65)
    assert (code, status) == ("ValidationError", 400)
    assert "length less than or equal to 64" in message
    assert error_of(iam.create_user, UserName="bad name!")[0] == "ValidationError"
    assert error_of(iam.create_user, UserName="alice", Path="no-slashes")[0] == "ValidationError"


def test_missing_required_member_is_validation_error(client):
    iam = client("iam", parameter_validation=False)
    code, _, status = error_of(iam.create_user)
    assert (code, status) == ("ValidationError", 400)
    assert error_of(iam.create_role, RoleName="r")[0] == "ValidationError"


def test_get_user_without_name_returns_the_caller(client):
    iam = client("iam")
    root = iam.get_user()["User"]
    assert root["Arn"] == f"arn:aws:iam::{DEV_ACCOUNT}:root"
    assert root["UserId"] == DEV_ACCOUNT
    iam.create_user(UserName="bob")
    iam.put_user_policy(UserName="bob", PolicyName="self", PolicyDocument='{"Version":"2012-10-17","Statement":'
                        '[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}]}')
    bob = client("iam", account=creds_of(iam.create_access_key(UserName="bob")["AccessKey"]))
    assert bob.get_user()["User"]["UserName"] == "bob"


def test_update_user_renames_and_moves(client):
    iam = client("iam")
    iam.create_user(UserName="alice")
    iam.create_user(UserName="carol")
    iam.update_user(UserName="alice", NewUserName="alicia", NewPath="/x/")
    assert iam.get_user(UserName="alicia")["User"]["Arn"].endswith(":user/x/alicia")
    assert error_of(iam.get_user, UserName="alice")[0] == "NoSuchEntity"
    assert error_of(iam.update_user, UserName="alicia", NewUserName="carol")[0] == "EntityAlreadyExists"


def test_delete_user_with_keys_or_policies_is_delete_conflict(client):
    iam = client("iam")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    code, message, status = error_of(iam.delete_user, UserName="alice")
    assert (code, status) == ("DeleteConflict", 409)
    assert message == "Cannot delete entity, must delete access keys first."
    iam.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
    iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert error_of(iam.delete_user, UserName="alice")[1] == "Cannot delete entity, must detach all policies first."
    iam.detach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.delete_user(UserName="alice")


def test_access_keys_lifecycle(client):
    iam = client("iam")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["AccessKeyId"]) == 20
    assert len(key["SecretAccessKey"]) == 40 and key["Status"] == "Active"
    listed = iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["Status"]) for k in listed] == [(key["AccessKeyId"], "Active")]
    iam.update_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"][0]["Status"] == "Inactive"
    last = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
    assert last["UserName"] == "alice" and last["AccessKeyLastUsed"]["ServiceName"] == "N/A"
    iam.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"] == []
    code, message, _ = error_of(iam.delete_access_key, UserName="alice", AccessKeyId=key["AccessKeyId"])
    assert code == "NoSuchEntity" and key["AccessKeyId"] in message


def test_third_access_key_is_limit_exceeded(client):
    iam = client("iam")
    iam.create_user(UserName="alice")
    iam.create_access_key(UserName="alice")
    iam.create_access_key(UserName="alice")
    code, message, status = error_of(iam.create_access_key, UserName="alice")
    assert (code, status) == ("LimitExceeded", 409)
    assert message == "Cannot exceed quota for AccessKeysPerUser: 2"


def test_inactive_key_is_rejected(client):
    iam = client("iam")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    sts = client("sts", account=creds_of(key))
    assert sts.get_caller_identity()["Arn"].endswith(":user/alice")
    iam.update_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    assert error_of(sts.get_caller_identity)[0] == "InvalidClientTokenId"


def test_user_tags(client):
    iam = client("iam")
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "a"}])
    iam.tag_user(UserName="alice", Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "b"}])
    tags = iam.list_user_tags(UserName="alice")["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"team": "b", "env": "dev"}
    assert {t["Key"] for t in iam.get_user(UserName="alice")["User"]["Tags"]} == {"team", "env"}
    iam.untag_user(UserName="alice", TagKeys=["team"])
    assert iam.list_user_tags(UserName="alice")["Tags"] == [{"Key": "env", "Value": "dev"}]
    assert error_of(iam.tag_user, UserName="ghost", Tags=[{"Key": "a", "Value": "b"}])[0] == "NoSuchEntity"


def test_list_users_paginates(client):
    iam = client("iam")
    for i in range(5):
        iam.create_user(UserName=f"user{i}")
    first = iam.list_users(MaxItems=2)
    assert first["IsTruncated"] and len(first["Users"]) == 2
    second = iam.list_users(MaxItems=2, Marker=first["Marker"])
    assert [u["UserName"] for u in second["Users"]] == ["user2", "user3"]
    names = [u["UserName"] for page in iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2})
             for u in page["Users"]]
    assert names == [f"user{i}" for i in range(5)]


def test_cli_user_commands(aws):
    created = aws("iam", "create-user", "--user-name", "cli-user", check=True).json
    assert created["User"]["UserName"] == "cli-user"
    listed = aws("iam", "list-users", check=True).json
    assert [u["UserName"] for u in listed["Users"]] == ["cli-user"]
    missing = aws("iam", "get-user", "--user-name", "nobody")
    assert missing.returncode != 0 and "NoSuchEntity" in missing.stderr
