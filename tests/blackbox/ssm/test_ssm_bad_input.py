"""Malformed requests, sent with client-side validation off so the server must reject them
as AWS does: ValidationException for constraints, SerializationException for wrong JSON types."""
import json
import urllib.request

import pytest
from botocore.exceptions import ClientError, ParamValidationError


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture
def raw(client):
    return client("ssm", parameter_validation=False)


@pytest.mark.parametrize("op,kwargs", [
    ("put_parameter", {"Name": "/x"}),
    ("put_parameter", {"Value": "v"}),
    ("get_parameter", {}),
    ("get_parameters", {}),
    ("get_parameters_by_path", {}),
    ("get_parameter_history", {}),
    ("label_parameter_version", {"Name": "/x"}),
    ("unlabel_parameter_version", {"Name": "/x", "Labels": ["a"]}),
    ("delete_parameter", {}),
    ("delete_parameters", {}),
    ("add_tags_to_resource", {"ResourceType": "Parameter", "ResourceId": "/x"}),
    ("list_tags_for_resource", {"ResourceType": "Parameter"}),
    ("remove_tags_from_resource", {"ResourceType": "Parameter", "ResourceId": "/x"}),
])
def test_missing_required_member(raw, op, kwargs):
    with pytest.raises(ClientError) as e:
        getattr(raw, op)(**kwargs)
    assert code(e) == "ValidationException"


def test_client_side_validation_also_catches_missing_members(client):
    with pytest.raises(ParamValidationError):
        client("ssm").get_parameter()


@pytest.mark.parametrize("op,kwargs", [
    ("put_parameter", {"Name": "/x", "Value": "v", "Type": "String", "Overwrite": "yes"}),
    ("get_parameter", {"Name": 123}),
    ("get_parameters", {"Names": [123]}),
    ("get_parameters_by_path", {"Path": "/x", "MaxResults": "ten"}),
    ("label_parameter_version", {"Name": "/x", "Labels": [1]}),
])
def test_wrong_member_type(raw, op, kwargs):
    with pytest.raises(ClientError) as e:
        getattr(raw, op)(**kwargs)
    assert code(e) in ("SerializationException", "ValidationException")


@pytest.mark.parametrize("op,kwargs", [
    ("put_parameter", {"Name": "/x", "Value": "v", "Type": "Number"}),
    ("put_parameter", {"Name": "/x", "Value": "v", "Type": "String", "Tier": "Gold"}),
    ("get_parameter", {"Name": ""}),
    ("get_parameter", {"Name": "/" + "a" * 2048}),
    ("get_parameters", {"Names": []}),
    ("get_parameters_by_path", {"Path": "/x", "MaxResults": 11}),
    ("get_parameter_history", {"Name": "/x", "MaxResults": 51}),
    ("describe_parameters", {"MaxResults": 0}),
    ("put_parameter", {"Name": "/x", "Value": "v", "Type": "String", "Description": "d" * 1025}),
    ("put_parameter", {"Name": "/x", "Value": "v", "Type": "SecureString", "KeyId": "bad key!"}),
])
def test_constraint_violations(raw, op, kwargs):
    with pytest.raises(ClientError) as e:
        getattr(raw, op)(**kwargs)
    assert code(e) == "ValidationException"


def test_empty_value_is_rejected(raw):
    with pytest.raises(ClientError) as e:
        raw.put_parameter(Name="/empty", Value="", Type="String")
    assert code(e) == "ValidationException"


def test_name_too_long_for_put(raw):
    with pytest.raises(ClientError) as e:
        raw.put_parameter(Name="/" + "a" * 1500, Value="v", Type="String")
    assert code(e) == "ValidationException"


def test_unknown_members_are_ignored(hakobu):
    # botocore refuses unknown members even with validation off, so send the JSON by hand,
    # signed by botocore's own signer.
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials

    def call(target, body):
        request = botocore.awsrequest.AWSRequest(
            method="POST", url=hakobu.url + "/", data=json.dumps(body),
            headers={"X-Amz-Target": f"AmazonSSM.{target}", "Content-Type": "application/x-amz-json-1.1"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials("test", "test"), "ssm", "us-east-1").add_auth(request)
        prepared = request.prepare()
        body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        req = urllib.request.Request(prepared.url, data=body, headers=dict(prepared.headers), method="POST")
        with urllib.request.urlopen(req, timeout=5) as response:
            return json.loads(response.read())

    out = call("PutParameter", {"Name": "/unknown", "Value": "v", "Type": "String", "Bogus": 1})
    assert out["Version"] == 1
    assert call("GetParameter", {"Name": "/unknown", "Whatever": True})["Parameter"]["Value"] == "v"
