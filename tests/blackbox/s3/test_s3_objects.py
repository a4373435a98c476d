"""Objects: put/get/head/delete, stored headers and metadata, Range, conditional requests,
response-* overrides, awkward keys."""
import datetime
import urllib.parse

import pytest

from s3_helpers import code_status, error_of, etag_of, response_headers, signed_request

BODY = b"0123456789"


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="obj")
    return s3


def test_put_get_head_delete(s3):
    put = s3.put_object(Bucket="obj", Key="hello.txt", Body=b"hello world")
    assert put["ETag"] == etag_of(b"hello world") == '"5eb63bbbe01eeed093cb22bb8f5acdc3"'
    assert "VersionId" not in put
    got = s3.get_object(Bucket="obj", Key="hello.txt")
    assert got["Body"].read() == b"hello world"
    assert got["ETag"] == put["ETag"]
    assert got["ContentLength"] == 11
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert isinstance(got["LastModified"], datetime.datetime)
    assert response_headers(got).get("accept-ranges") == "bytes"
    head = s3.head_object(Bucket="obj", Key="hello.txt")
    assert head["ContentLength"] == 11 and head["ETag"] == put["ETag"]
    assert head["LastModified"] == got["LastModified"]
    assert s3.delete_object(Bucket="obj", Key="hello.txt")["ResponseMetadata"]["HTTPStatusCode"] == 204
    code, message, status, resp = error_of(s3.get_object, Bucket="obj", Key="hello.txt")
    assert (code, status) == ("NoSuchKey", 404)
    assert message == "The specified key does not exist."
    assert resp["Error"].get("Key") == "hello.txt"
    assert code_status(s3.head_object, Bucket="obj", Key="hello.txt") == ("404", 404)


def test_delete_missing_key_is_204(s3):
    assert s3.delete_object(Bucket="obj", Key="never-was")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_overwrite_replaces(s3):
    s3.put_object(Bucket="obj", Key="k", Body=b"first", Metadata={"a": "1"})
    s3.put_object(Bucket="obj", Key="k", Body=b"second")
    got = s3.get_object(Bucket="obj", Key="k")
    assert got["Body"].read() == b"second"
    assert got["Metadata"] == {}


