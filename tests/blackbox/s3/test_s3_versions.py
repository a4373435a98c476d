"""Versioning: version ids on put/get/head/delete/copy, ListObjectVersions with delete markers and
markers, NoSuchVersion, delete markers on GET (404 / 405), suspended versioning and the null version."""
import pytest

from s3_helpers import code_status, error_of, response_headers, signed_request, xml_field


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="ver")
    s3.put_bucket_versioning(Bucket="ver", VersioningConfiguration={"Status": "Enabled"})
    return s3


def test_unversioned_bucket_has_null_version(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="plain")
    put = s3.put_object(Bucket="plain", Key="k", Body=b"x")
    assert "VersionId" not in put
    assert "VersionId" not in s3.head_object(Bucket="plain", Key="k")
    assert s3.get_object(Bucket="plain", Key="k", VersionId="null")["Body"].read() == b"x"
    versions = s3.list_object_versions(Bucket="plain")["Versions"]
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in versions] == [("k", "null", True)]


def test_each_put_gets_a_version(s3):
    v1 = s3.put_object(Bucket="ver", Key="k", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket="ver", Key="k", Body=b"two")["VersionId"]
    assert v1 and v2 and v1 != v2 and "null" not in (v1, v2)
    got = s3.get_object(Bucket="ver", Key="k")
    assert got["Body"].read() == b"two" and got["VersionId"] == v2
    got = s3.get_object(Bucket="ver", Key="k", VersionId=v1)
    assert got["Body"].read() == b"one" and got["VersionId"] == v1
    head = s3.head_object(Bucket="ver", Key="k", VersionId=v1)
    assert head["VersionId"] == v1 and head["ETag"] == got["ETag"]


def test_list_object_versions(s3):
    v1 = s3.put_object(Bucket="ver", Key="k", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket="ver", Key="k", Body=b"two!")["VersionId"]
    other = s3.put_object(Bucket="ver", Key="other", Body=b"o")["VersionId"]
    dm = s3.delete_object(Bucket="ver", Key="k")
    assert dm["DeleteMarker"] is True and dm["VersionId"] not in (v1, v2)
    out = s3.list_object_versions(Bucket="ver")
    versions = [(v["Key"], v["VersionId"], v["IsLatest"], v["Size"]) for v in out["Versions"]]
    assert versions == [("k", v2, False, 4), ("k", v1, False, 3), ("other", other, True, 1)]
    markers = [(m["Key"], m["VersionId"], m["IsLatest"]) for m in out["DeleteMarkers"]]
    assert markers == [("k", dm["VersionId"], True)]
    assert out["IsTruncated"] is False
    assert out["Versions"][0]["ETag"] == '"' + __import__("hashlib").md5(b"two!").hexdigest() + '"'
    # list_objects_v2 hides the deleted key
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="ver")["Contents"]] == ["other"]


def test_list_object_versions_pagination(s3):
    ids = [s3.put_object(Bucket="ver", Key="k", Body=str(i).encode())["VersionId"] for i in range(3)]
    s3.put_object(Bucket="ver", Key="z", Body=b"z")
    seen, key_marker, vid_marker = [], None, None
    while True:
        kwargs = {"KeyMarker": key_marker, "VersionIdMarker": vid_marker} if key_marker else {}
        out = s3.list_object_versions(Bucket="ver", MaxKeys=2, **kwargs)
        seen += [(v["Key"], v["VersionId"]) for v in out.get("Versions", [])]
        if not out["IsTruncated"]:
            break
        key_marker, vid_marker = out["NextKeyMarker"], out["NextVersionIdMarker"]
        assert (key_marker, vid_marker) == seen[-1]
    assert seen[:3] == [("k", ids[2]), ("k", ids[1]), ("k", ids[0])]
    assert [k for k, _ in seen] == ["k", "k", "k", "z"]
    paginated = [v["VersionId"] for page in s3.get_paginator("list_object_versions").paginate(
        Bucket="ver", PaginationConfig={"PageSize": 1}) for v in page.get("Versions", [])]
    assert paginated[:3] == ids[::-1]
    # KeyMarker alone starts after every version of that key
    out = s3.list_object_versions(Bucket="ver", KeyMarker="k")
    assert [v["Key"] for v in out["Versions"]] == ["z"]


def test_list_object_versions_prefix_delimiter(s3):
    for k in ("a/1", "a/2", "b"):
        s3.put_object(Bucket="ver", Key=k, Body=b"x")
    out = s3.list_object_versions(Bucket="ver", Delimiter="/")
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["a/"]
    assert [v["Key"] for v in out["Versions"]] == ["b"]
    out = s3.list_object_versions(Bucket="ver", Prefix="a/")
    assert [v["Key"] for v in out["Versions"]] == ["a/1", "a/2"]


def test_get_delete_marker(s3):
    s3.put_object(Bucket="ver", Key="k", Body=b"x")
    marker = s3.delete_object(Bucket="ver", Key="k")["VersionId"]
    code, _, status, resp = error_of(s3.get_object, Bucket="ver", Key="k")
    assert (code, status) == ("NoSuchKey", 404)
    h = response_headers(resp)
    assert h.get("x-amz-delete-marker") == "true"
    assert h.get("x-amz-version-id") == marker
    code, _, status, resp = error_of(s3.head_object, Bucket="ver", Key="k")
    assert status == 404
    assert response_headers(resp).get("x-amz-delete-marker") == "true"


