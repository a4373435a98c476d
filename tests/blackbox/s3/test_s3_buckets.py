"""Buckets: create (location constraints, invalid names, re-create semantics across accounts),
head, list, location, delete."""
import datetime

import pytest

from s3_helpers import code_status, error_of, response_headers


def test_create_head_list_delete(client):
    s3 = client("s3")
    out = s3.create_bucket(Bucket="alpha-bucket")
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert out["Location"] == "/alpha-bucket"
    head = s3.head_bucket(Bucket="alpha-bucket")
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response_headers(head).get("x-amz-bucket-region") == "us-east-1"
    s3.create_bucket(Bucket="beta-bucket")
    listed = s3.list_buckets()
    assert [b["Name"] for b in listed["Buckets"]] == ["alpha-bucket", "beta-bucket"]
    for b in listed["Buckets"]:
        assert isinstance(b["CreationDate"], datetime.datetime)
    assert listed["Owner"]["ID"]
    deleted = s3.delete_bucket(Bucket="alpha-bucket")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["beta-bucket"]
    assert code_status(s3.head_bucket, Bucket="alpha-bucket") == ("404", 404)


def test_headers_on_every_response(client):
    out = client("s3").create_bucket(Bucket="hdrs")
    h = response_headers(out)
    assert h.get("x-amz-request-id")
    assert "x-amz-id-2" in h


def test_missing_bucket_errors(client):
    s3 = client("s3")
    assert code_status(s3.head_bucket, Bucket="no-such-bucket") == ("404", 404)
    code, message, status, resp = error_of(s3.list_objects_v2, Bucket="no-such-bucket")
    assert (code, status) == ("NoSuchBucket", 404)
    assert message == "The specified bucket does not exist"
    assert resp["Error"].get("BucketName") == "no-such-bucket"
    assert code_status(s3.delete_bucket, Bucket="no-such-bucket") == ("NoSuchBucket", 404)
    assert code_status(s3.get_bucket_location, Bucket="no-such-bucket") == ("NoSuchBucket", 404)
    assert code_status(s3.put_object, Bucket="no-such-bucket", Key="k", Body=b"x") == ("NoSuchBucket", 404)
    assert code_status(s3.get_object, Bucket="no-such-bucket", Key="k") == ("NoSuchBucket", 404)


