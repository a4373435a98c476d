"""Shared bits of the IAM/STS black-box tests."""
import json

import botocore.exceptions
import pytest

DEV_ACCOUNT = "000000000000"
PROD_ACCOUNT = "111111111111"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", **extra):
    return dict({"Effect": "Allow", "Action": action, "Resource": resource}, **extra)


def deny(action, resource="*", **extra):
    return dict({"Effect": "Deny", "Action": action, "Resource": resource}, **extra)


def trust(principal):
    return doc({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"})


def error_of(call, *args, **kwargs):
    """Runs a boto3 call that must fail; returns (code, message, http status)."""
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(*args, **kwargs)
    err = info.value.response["Error"]
    return err["Code"], err.get("Message", ""), info.value.response["ResponseMetadata"]["HTTPStatusCode"]


def creds_of(access_key):
    return {"aws_access_key_id": access_key["AccessKeyId"], "aws_secret_access_key": access_key["SecretAccessKey"]}


def session_creds(credentials):
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def new_user(iam, name, *policies):
    """Creates a user with inline policies (documents) and returns its credentials."""
    iam.create_user(UserName=name)
    for i, policy in enumerate(policies):
        iam.put_user_policy(UserName=name, PolicyName=f"p{i}", PolicyDocument=policy)
    return creds_of(iam.create_access_key(UserName=name)["AccessKey"])