def test_empty_object(s3):
    put = s3.put_object(Bucket="obj", Key="empty", Body=b"")
    assert put["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'
    got = s3.get_object(Bucket="obj", Key="empty")
    assert got["Body"].read() == b"" and got["ContentLength"] == 0


def test_binary_body_round_trips(s3):
    body = bytes(range(256)) * 1000
    s3.put_object(Bucket="obj", Key="bin", Body=body)
    assert s3.get_object(Bucket="obj", Key="bin")["Body"].read() == body


def test_default_content_type(s3):
    s3.put_object(Bucket="obj", Key="k", Body=b"x")
    assert s3.head_object(Bucket="obj", Key="k")["ContentType"] == "binary/octet-stream"


def test_stored_headers_and_metadata(s3):
    expires = "Wed, 02 Jan 2030 03:04:05 GMT"
    s3.put_object(Bucket="obj", Key="page.html", Body=b"<h1>hi</h1>", ContentType="text/html; charset=utf-8",
                  ContentEncoding="identity", ContentDisposition='attachment; filename="page.html"',
                  CacheControl="max-age=60", ContentLanguage="en-GB", Expires=expires,
                  Metadata={"Build-Id": "42", "owner": "Team Platform", "empty": ""})
    for out in (s3.get_object(Bucket="obj", Key="page.html"), s3.head_object(Bucket="obj", Key="page.html")):
        assert out["ContentType"] == "text/html; charset=utf-8"
        assert out["ContentEncoding"] == "identity"
        assert out["ContentDisposition"] == 'attachment; filename="page.html"'
        assert out["CacheControl"] == "max-age=60"
        assert out["ContentLanguage"] == "en-GB"
        assert response_headers(out)["expires"] == "Wed, 02 Jan 2030 03:04:05 GMT"
        # user metadata keys come back lower-cased, values verbatim
        assert out["Metadata"] == {"build-id": "42", "owner": "Team Platform", "empty": ""}


def test_metadata_too_large(s3):
    code, _, status, _ = error_of(s3.put_object, Bucket="obj", Key="k", Body=b"x", Metadata={"big": "v" * 2100})
    assert (code, status) == ("MetadataTooLarge", 400)


def test_cli_put_get(s3, aws, tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(b"cli body")
    r = aws("s3api", "put-object", "--bucket", "obj", "--key", "c/k", "--body", str(src),
            "--content-type", "text/plain", "--metadata", "a=b")
    assert r.returncode == 0, r.stderr
    assert r.json["ETag"] == etag_of(b"cli body")
    out = tmp_path / "out.txt"
    r = aws("s3api", "get-object", "--bucket", "obj", "--key", "c/k", str(out), v2=True)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == b"cli body"
    assert r.json["ContentType"] == "text/plain" and r.json["Metadata"] == {"a": "b"}


# ---------------------------------------------------------------- Range


@pytest.mark.parametrize("rng,start,end", [
    ("bytes=0-4", 0, 4),
    ("bytes=-5", 5, 9),
    ("bytes=5-", 5, 9),
    ("bytes=3-3", 3, 3),
    ("bytes=7-100", 7, 9),
    ("bytes=-100", 0, 9),
])
def test_range(s3, rng, start, end):
    s3.put_object(Bucket="obj", Key="digits", Body=BODY)
    got = s3.get_object(Bucket="obj", Key="digits", Range=rng)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert got["ContentRange"] == f"bytes {start}-{end}/10"
    assert got["ContentLength"] == end - start + 1
    assert got["Body"].read() == BODY[start:end + 1]
    assert got["ETag"] == etag_of(BODY)


@pytest.mark.parametrize("rng", ["bytes=10-", "bytes=20-30"])
def test_unsatisfiable_range(s3, rng):
    s3.put_object(Bucket="obj", Key="digits", Body=BODY)
    code, message, status, resp = error_of(s3.get_object, Bucket="obj", Key="digits", Range=rng)
    assert (code, status) == ("InvalidRange", 416)
    assert message == "The requested range is not satisfiable"
    assert resp["Error"].get("ActualObjectSize") == "10"
    assert resp["Error"].get("RangeRequested") == rng


def test_range_on_head(s3):
    s3.put_object(Bucket="obj", Key="digits", Body=BODY)
    head = s3.head_object(Bucket="obj", Key="digits", Range="bytes=2-5")
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert head["ContentLength"] == 4
    assert head["ContentRange"] == "bytes 2-5/10"


def test_range_on_empty_object_is_unsatisfiable(s3):
    s3.put_object(Bucket="obj", Key="empty", Body=b"")
    assert code_status(s3.get_object, Bucket="obj", Key="empty", Range="bytes=0-4") == ("InvalidRange", 416)


def test_range_via_cli(s3, aws, tmp_path):
    s3.put_object(Bucket="obj", Key="digits", Body=BODY)
    out = tmp_path / "part"
    r = aws("s3api", "get-object", "--bucket", "obj", "--key", "digits", "--range", "bytes=2-4", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == b"234"
    assert r.json["ContentRange"] == "bytes 2-4/10"


# ---------------------------------------------------------------- conditional requests


@pytest.fixture
def obj(s3):
    s3.put_object(Bucket="obj", Key="cond", Body=BODY)
    head = s3.head_object(Bucket="obj", Key="cond")
    return s3, head["ETag"], head["LastModified"]


DAY = datetime.timedelta(days=1)


def test_if_match(obj):
    s3, etag, _ = obj
    assert s3.get_object(Bucket="obj", Key="cond", IfMatch=etag)["Body"].read() == BODY
    code, message, status, resp = error_of(s3.get_object, Bucket="obj", Key="cond", IfMatch='"0000"')
    assert (code, status) == ("PreconditionFailed", 412)
    assert message == "At least one of the pre-conditions you specified did not hold"
    assert resp["Error"].get("Condition") == "If-Match"
    assert code_status(s3.head_object, Bucket="obj", Key="cond", IfMatch='"0000"') == ("412", 412)


def test_if_none_match(obj):
    s3, etag, _ = obj
    code, _, status, resp = error_of(s3.get_object, Bucket="obj", Key="cond", IfNoneMatch=etag)
    assert (code, status) == ("304", 304)
    assert response_headers(resp).get("etag") == etag
    assert code_status(s3.head_object, Bucket="obj", Key="cond", IfNoneMatch=etag) == ("304", 304)
    assert s3.get_object(Bucket="obj", Key="cond", IfNoneMatch='"other"')["Body"].read() == BODY


def test_if_modified_since(obj):
    s3, _, last_modified = obj
    assert code_status(s3.get_object, Bucket="obj", Key="cond", IfModifiedSince=last_modified) == ("304", 304)
    got = s3.get_object(Bucket="obj", Key="cond", IfModifiedSince=last_modified - DAY)
    assert got["Body"].read() == BODY


def test_if_unmodified_since(obj):
    s3, _, last_modified = obj
    assert s3.get_object(Bucket="obj", Key="cond", IfUnmodifiedSince=last_modified)["Body"].read() == BODY
    code, _, status, resp = error_of(s3.get_object, Bucket="obj", Key="cond", IfUnmodifiedSince=last_modified - DAY)
    assert (code, status) == ("PreconditionFailed", 412)
    assert resp["Error"].get("Condition") == "If-Unmodified-Since"


def test_if_match_true_wins_over_if_unmodified_since_false(obj):
    # AWS: If-Match true and If-Unmodified-Since false -> 200 OK and the data.
    s3, etag, last_modified = obj
    got = s3.get_object(Bucket="obj", Key="cond", IfMatch=etag, IfUnmodifiedSince=last_modified - DAY)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert got["Body"].read() == BODY


def test_if_none_match_false_wins_over_if_modified_since_true(obj):
    # AWS: If-None-Match false and If-Modified-Since true -> 304 Not Modified.
    s3, etag, last_modified = obj
    assert code_status(s3.get_object, Bucket="obj", Key="cond", IfNoneMatch=etag,
                       IfModifiedSince=last_modified - DAY) == ("304", 304)


def test_if_match_failure_beats_if_none_match(obj):
    s3, etag, _ = obj
    assert code_status(s3.get_object, Bucket="obj", Key="cond", IfMatch='"nope"', IfNoneMatch=etag) == \
        ("PreconditionFailed", 412)


def test_conditional_put_if_none_match_star(s3):
    s3.put_object(Bucket="obj", Key="once", Body=b"1", IfNoneMatch="*")
    code, _, status, _ = error_of(s3.put_object, Bucket="obj", Key="once", Body=b"2", IfNoneMatch="*")
    assert (code, status) == ("PreconditionFailed", 412)
    assert s3.get_object(Bucket="obj", Key="once")["Body"].read() == b"1"


# ---------------------------------------------------------------- response-* overrides


def test_response_header_overrides(s3):
    s3.put_object(Bucket="obj", Key="doc", Body=b"x", ContentType="text/plain")
    got = s3.get_object(Bucket="obj", Key="doc", ResponseContentType="application/json",
                        ResponseContentDisposition='attachment; filename="x.json"',
                        ResponseCacheControl="no-cache", ResponseContentEncoding="gzip",
                        ResponseContentLanguage="fr",
                        ResponseExpires=datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc))
    assert got["ContentType"] == "application/json"
    assert got["ContentDisposition"] == 'attachment; filename="x.json"'
    assert got["CacheControl"] == "no-cache"
    assert got["ContentEncoding"] == "gzip"
    assert got["ContentLanguage"] == "fr"
    assert response_headers(got)["expires"] == "Tue, 06 May 2031 07:08:09 GMT"
    # The stored object is unchanged.
    assert s3.head_object(Bucket="obj", Key="doc")["ContentType"] == "text/plain"


# ---------------------------------------------------------------- keys


KEYS = [
    "with space.txt",
    "unicodé/日本語/ファイル.txt",
    "plus+sign",
    "percent%20literal",
    "question?mark",
    "hash#tag",
    "double//slash",
    "/leading-slash",
    "trailing/",
    "amp&and=eq;semi",
    "xml<&>\"'chars",
    "tilde~star*paren(1)",
    "emoji-\U0001F680",
    "tab\there",
]


def test_awkward_keys_round_trip(s3):
    for i, key in enumerate(KEYS):
        s3.put_object(Bucket="obj", Key=key, Body=f"body {i}".encode())
    for i, key in enumerate(KEYS):
        assert s3.get_object(Bucket="obj", Key=key)["Body"].read() == f"body {i}".encode(), key
        assert s3.head_object(Bucket="obj", Key=key)["ETag"] == etag_of(f"body {i}".encode()), key
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket="obj")["Contents"]) == sorted(KEYS)
    assert sorted(o["Key"] for o in s3.list_objects(Bucket="obj")["Contents"]) == sorted(KEYS)
    # sorted by UTF-8 bytes
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket="obj")["Contents"]]
    assert listed == sorted(KEYS, key=lambda k: k.encode())
    for key in KEYS:
        s3.delete_object(Bucket="obj", Key=key)
    assert s3.list_objects_v2(Bucket="obj")["KeyCount"] == 0


