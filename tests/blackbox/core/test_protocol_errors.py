"""Requests hakobu cannot serve answer the protocol's own errors, never a crash or a hang."""
import json

import botocore.exceptions
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def signed(url, service, headers, body, key="test", secret="test", region="us-east-1"):
    req = AWSRequest(method="POST", url=url + "/", data=body, headers=headers)
    SigV4Auth(Credentials(key, secret), service, region).add_auth(req)
    return requests.post(url + "/", data=body, headers=dict(req.headers), timeout=10)


def json_call(hakobu, target, body="{}"):
    return signed(hakobu.url, "ssm", {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}, body)


def test_unimplemented_operation_names_itself(client):
    ssm = client("ssm")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ssm.list_documents()
    err = e.value.response["Error"]
    assert err["Code"] == "NotImplemented"
    assert "SSM.ListDocuments" in err["Message"]
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501


def test_unimplemented_query_operation_names_itself(client):
    iam = client("iam")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.list_groups()
    assert e.value.response["Error"]["Code"] == "NotImplemented"
    assert "ListGroups" in e.value.response["Error"]["Message"]


def test_unknown_json_operation(hakobu):
    r = json_call(hakobu, "AmazonSSM.NoSuchThing")
    assert r.status_code == 400
    assert r.json()["__type"] == "UnknownOperationException"


def test_unknown_json_service_target(hakobu):
    r = json_call(hakobu, "NoSuchService_2020.Foo")
    assert r.status_code == 400
    assert r.json()["__type"] == "UnknownOperationException"


def test_unknown_query_action(hakobu):
    r = signed(hakobu.url, "iam", {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
               "Action=NoSuchAction&Version=2010-05-08")
    assert r.status_code == 400
    assert "<Code>InvalidAction</Code>" in r.text


def test_malformed_json_body_is_a_serialization_error(hakobu):
    r = json_call(hakobu, "AmazonSSM.GetParameter", "{not json")
    assert r.status_code == 400
    assert r.json()["__type"] == "SerializationException"


def test_response_carries_request_id(client):
    resp = client("ssm").describe_parameters()
    assert resp["ResponseMetadata"]["RequestId"]
