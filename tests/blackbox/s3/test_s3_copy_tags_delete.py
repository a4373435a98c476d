"""CopyObject, object tagging, DeleteObjects."""
import datetime

import pytest

from s3_helpers import code_status, error_of, etag_of, response_headers


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="src")
    s3.create_bucket(Bucket="dst")
    s3.put_object(Bucket="src", Key="orig", Body=b"original body", ContentType="text/plain",
                  CacheControl="max-age=5", Metadata={"color": "blue"})
    return s3


# ---------------------------------------------------------------- copy


def test_copy_same_bucket_keeps_metadata(s3):
    out = s3.copy_object(Bucket="src", Key="copy", CopySource={"Bucket": "src", "Key": "orig"})
    assert out["CopyObjectResult"]["ETag"] == etag_of(b"original body")
    assert isinstance(out["CopyObjectResult"]["LastModified"], datetime.datetime)
    got = s3.get_object(Bucket="src", Key="copy")
    assert got["Body"].read() == b"original body"
    assert got["ContentType"] == "text/plain"
    assert got["CacheControl"] == "max-age=5"
    assert got["Metadata"] == {"color": "blue"}


def test_copy_to_other_bucket(s3):
    s3.copy_object(Bucket="dst", Key="a/b/c", CopySource="src/orig")
    assert s3.get_object(Bucket="dst", Key="a/b/c")["Body"].read() == b"original body"
    assert s3.get_object(Bucket="src", Key="orig")["Body"].read() == b"original body"


def test_copy_metadata_directive_copy_ignores_new_metadata(s3):
    s3.copy_object(Bucket="dst", Key="k", CopySource={"Bucket": "src", "Key": "orig"}, MetadataDirective="COPY",
                   Metadata={"color": "red"}, ContentType="application/json")
    got = s3.head_object(Bucket="dst", Key="k")
    assert got["Metadata"] == {"color": "blue"}
    assert got["ContentType"] == "text/plain"


def test_copy_metadata_directive_replace(s3):
    s3.copy_object(Bucket="dst", Key="k", CopySource={"Bucket": "src", "Key": "orig"}, MetadataDirective="REPLACE",
                   Metadata={"shape": "round"}, ContentType="application/json")
    got = s3.head_object(Bucket="dst", Key="k")
    assert got["Metadata"] == {"shape": "round"}
    assert got["ContentType"] == "application/json"
    assert "CacheControl" not in got


def test_copy_onto_itself_without_changes_is_invalid(s3):
    code, message, status, _ = error_of(s3.copy_object, Bucket="src", Key="orig",
                                        CopySource={"Bucket": "src", "Key": "orig"})
    assert (code, status) == ("InvalidRequest", 400)
    assert message == ("This copy request is illegal because it is trying to copy an object to itself without "
                       "changing the object's metadata, storage class, website redirect location or encryption "
                       "attributes.")


def test_copy_onto_itself_with_replace_updates_metadata(s3):
    s3.copy_object(Bucket="src", Key="orig", CopySource={"Bucket": "src", "Key": "orig"},
                   MetadataDirective="REPLACE", Metadata={"color": "green"}, ContentType="text/csv")
    got = s3.get_object(Bucket="src", Key="orig")
    assert got["Body"].read() == b"original body"
    assert got["Metadata"] == {"color": "green"} and got["ContentType"] == "text/csv"


def test_copy_source_conditions(s3):
    etag = s3.head_object(Bucket="src", Key="orig")["ETag"]
    s3.copy_object(Bucket="dst", Key="ok", CopySource="src/orig", CopySourceIfMatch=etag)
    code, _, status, _ = error_of(s3.copy_object, Bucket="dst", Key="no", CopySource="src/orig",
                                  CopySourceIfMatch='"00000000000000000000000000000000"')
    assert (code, status) == ("PreconditionFailed", 412)
    assert code_status(s3.copy_object, Bucket="dst", Key="no", CopySource="src/orig",
                       CopySourceIfNoneMatch=etag) == ("PreconditionFailed", 412)
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
    assert code_status(s3.copy_object, Bucket="dst", Key="no", CopySource="src/orig",
                       CopySourceIfUnmodifiedSince=past) == ("PreconditionFailed", 412)
    s3.copy_object(Bucket="dst", Key="ok2", CopySource="src/orig", CopySourceIfUnmodifiedSince=future)
    assert code_status(s3.head_object, Bucket="dst", Key="no") == ("404", 404)


