#!/usr/bin/env python3
"""Writes codec conformance fixtures: botocore itself serializes reference requests.

  python3 tools/codegen/make_fixtures.py

Each case becomes src/aws/protocol/tests/fixtures/<service>_<Operation>[_<variant>].json with
the wire request (headers, body) exactly as botocore sends it and "expected": the parameters
as our decoders should hand them to a handler (timestamps as epoch seconds).
src/aws/protocol/tests/fixture_test.cc decodes every fixture and compares.
"""

import datetime
import json
import os
import urllib.parse

import botocore.serialize
import botocore.session

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "src", "aws", "protocol", "tests", "fixtures")

TRUST_POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
})

CASES = [
    ("ssm", "PutParameter", "tags", {
        "Name": "/app/prod/db-password",
        "Description": "Database password & <friends>",
        "Value": "s3cr3t=+/ü",
        "Type": "SecureString",
        "Tier": "Standard",
        "DataType": "text",
        "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "platform"}],
    }),
    ("ssm", "GetParametersByPath", "filters", {
        "Path": "/app/prod",
        "Recursive": True,
        "WithDecryption": True,
        "MaxResults": 10,
        "ParameterFilters": [
            {"Key": "Type", "Option": "Equals", "Values": ["SecureString", "String"]},
            {"Key": "Label", "Values": ["blue"]},
        ],
    }),
    ("iam", "CreateRole", "", {
        "Path": "/service-role/",
        "RoleName": "codebuild-app-role",
        "AssumeRolePolicyDocument": TRUST_POLICY,
        "Description": "Role for CodeBuild",
        "MaxSessionDuration": 7200,
        "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "owner", "Value": "a b+c@d.e"}],
    }),
    ("iam", "ListUsers", "max_items", {"PathPrefix": "/division_abc/", "MaxItems": 5}),
    ("iam", "ListUsers", "empty", {}),
    ("iam", "UpdateAccessKey", "", {"UserName": "bob", "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Status": "Inactive"}),
    ("sts", "AssumeRole", "tags", {
        "RoleArn": "arn:aws:iam::123456789012:role/deploy",
        "RoleSessionName": "pipeline-run-1",
        "DurationSeconds": 900,
        "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                       {"arn": "arn:aws:iam::123456789012:policy/extra"}],
        "Tags": [{"Key": "project", "Value": "hakobu"}, {"Key": "stage", "Value": "deploy"}],
        "TransitiveTagKeys": ["project"],
    }),
    ("sts", "AssumeRole", "empty_list", {
        "RoleArn": "arn:aws:iam::123456789012:role/deploy",
        "RoleSessionName": "s1",
        "TransitiveTagKeys": [],
    }),
    ("sts", "GetCallerIdentity", "", {}),
]


def to_expected(value):
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: to_expected(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_expected(v) for v in value]
    return value


def serialize(session, service, operation, params):
    model = session.get_service_model(service)
    op = model.operation_model(operation)
    serializer = botocore.serialize.create_serializer(model.metadata["protocol"], include_validation=True)
    request = serializer.serialize_to_request(params, op)
    body = request["body"]
    if isinstance(body, dict):  # query: botocore form-encodes the dict when sending
        body = urllib.parse.urlencode(body, doseq=True)
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    headers = {k: v for k, v in sorted(request["headers"].items())}
    if model.metadata["protocol"] == "query":
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
    return {
        "service": service,
        "operation": operation,
        "protocol": model.metadata["protocol"],
        "method": request["method"],
        "path": request["url_path"],
        "headers": headers,
        "body": body,
        "expected": to_expected(params),
    }


def main():
    session = botocore.session.get_session()
    os.makedirs(OUT_DIR, exist_ok=True)
    for service, operation, variant, params in CASES:
        fixture = serialize(session, service, operation, params)
        name = "%s_%s%s.json" % (service, operation, "_" + variant if variant else "")
        with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8", newline="\n") as f:
            json.dump(fixture, f, indent=2, sort_keys=True, ensure_ascii=False)
            f.write("\n")
        print("wrote", os.path.relpath(os.path.join(OUT_DIR, name), ROOT))


if __name__ == "__main__":
    main()
