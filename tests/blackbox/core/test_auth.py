"""SigV4 on every request: failures answer the code and status AWS gives, per protocol."""
import datetime
from unittest import mock

import botocore.exceptions
import pytest
import requests
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import DEV_ACCOUNT

BAD_SECRET = {"aws_access_key_id": "test", "aws_secret_access_key": "wrong"}
UNKNOWN_KEY = {"aws_access_key_id": "AKIANOSUCHKEY0000000", "aws_secret_access_key": "whatever"}


def error_of(call):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"], \
        e.value.response["Error"].get("Message", "")


def test_wrong_secret_json_service(client):
    assert error_of(lambda: client("ssm", BAD_SECRET).describe_parameters())[:2] == ("InvalidSignatureException", 400)


def test_wrong_secret_query_service(client):
    assert error_of(lambda: client("sts", BAD_SECRET).get_caller_identity())[:2] == ("SignatureDoesNotMatch", 403)


def test_unknown_key_json_service(client):
    code, status, msg = error_of(lambda: client("ssm", UNKNOWN_KEY).describe_parameters())
    assert (code, status) == ("UnrecognizedClientException", 400)
    assert msg == "The security token included in the request is invalid."


def test_unknown_key_query_service(client):
    assert error_of(lambda: client("iam", UNKNOWN_KEY).list_users())[:2] == ("InvalidClientTokenId", 403)


def test_cli_prints_what_aws_prints_for_a_wrong_secret(aws):
    r = aws("sts", "get-caller-identity", creds=BAD_SECRET)
    assert r.returncode != 0
    assert "SignatureDoesNotMatch" in r.stderr


def signed_at(url, service, when, target=None, body=""):
    headers = {"Content-Type": "application/x-amz-json-1.1" if target else
               "application/x-www-form-urlencoded; charset=utf-8"}
    if target:
        headers["X-Amz-Target"] = target
    req = AWSRequest(method="POST", url=url + "/", data=body, headers=headers)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        SigV4Auth(Credentials("test", "test"), service, "us-east-1").add_auth(req)
    return requests.post(url + "/", data=body, headers=dict(req.headers), timeout=10)


def test_skewed_clock_json_service(hakobu):
    old = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=20)
    r = signed_at(hakobu.url, "ssm", old, target="AmazonSSM.DescribeParameters", body="{}")
    assert r.status_code == 400
    assert r.json()["__type"] == "InvalidSignatureException"
    assert "Signature expired" in r.json()["message"]


def test_skewed_clock_query_service(hakobu):
    future = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(minutes=20)
    r = signed_at(hakobu.url, "sts", future, body="Action=GetCallerIdentity&Version=2011-06-15")
    assert r.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in r.text


def test_small_skew_is_accepted(hakobu):
    near = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=5)
    r = signed_at(hakobu.url, "sts", near, body="Action=GetCallerIdentity&Version=2011-06-15")
    assert r.status_code == 200, r.text


def test_missing_authentication(hakobu):
    r = requests.post(hakobu.url + "/", data="{}", timeout=10,
                      headers={"X-Amz-Target": "AmazonSSM.DescribeParameters",
                               "Content-Type": "application/x-amz-json-1.1"})
    assert r.status_code == 403
    assert r.json()["__type"] == "MissingAuthenticationTokenException"


def test_presigned_query_string_authentication(hakobu):
    url = hakobu.url + "/?Action=GetCallerIdentity&Version=2011-06-15"
    req = AWSRequest(method="GET", url=url)
    SigV4QueryAuth(Credentials("test", "test"), "sts", "us-east-1", expires=60).add_auth(req)
    r = requests.get(req.url, timeout=10)
    assert r.status_code == 200, r.text
    assert f"<Account>{DEV_ACCOUNT}</Account>" in r.text


def test_presigned_url_with_wrong_signature(hakobu):
    url = hakobu.url + "/?Action=GetCallerIdentity&Version=2011-06-15"
    req = AWSRequest(method="GET", url=url)
    SigV4QueryAuth(Credentials("test", "wrong"), "sts", "us-east-1", expires=60).add_auth(req)
    r = requests.get(req.url, timeout=10)
    assert r.status_code == 403
    assert "SignatureDoesNotMatch" in r.text


def test_second_cli_v2_client_works(aws):
    r = aws("sts", "get-caller-identity", v2=True)
    assert r.returncode == 0, r.stderr
    assert r.json["Account"] == DEV_ACCOUNT