def test_copy_missing_source(s3):
    code, _, status, _ = error_of(s3.copy_object, Bucket="dst", Key="k", CopySource="src/missing")
    assert (code, status) == ("NoSuchKey", 404)
    assert code_status(s3.copy_object, Bucket="dst", Key="k", CopySource="nobucket/x") == ("NoSuchBucket", 404)


def test_copy_awkward_key(s3):
    key = "dir with space/ü+%?#.txt"
    s3.put_object(Bucket="src", Key=key, Body=b"odd")
    s3.copy_object(Bucket="dst", Key=key, CopySource={"Bucket": "src", "Key": key})
    assert s3.get_object(Bucket="dst", Key=key)["Body"].read() == b"odd"


def test_copy_via_cli(s3, aws):
    r = aws("s3", "cp", "s3://src/orig", "s3://dst/viacli")
    assert r.returncode == 0, r.stderr
    assert s3.get_object(Bucket="dst", Key="viacli")["Body"].read() == b"original body"
    r = aws("s3api", "copy-object", "--bucket", "dst", "--key", "viacli2", "--copy-source", "src/orig", v2=True)
    assert r.returncode == 0, r.stderr
    assert r.json["CopyObjectResult"]["ETag"] == etag_of(b"original body")


# ---------------------------------------------------------------- object tagging


def test_object_tagging_put_get_delete(s3):
    assert s3.get_object_tagging(Bucket="src", Key="orig")["TagSet"] == []
    s3.put_object_tagging(Bucket="src", Key="orig", Tagging={"TagSet": [{"Key": "stage", "Value": "beta"}]})
    assert s3.get_object_tagging(Bucket="src", Key="orig")["TagSet"] == [{"Key": "stage", "Value": "beta"}]
    assert s3.get_object(Bucket="src", Key="orig")["TagCount"] == 1
    s3.put_object_tagging(Bucket="src", Key="orig", Tagging={"TagSet": [{"Key": "a", "Value": "1"},
                                                                         {"Key": "b", "Value": "2"}]})
    assert sorted(t["Key"] for t in s3.get_object_tagging(Bucket="src", Key="orig")["TagSet"]) == ["a", "b"]
    assert s3.delete_object_tagging(Bucket="src", Key="orig")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.get_object_tagging(Bucket="src", Key="orig")["TagSet"] == []
    assert "TagCount" not in s3.get_object(Bucket="src", Key="orig")


def test_tagging_header_on_put(s3):
    s3.put_object(Bucket="src", Key="tagged", Body=b"x", Tagging="env=prod&team=a%20b&empty=")
    tags = {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket="src", Key="tagged")["TagSet"]}
    assert tags == {"env": "prod", "team": "a b", "empty": ""}
    assert s3.head_object(Bucket="src", Key="tagged").get("TagCount") in (None, 3)  # HEAD has no tag count
    assert s3.get_object(Bucket="src", Key="tagged")["TagCount"] == 3


def test_copy_keeps_or_replaces_tags(s3):
    s3.put_object(Bucket="src", Key="tagged", Body=b"x", Tagging="k=v")
    s3.copy_object(Bucket="dst", Key="copied", CopySource="src/tagged")
    assert s3.get_object_tagging(Bucket="dst", Key="copied")["TagSet"] == [{"Key": "k", "Value": "v"}]
    s3.copy_object(Bucket="dst", Key="replaced", CopySource="src/tagged", TaggingDirective="REPLACE",
                   Tagging="n=m")
    assert s3.get_object_tagging(Bucket="dst", Key="replaced")["TagSet"] == [{"Key": "n", "Value": "m"}]