def test_keys_are_case_sensitive(s3):
    s3.put_object(Bucket="obj", Key="Key", Body=b"upper")
    s3.put_object(Bucket="obj", Key="key", Body=b"lower")
    assert s3.get_object(Bucket="obj", Key="Key")["Body"].read() == b"upper"
    assert s3.get_object(Bucket="obj", Key="key")["Body"].read() == b"lower"


def test_key_as_raw_path_request(s3, hakobu):
    """Path segments are percent-decoded exactly once: %2B is '+', %20 is ' '."""
    s3.put_object(Bucket="obj", Key="a+b c", Body=b"plus")
    r = signed_request(hakobu, "GET", "/obj/" + urllib.parse.quote("a+b c", safe=""))
    assert r.status_code == 200, r.text
    assert r.content == b"plus"
    r = signed_request(hakobu, "GET", "/obj/a%252Bb")
    assert r.status_code == 404 and "<Key>a%2Bb</Key>" in r.text


def test_key_too_long(s3):
    code, _, status, _ = error_of(s3.put_object, Bucket="obj", Key="k" * 1025, Body=b"x")
    assert (code, status) == ("KeyTooLongError", 400)


def test_download_survives_delete_and_overwrite_midway(s3):
    """A GET that has started keeps serving the version it found, as S3 does, even when that
    version is deleted or overwritten while the body is still on its way (multipart: several
    data files, sent one after the other)."""
    part = 5 * 1024 * 1024
    pieces = [bytes([65 + i]) * part for i in range(4)]
    mpu = s3.create_multipart_upload(Bucket="obj", Key="moving")
    parts = []
    for n, piece in enumerate(pieces, start=1):
        etag = s3.upload_part(Bucket="obj", Key="moving", UploadId=mpu["UploadId"], PartNumber=n, Body=piece)["ETag"]
        parts.append({"PartNumber": n, "ETag": etag})
    s3.complete_multipart_upload(Bucket="obj", Key="moving", UploadId=mpu["UploadId"],
                                 MultipartUpload={"Parts": parts})
    body = s3.get_object(Bucket="obj", Key="moving")["Body"]
    first = body.read(64 * 1024)
    s3.put_object(Bucket="obj", Key="moving", Body=b"replaced")
    s3.delete_object(Bucket="obj", Key="moving")
    rest = body.read()
    assert first + rest == b"".join(pieces)