def test_get_delete_marker_by_version_is_method_not_allowed(hakobu, s3):
    s3.put_object(Bucket="ver", Key="k", Body=b"x")
    marker = s3.delete_object(Bucket="ver", Key="k")["VersionId"]
    code, message, status, resp = error_of(s3.get_object, Bucket="ver", Key="k", VersionId=marker)
    assert (code, status) == ("MethodNotAllowed", 405)
    assert message == "The specified method is not allowed against this resource."
    h = response_headers(resp)
    assert h.get("x-amz-delete-marker") == "true"
    assert "last-modified" in h
    assert code_status(s3.head_object, Bucket="ver", Key="k", VersionId=marker) == ("405", 405)
    r = signed_request(hakobu, "GET", "/ver/k", query=f"versionId={marker}")
    assert r.status_code == 405
    assert xml_field(r.text, "Method") == "GET"
    assert xml_field(r.text, "ResourceType") == "DeleteMarker"


def test_no_such_version(s3):
    s3.put_object(Bucket="ver", Key="k", Body=b"x")
    elsewhere = s3.put_object(Bucket="ver", Key="other", Body=b"y")["VersionId"]
    code, message, status, resp = error_of(s3.get_object, Bucket="ver", Key="k", VersionId=elsewhere)
    assert (code, status) == ("NoSuchVersion", 404)
    assert message == "The specified version does not exist."
    assert resp["Error"].get("VersionId") == elsewhere
    assert code_status(s3.head_object, Bucket="ver", Key="k", VersionId=elsewhere) == ("404", 404)


def test_malformed_version_id(s3):
    s3.put_object(Bucket="ver", Key="k", Body=b"x")
    code, message, status, _ = error_of(s3.get_object, Bucket="ver", Key="k", VersionId="not a version!")
    assert (code, status) == ("InvalidArgument", 400)
    assert message == "Invalid version id specified"


def test_delete_specific_version(s3):
    v1 = s3.put_object(Bucket="ver", Key="k", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket="ver", Key="k", Body=b"two")["VersionId"]
    out = s3.delete_object(Bucket="ver", Key="k", VersionId=v2)
    assert out["VersionId"] == v2 and "DeleteMarker" not in out
    got = s3.get_object(Bucket="ver", Key="k")
    assert got["Body"].read() == b"one" and got["VersionId"] == v1
    assert [v["VersionId"] for v in s3.list_object_versions(Bucket="ver")["Versions"]] == [v1]


def test_delete_the_delete_marker_restores(s3):
    s3.put_object(Bucket="ver", Key="k", Body=b"back")
    marker = s3.delete_object(Bucket="ver", Key="k")["VersionId"]
    out = s3.delete_object(Bucket="ver", Key="k", VersionId=marker)
    assert out["DeleteMarker"] is True and out["VersionId"] == marker
    assert s3.get_object(Bucket="ver", Key="k")["Body"].read() == b"back"
    assert "DeleteMarkers" not in s3.list_object_versions(Bucket="ver")


def test_copy_specific_version(s3):
    v1 = s3.put_object(Bucket="ver", Key="k", Body=b"one")["VersionId"]
    s3.put_object(Bucket="ver", Key="k", Body=b"two")
    out = s3.copy_object(Bucket="ver", Key="restored", CopySource={"Bucket": "ver", "Key": "k", "VersionId": v1})
    assert out["CopySourceVersionId"] == v1
    assert out["VersionId"]
    assert s3.get_object(Bucket="ver", Key="restored")["Body"].read() == b"one"
    # copying an old version over the current one is how a rollback is done
    s3.copy_object(Bucket="ver", Key="k", CopySource={"Bucket": "ver", "Key": "k", "VersionId": v1})
    assert s3.get_object(Bucket="ver", Key="k")["Body"].read() == b"one"
    assert len(s3.list_object_versions(Bucket="ver", Prefix="k")["Versions"]) == 3


def test_copy_from_delete_marker_fails(s3):
    s3.put_object(Bucket="ver", Key="k", Body=b"x")
    marker = s3.delete_object(Bucket="ver", Key="k")["VersionId"]
    assert code_status(s3.copy_object, Bucket="ver", Key="c", CopySource="ver/k") == ("NoSuchKey", 404)
    code, _, status, _ = error_of(s3.copy_object, Bucket="ver", Key="c",
                                  CopySource={"Bucket": "ver", "Key": "k", "VersionId": marker})
    assert status == 400 and code == "InvalidRequest"


def test_suspended_versioning_writes_null_version(s3):
    v1 = s3.put_object(Bucket="ver", Key="k", Body=b"versioned")["VersionId"]
    s3.put_bucket_versioning(Bucket="ver", VersioningConfiguration={"Status": "Suspended"})
    put = s3.put_object(Bucket="ver", Key="k", Body=b"null one")
    assert put.get("VersionId") in (None, "null")
    s3.put_object(Bucket="ver", Key="k", Body=b"null two")  # overwrites the null version
    versions = [(v["VersionId"], v["IsLatest"]) for v in s3.list_object_versions(Bucket="ver")["Versions"]]
    assert versions == [("null", True), (v1, False)]
    assert s3.get_object(Bucket="ver", Key="k", VersionId="null")["Body"].read() == b"null two"
    assert s3.get_object(Bucket="ver", Key="k", VersionId=v1)["Body"].read() == b"versioned"
    out = s3.delete_object(Bucket="ver", Key="k")
    assert out["DeleteMarker"] is True and out.get("VersionId") == "null"
    assert code_status(s3.get_object, Bucket="ver", Key="k") == ("NoSuchKey", 404)
    assert s3.get_object(Bucket="ver", Key="k", VersionId=v1)["Body"].read() == b"versioned"


def test_versions_through_cli(s3, aws):
    s3.put_object(Bucket="ver", Key="k", Body=b"1")
    s3.put_object(Bucket="ver", Key="k", Body=b"2")
    r = aws("s3api", "list-object-versions", "--bucket", "ver", v2=True)
    assert r.returncode == 0, r.stderr
    assert len(r.json["Versions"]) == 2