def test_object_tagging_errors(s3):
    assert code_status(s3.get_object_tagging, Bucket="src", Key="missing") == ("NoSuchKey", 404)
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(11)]
    code, _, status, _ = error_of(s3.put_object_tagging, Bucket="src", Key="orig", Tagging={"TagSet": too_many})
    assert (code, status) == ("BadRequest", 400)
    code, _, status, _ = error_of(s3.put_object_tagging, Bucket="src", Key="orig", Tagging={"TagSet": [
        {"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]})
    assert (code, status) == ("InvalidTag", 400)


# ---------------------------------------------------------------- DeleteObjects


def test_delete_objects_verbose(s3):
    for k in ("a", "b", "c"):
        s3.put_object(Bucket="dst", Key=k, Body=b"x")
    out = s3.delete_objects(Bucket="dst", Delete={"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "never"}]})
    assert sorted(d["Key"] for d in out["Deleted"]) == ["a", "b", "never"]
    assert "Errors" not in out
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="dst")["Contents"]] == ["c"]


def test_delete_objects_quiet(s3):
    for k in ("a", "b"):
        s3.put_object(Bucket="dst", Key=k, Body=b"x")
    out = s3.delete_objects(Bucket="dst", Delete={"Objects": [{"Key": "a"}, {"Key": "b"}], "Quiet": True})
    assert "Deleted" not in out and "Errors" not in out
    assert s3.list_objects_v2(Bucket="dst")["KeyCount"] == 0


def test_delete_objects_awkward_keys(s3):
    keys = ["sp ace", "amp&<xml>", "ü/日本", "plus+"]
    for k in keys:
        s3.put_object(Bucket="dst", Key=k, Body=b"x")
    out = s3.delete_objects(Bucket="dst", Delete={"Objects": [{"Key": k} for k in keys]})
    assert sorted(d["Key"] for d in out["Deleted"]) == sorted(keys)
    assert s3.list_objects_v2(Bucket="dst")["KeyCount"] == 0


def test_delete_objects_versions(s3):
    s3.put_bucket_versioning(Bucket="dst", VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket="dst", Key="k", Body=b"1")["VersionId"]
    v2 = s3.put_object(Bucket="dst", Key="k", Body=b"2")["VersionId"]
    out = s3.delete_objects(Bucket="dst", Delete={"Objects": [{"Key": "k", "VersionId": v1}]})
    assert out["Deleted"] == [{"Key": "k", "VersionId": v1}]
    assert s3.get_object(Bucket="dst", Key="k")["Body"].read() == b"2"
    out = s3.delete_objects(Bucket="dst", Delete={"Objects": [{"Key": "k"}]})
    d = out["Deleted"][0]
    assert d["Key"] == "k" and d["DeleteMarker"] is True and d["DeleteMarkerVersionId"]
    assert d["DeleteMarkerVersionId"] != v2
    assert code_status(s3.get_object, Bucket="dst", Key="k") == ("NoSuchKey", 404)
    # deleting the delete marker by version brings the object back
    out = s3.delete_objects(Bucket="dst", Delete={"Objects": [{"Key": "k", "VersionId": d["DeleteMarkerVersionId"]}]})
    assert out["Deleted"][0]["DeleteMarker"] is True
    assert s3.get_object(Bucket="dst", Key="k")["Body"].read() == b"2"


def test_delete_objects_more_than_1000_is_malformed(s3):
    code, _, status, _ = error_of(s3.delete_objects, Bucket="dst",
                                  Delete={"Objects": [{"Key": f"k{i}"} for i in range(1001)]})
    assert (code, status) == ("MalformedXML", 400)


def test_cli_rm_recursive(s3, aws):
    for i in range(5):
        s3.put_object(Bucket="dst", Key=f"dir/{i}", Body=b"x")
    s3.put_object(Bucket="dst", Key="keep", Body=b"x")
    r = aws("s3", "rm", "s3://dst/dir/", "--recursive")
    assert r.returncode == 0, r.stderr
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="dst")["Contents"]] == ["keep"]
    assert response_headers(s3.head_object(Bucket="dst", Key="keep"))
