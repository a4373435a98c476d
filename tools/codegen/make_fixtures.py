#!/usr/bin/env python3
"""Writes codec conformance fixtures: botocore itself serializes reference requests.

  python3 tools/codegen/make_fixtures.py

Each case becomes src/aws/protocol/tests/fixtures/<service>_<Operation>[_<variant>].json with
the wire request (headers, body) exactly as botocore sends it and "expected": the parameters
as our decoders should hand them to a handler (timestamps as epoch seconds). rest-xml (S3)
fixtures also carry the percent-encoded "path" without its query, and "query": the requestUri's
literal parts followed by the serialized query parameters, as [name, value] pairs; a streaming
payload (PutObject's Body) is in "body" but not in "expected" (handlers read it as a stream).
src/aws/protocol/tests/fixture_test.cc routes (rest-xml) and decodes every fixture and compares.
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


UTC = datetime.timezone.utc
WHEN = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
BUCKET_POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::site/*"}],
})

S3_CASES = [
    ("s3", "PutObject", "headers", {
        "Bucket": "artifacts",
        "Key": "dir/a b+c~\u00fc.txt",
        "Body": b"hello world",
        "ContentLength": 11,
        "ContentType": "text/plain",
        "CacheControl": "max-age=60",
        "ContentMD5": "XrY7u+Ae7tCTyyK7j1rNww==",
        "Expires": WHEN,
        "Metadata": {"codebuild-buildarn": "arn:aws:codebuild:us-east-1:123456789012:build/p:1", "color": "blue"},
        "StorageClass": "STANDARD_IA",
        "Tagging": "env=prod&team=a%20b",
        "BucketKeyEnabled": True,
        "ObjectLockRetainUntilDate": WHEN,
        "ChecksumAlgorithm": "CRC32",
        "ChecksumCRC32": "DUoRhQ==",
    }),
    ("s3", "CreateBucket", "location", {
        "Bucket": "eu-bucket",
        "ACL": "private",
        "ObjectLockEnabledForBucket": True,
        "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"},
    }),
    ("s3", "CreateBucket", "no_body", {"Bucket": "plain-bucket"}),
    ("s3", "DeleteObjects", "quiet", {
        "Bucket": "artifacts",
        "Delete": {
            "Objects": [{"Key": "a"}, {"Key": "b/c & d", "VersionId": "v1"},
                        {"Key": "e", "ETag": "\"0123\"", "LastModifiedTime": WHEN, "Size": 3}],
            "Quiet": True,
        },
    }),
    ("s3", "CompleteMultipartUpload", "", {
        "Bucket": "artifacts",
        "Key": "big.bin",
        "UploadId": "upload-1",
        "MultipartUpload": {"Parts": [{"ETag": "\"e1\"", "PartNumber": 1},
                                      {"ETag": "\"e2\"", "PartNumber": 2, "ChecksumCRC32": "AAAAAA=="}]},
    }),
    ("s3", "PutBucketTagging", "", {
        "Bucket": "artifacts",
        "Tagging": {"TagSet": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "a&b <c>"}]},
    }),
    ("s3", "PutBucketVersioning", "", {
        "Bucket": "artifacts",
        "VersioningConfiguration": {"Status": "Enabled", "MFADelete": "Disabled"},
    }),
    ("s3", "PutBucketNotificationConfiguration", "", {
        "Bucket": "artifacts",
        "NotificationConfiguration": {
            "EventBridgeConfiguration": {},
            "TopicConfigurations": [{
                "Id": "t1",
                "TopicArn": "arn:aws:sns:us-east-1:123456789012:t",
                "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"}]}},
            }],
        },
    }),
    ("s3", "PutBucketPolicy", "", {"Bucket": "site", "Policy": BUCKET_POLICY}),
    ("s3", "ListObjectsV2", "", {
        "Bucket": "artifacts",
        "Prefix": "dir/",
        "Delimiter": "/",
        "MaxKeys": 100,
        "ContinuationToken": "token+/=",
        "StartAfter": "dir/a",
        "FetchOwner": True,
        "EncodingType": "url",
        "OptionalObjectAttributes": ["RestoreStatus"],
    }),
    ("s3", "ListObjects", "", {"Bucket": "artifacts", "Marker": "m", "MaxKeys": 2}),
    ("s3", "ListObjectVersions", "", {"Bucket": "artifacts", "KeyMarker": "k", "VersionIdMarker": "v"}),
    ("s3", "ListBuckets", "", {"MaxBuckets": 10, "Prefix": "art"}),
    ("s3", "GetObject", "conditional", {
        "Bucket": "artifacts",
        "Key": "dir/x.zip",
        "Range": "bytes=0-9",
        "IfModifiedSince": WHEN,
        "IfNoneMatch": "\"abc\"",
        "VersionId": "v1",
        "ResponseContentType": "application/zip",
        "ResponseExpires": WHEN,
        "ChecksumMode": "ENABLED",
        "PartNumber": 2,
    }),
    ("s3", "HeadObject", "", {"Bucket": "artifacts", "Key": "k", "IfMatch": "\"abc\""}),
    ("s3", "HeadBucket", "", {"Bucket": "artifacts", "ExpectedBucketOwner": "123456789012"}),
    ("s3", "GetBucketLocation", "", {"Bucket": "artifacts"}),
    ("s3", "CopyObject", "", {
        "Bucket": "dst",
        "Key": "copy.txt",
        "CopySource": "src/dir/a%20b.txt?versionId=v1",
        "MetadataDirective": "REPLACE",
        "Metadata": {"k": "v"},
        "CopySourceIfUnmodifiedSince": WHEN,
    }),
    ("s3", "CreateMultipartUpload", "", {
        "Bucket": "artifacts", "Key": "big.bin", "ContentType": "application/octet-stream",
        "Metadata": {"m": "1"},
    }),
    ("s3", "UploadPart", "", {
        "Bucket": "artifacts", "Key": "big.bin", "PartNumber": 3, "UploadId": "upload-1", "Body": b"part",
        "ContentLength": 4,
    }),
    ("s3", "UploadPartCopy", "", {
        "Bucket": "artifacts", "Key": "big.bin", "PartNumber": 1, "UploadId": "upload-1",
        "CopySource": "src/obj", "CopySourceRange": "bytes=0-9",
    }),
    ("s3", "ListParts", "", {"Bucket": "artifacts", "Key": "big.bin", "UploadId": "upload-1", "MaxParts": 5}),
    ("s3", "AbortMultipartUpload", "", {"Bucket": "artifacts", "Key": "big.bin", "UploadId": "upload-1"}),
    ("s3", "DeleteObject", "", {"Bucket": "artifacts", "Key": "k", "VersionId": "v1", "MFA": "123 456"}),
    ("s3", "PutObjectTagging", "", {
        "Bucket": "artifacts", "Key": "k", "Tagging": {"TagSet": [{"Key": "a", "Value": "1"}]},
    }),
    ("s3", "DeleteBucketTagging", "", {"Bucket": "artifacts"}),
    ("s3", "ListMultipartUploads", "", {"Bucket": "artifacts", "Prefix": "p", "MaxUploads": 3}),
]
CASES += S3_CASES


def to_expected(value):
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: to_expected(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_expected(v) for v in value]
    return value


def streaming_payload(op):
    """The input's streaming payload member name, or None."""
    shape = op.input_shape
    payload = shape.serialization.get("payload") if shape is not None else None
    if payload is None:
        return None
    member = shape.members[payload]
    if member.type_name == "blob" and member.serialization.get("streaming"):
        return payload
    return None


def rest_query(request):
    """The requestUri's literal query parts, then the serialized parameters, as pairs."""
    path, _, literal = request["url_path"].partition("?")
    pairs = [list(pair) for pair in urllib.parse.parse_qsl(literal, keep_blank_values=True)]
    for name, value in request["query_string"].items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append([name, str(item)])
    return path, pairs


def serialize(session, service, operation, params):
    model = session.get_service_model(service)
    op = model.operation_model(operation)
    serializer = botocore.serialize.create_serializer(model.metadata["protocol"], include_validation=True)
    request = serializer.serialize_to_request(params, op)
    if model.metadata["protocol"] == "rest-xml":
        path, query = rest_query(request)
        body = request["body"]
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        expected = dict(params)
        expected.pop(streaming_payload(op) or "", None)
        return {
            "service": service,
            "operation": operation,
            "protocol": "rest-xml",
            "method": request["method"],
            "path": path,
            "query": query,
            "headers": {k: v for k, v in sorted(request["headers"].items())},
            "body": body,
            "expected": to_expected(expected),
        }
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
