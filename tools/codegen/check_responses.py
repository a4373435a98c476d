#!/usr/bin/env python3
"""Parses our encoders' output with botocore's own response parsers.

  python3 tools/codegen/check_responses.py [--binary /tmp/build/hakobu_unit_tests]

Reads src/aws/protocol/tests/fixtures/out/*.json (written by response_fixture_test.cc with
HAKOBU_WRITE_FIXTURES=1; --binary reruns that first), parses each body with
botocore.parsers.create_parser for the service's protocol, and checks that botocore sees
the same data the encoder was given (responses) or the right Code/Message (errors).
Exit status 1 on any mismatch.
"""

import argparse
import datetime
import glob
import json
import os
import subprocess
import sys

import botocore.awsrequest
import botocore.handlers
import botocore.parsers
import botocore.session

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "src", "aws", "protocol", "tests", "fixtures", "out")


def normalise(value):
    """botocore's parsed form -> plain JSON values (timestamps as epoch seconds)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.timestamp()
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def without_nulls(value):
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def same(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-6
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def check(session, path):
    with open(path, encoding="utf-8") as f:
        fixture = json.load(f)
    model = session.get_service_model(fixture["service"] if fixture["service"] != "elasticloadbalancing" else "elbv2")
    op = model.operation_model(fixture["operation"])
    protocol = model.metadata["protocol"]
    parser = botocore.parsers.create_parser(protocol)
    response = {
        "body": fixture["body"].encode("utf-8"),
        "headers": botocore.awsrequest.HeadersDict(fixture["headers"]),  # case-insensitive, as on the wire
        "status_code": fixture["status"],
    }
    parsed = parser.parse(response, op.output_shape)
    if protocol == "rest-xml" and fixture["kind"] == "response":
        if op.name == "GetBucketLocation":
            # botocore reads this one by hand (handlers.parse_get_bucket_location)
            http_response = botocore.awsrequest.AWSResponse("", fixture["status"], response["headers"], raw=object())
            http_response._content = response["body"]
            botocore.handlers.parse_get_bucket_location(parsed, http_response)
        payload = op.output_shape.serialization.get("payload") if op.output_shape is not None else None
        if payload and op.output_shape.members[payload].serialization.get("streaming"):
            parsed.pop(payload, None)  # the caller's stream, not the codec's
    if fixture["kind"] == "error":
        got = {k: parsed.get("Error", {}).get(k) for k in ("Code", "Message")}
        want = fixture["expected"]
        if parsed.get("ResponseMetadata", {}).get("HTTPStatusCode") != fixture["status"]:
            return "status: %r" % parsed.get("ResponseMetadata")
        request_id = parsed.get("ResponseMetadata", {}).get("RequestId")
        if not request_id:
            return "botocore found no request id"
    else:
        parsed.pop("ResponseMetadata", None)
        got = normalise(parsed)
        want = without_nulls(fixture["expected"])
    if not same(got, want):
        return "botocore parsed %s\nexpected        %s" % (json.dumps(got, sort_keys=True), json.dumps(want, sort_keys=True))
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", help="unit-test binary to rerun with HAKOBU_WRITE_FIXTURES=1 first")
    args = parser.parse_args()
    if args.binary:
        env = dict(os.environ, HAKOBU_WRITE_FIXTURES="1")
        subprocess.run([args.binary, "--gtest_filter=BotocoreResponseFixtures.*"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    session = botocore.session.get_session()
    paths = sorted(glob.glob(os.path.join(OUT_DIR, "*.json")))
    if not paths:
        print("no fixtures in %s" % OUT_DIR, file=sys.stderr)
        return 1
    failures = 0
    for path in paths:
        error = check(session, path)
        name = os.path.basename(path)
        if error:
            failures += 1
            print("FAIL %s: %s" % (name, error))
        else:
            print("ok   %s" % name)
    print("%d/%d fixtures parse as expected with botocore" % (len(paths) - failures, len(paths)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