def test_create_in_other_region_with_location_constraint(client):
    s3 = client("s3", region="eu-west-1")
    out = s3.create_bucket(Bucket="euro-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert s3.get_bucket_location(Bucket="euro-bucket")["LocationConstraint"] == "eu-west-1"
    head = s3.head_bucket(Bucket="euro-bucket")
    assert response_headers(head).get("x-amz-bucket-region") == "eu-west-1"


def test_us_east_1_location_is_empty(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="east-bucket")
    # GetBucketLocation answers an empty <LocationConstraint/> for us-east-1; boto3 gives None.
    assert s3.get_bucket_location(Bucket="east-bucket").get("LocationConstraint") is None


def test_region_endpoint_without_location_constraint(client):
    code, message, status, _ = error_of(client("s3", region="eu-west-1").create_bucket, Bucket="nolc-bucket")
    assert (code, status) == ("IllegalLocationConstraintException", 400)
    assert message == ("The unspecified location constraint is incompatible for the region specific "
                       "endpoint this request was sent to.")
    assert code_status(client("s3").head_bucket, Bucket="nolc-bucket") == ("404", 404)


def test_location_constraint_of_another_region(client):
    code, message, status, _ = error_of(client("s3", region="eu-west-1").create_bucket, Bucket="mismatch-bucket",
                                        CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    assert (code, status) == ("IllegalLocationConstraintException", 400)
    assert message == ("The us-west-2 location constraint is incompatible for the region specific "
                       "endpoint this request was sent to.")


@pytest.mark.parametrize("constraint", ["us-east-1", "not-a-region"])
def test_invalid_location_constraint(client, constraint):
    code, message, status, _ = error_of(client("s3").create_bucket, Bucket="badlc-bucket",
                                        CreateBucketConfiguration={"LocationConstraint": constraint})
    assert (code, status) == ("InvalidLocationConstraint", 400)
    assert message == "The specified location-constraint is not valid"


@pytest.mark.parametrize("name", [
    "ab",                     # shorter than 3
    "a" * 64,                 # longer than 63
    "UpperCase",              # upper case
    "under_score",            # underscore
    "-leading-dash",
    "trailing-dash-",
    "double..dot",
    "192.168.5.4",            # formatted as an IP address
    "xn--prefixed",           # reserved prefix
    "sthree-prefixed",        # reserved prefix
    "bucket-s3alias",         # reserved suffix
    "bucket--ol-s3",          # reserved suffix
])
def test_invalid_bucket_names(client, name):
    code, message, status, _ = error_of(client("s3").create_bucket, Bucket=name)
    assert (code, status) == ("InvalidBucketName", 400)
    assert message == "The specified bucket is not valid."


@pytest.mark.parametrize("name", ["abc", "a" * 63, "with.dots.in-it", "0123456789"])
def test_valid_bucket_names(client, name):
    s3 = client("s3")
    s3.create_bucket(Bucket=name)
    s3.head_bucket(Bucket=name)


def test_recreate_own_bucket_in_us_east_1_is_ok(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="mine")
    s3.put_object(Bucket="mine", Key="k", Body=b"kept")
    # Legacy behaviour of us-east-1: re-creating a bucket you own answers 200 and keeps it.
    out = s3.create_bucket(Bucket="mine")
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert s3.get_object(Bucket="mine", Key="k")["Body"].read() == b"kept"


def test_recreate_own_bucket_elsewhere_is_already_owned(client):
    s3 = client("s3", region="eu-west-1")
    cfg = {"LocationConstraint": "eu-west-1"}
    s3.create_bucket(Bucket="mine-eu", CreateBucketConfiguration=cfg)
    code, message, status, _ = error_of(s3.create_bucket, Bucket="mine-eu", CreateBucketConfiguration=cfg)
    assert (code, status) == ("BucketAlreadyOwnedByYou", 409)
    assert message == "Your previous request to create the named bucket succeeded and you already own it."


def test_bucket_names_are_global_across_accounts(client):
    client("s3").create_bucket(Bucket="dev-artifacts")
    prod = client("s3", account="prod")
    code, message, status, _ = error_of(prod.create_bucket, Bucket="dev-artifacts")
    assert (code, status) == ("BucketAlreadyExists", 409)
    assert message == ("The requested bucket name is not available. The bucket namespace is shared by all "
                       "users of the system. Please select a different name and try again.")
    # ... and in another region too.
    prod_eu = client("s3", account="prod", region="eu-west-1")
    assert code_status(prod_eu.create_bucket, Bucket="dev-artifacts",
                       CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}) == ("BucketAlreadyExists", 409)


def test_other_accounts_bucket_is_forbidden_not_missing(client):
    client("s3").create_bucket(Bucket="dev-private")
    client("s3").put_object(Bucket="dev-private", Key="k", Body=b"x")
    prod = client("s3", account="prod")
    assert code_status(prod.head_bucket, Bucket="dev-private") == ("403", 403)
    assert code_status(prod.head_bucket, Bucket="nobody-has-this") == ("404", 404)
    assert code_status(prod.list_objects_v2, Bucket="dev-private") == ("AccessDenied", 403)
    assert code_status(prod.get_object, Bucket="dev-private", Key="k") == ("AccessDenied", 403)
    assert code_status(prod.delete_bucket, Bucket="dev-private") == ("AccessDenied", 403)
    # list_buckets shows only the caller's own buckets
    assert prod.list_buckets()["Buckets"] == []
    client("s3").head_bucket(Bucket="dev-private")


def test_delete_non_empty_bucket(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="full")
    s3.put_object(Bucket="full", Key="a/b", Body=b"x")
    code, message, status, _ = error_of(s3.delete_bucket, Bucket="full")
    assert (code, status) == ("BucketNotEmpty", 409)
    assert message == "The bucket you tried to delete is not empty"
    s3.delete_object(Bucket="full", Key="a/b")
    s3.delete_bucket(Bucket="full")
    assert code_status(s3.head_bucket, Bucket="full") == ("404", 404)


def test_versioned_bucket_with_only_old_versions_is_not_empty(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="vfull")
    s3.put_bucket_versioning(Bucket="vfull", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="vfull", Key="k", Body=b"x")
    s3.delete_object(Bucket="vfull", Key="k")  # leaves a delete marker and the old version
    assert s3.list_objects_v2(Bucket="vfull")["KeyCount"] == 0
    assert code_status(s3.delete_bucket, Bucket="vfull") == ("BucketNotEmpty", 409)


def test_bucket_name_can_be_reused_after_delete(client):
    client("s3").create_bucket(Bucket="hand-me-down")
    client("s3").delete_bucket(Bucket="hand-me-down")
    prod = client("s3", account="prod")
    prod.create_bucket(Bucket="hand-me-down")
    assert [b["Name"] for b in prod.list_buckets()["Buckets"]] == ["hand-me-down"]


def test_cli_mb_ls_rb(client, aws):
    r = aws("s3", "mb", "s3://cli-bucket")
    assert r.returncode == 0, r.stderr
    assert "make_bucket: cli-bucket" in r.stdout
    r = aws("s3", "ls")
    assert r.returncode == 0, r.stderr
    assert "cli-bucket" in r.stdout
    r = aws("s3api", "get-bucket-location", "--bucket", "cli-bucket", v2=True)
    assert r.returncode == 0, r.stderr
    assert r.json.get("LocationConstraint") is None
    r = aws("s3", "rb", "s3://cli-bucket", v2=True)
    assert r.returncode == 0, r.stderr
    assert client("s3").list_buckets()["Buckets"] == []
