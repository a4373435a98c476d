"""ListObjectsV2 and ListObjects: prefix, delimiter, start-after/marker, pagination, max-keys,
encoding-type=url on the wire."""
import concurrent.futures
import urllib.parse

import pytest

from s3_helpers import code_status, error_of, signed_request, xml_field, xml_fields

KEYS = ["a/1", "a/2", "a/b/3", "a/b/4", "b/5", "c", "d/e/f/6"]


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="lst")
    for k in KEYS:
        s3.put_object(Bucket="lst", Key=k, Body=k.encode())
    return s3


def keys(out):
    return [o["Key"] for o in out.get("Contents", [])]


def prefixes(out):
    return [p["Prefix"] for p in out.get("CommonPrefixes", [])]


def test_list_all(s3):
    out = s3.list_objects_v2(Bucket="lst")
    assert keys(out) == KEYS
    assert out["KeyCount"] == len(KEYS)
    assert out["IsTruncated"] is False
    assert out["MaxKeys"] == 1000
    assert out["Name"] == "lst"
    assert out["Prefix"] == ""
    c = out["Contents"][0]
    assert c["Size"] == 3 and c["ETag"].startswith('"') and c["StorageClass"] == "STANDARD"
    assert "Owner" not in c
    assert "Owner" in s3.list_objects_v2(Bucket="lst", FetchOwner=True)["Contents"][0]


def test_prefix(s3):
    out = s3.list_objects_v2(Bucket="lst", Prefix="a/b/")
    assert keys(out) == ["a/b/3", "a/b/4"] and out["Prefix"] == "a/b/"
    assert s3.list_objects_v2(Bucket="lst", Prefix="zzz")["KeyCount"] == 0
    assert "Contents" not in s3.list_objects_v2(Bucket="lst", Prefix="zzz")


def test_delimiter(s3):
    out = s3.list_objects_v2(Bucket="lst", Delimiter="/")
    assert keys(out) == ["c"]
    assert prefixes(out) == ["a/", "b/", "d/"]
    assert out["KeyCount"] == 4  # keys + common prefixes
    assert out["Delimiter"] == "/"
    out = s3.list_objects_v2(Bucket="lst", Delimiter="/", Prefix="a/")
    assert keys(out) == ["a/1", "a/2"] and prefixes(out) == ["a/b/"]


def test_delimiter_other_than_slash(s3):
    out = s3.list_objects_v2(Bucket="lst", Delimiter="b")
    assert prefixes(out) == ["a/b", "b"]
    assert keys(out) == ["a/1", "a/2", "c", "d/e/f/6"]


def test_start_after(s3):
    out = s3.list_objects_v2(Bucket="lst", StartAfter="a/b/3")
    assert keys(out) == ["a/b/4", "b/5", "c", "d/e/f/6"]
    assert out["StartAfter"] == "a/b/3"
    assert keys(s3.list_objects_v2(Bucket="lst", StartAfter="a/b")) == KEYS[2:]


def test_pagination_with_delimiter_counts_prefixes(s3):
    out = s3.list_objects_v2(Bucket="lst", Delimiter="/", MaxKeys=2)
    assert prefixes(out) == ["a/", "b/"] and keys(out) == []
    assert out["IsTruncated"] is True and out["KeyCount"] == 2
    out = s3.list_objects_v2(Bucket="lst", Delimiter="/", MaxKeys=2, ContinuationToken=out["NextContinuationToken"])
    assert keys(out) == ["c"] and prefixes(out) == ["d/"]
    assert out["IsTruncated"] is False


def test_max_keys_zero(s3):
    out = s3.list_objects_v2(Bucket="lst", MaxKeys=0)
    assert out["KeyCount"] == 0 and out["MaxKeys"] == 0
    assert out["IsTruncated"] is False
    assert "Contents" not in out and "NextContinuationToken" not in out
    out = s3.list_objects(Bucket="lst", MaxKeys=0)
    assert "Contents" not in out and out["IsTruncated"] is False


def test_small_pages(s3):
    seen, token = [], None
    while True:
        kwargs = {"ContinuationToken": token} if token else {}
        out = s3.list_objects_v2(Bucket="lst", MaxKeys=3, **kwargs)
        assert out["KeyCount"] == len(out.get("Contents", []))
        seen += keys(out)
        if not out["IsTruncated"]:
            assert "NextContinuationToken" not in out
            break
        assert out["KeyCount"] == 3
        token = out["NextContinuationToken"]
    assert seen == KEYS


def test_invalid_continuation_token(s3):
    code, _, status, _ = error_of(s3.list_objects_v2, Bucket="lst", ContinuationToken="not-a-token")
    assert (code, status) == ("InvalidArgument", 400)


def test_list_objects_v1(s3):
    out = s3.list_objects(Bucket="lst")
    assert keys(out) == KEYS and out["IsTruncated"] is False and out.get("Marker", "") == ""
    out = s3.list_objects(Bucket="lst", Marker="a/b/4")
    assert keys(out) == ["b/5", "c", "d/e/f/6"] and out["Marker"] == "a/b/4"
    out = s3.list_objects(Bucket="lst", Delimiter="/", MaxKeys=2)
    assert prefixes(out) == ["a/", "b/"] and out["IsTruncated"] is True
    assert out["NextMarker"] == "b/"
    out = s3.list_objects(Bucket="lst", Delimiter="/", Marker=out["NextMarker"])
    assert keys(out) == ["c"] and prefixes(out) == ["d/"]
    out = s3.list_objects(Bucket="lst", MaxKeys=2)
    assert keys(out) == KEYS[:2] and out["IsTruncated"] is True
    assert "NextMarker" not in out  # only returned when a delimiter is given


def test_negative_max_keys(hakobu, s3):
    r = signed_request(hakobu, "GET", "/lst", query="list-type=2&max-keys=-1")
    assert r.status_code == 400
    assert xml_field(r.text, "Code") == "InvalidArgument"


def test_paginate_2500_keys(s3):
    names = [f"many/{i:05d}" for i in range(2500)]

    def put(k):
        s3.put_object(Bucket="lst", Key=k, Body=b"")

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(put, names))
    # v2 by hand
    pages, token, seen = [], None, []
    while True:
        kwargs = {"ContinuationToken": token} if token else {}
        out = s3.list_objects_v2(Bucket="lst", Prefix="many/", MaxKeys=1000, **kwargs)
        pages.append(out["KeyCount"])
        seen += keys(out)
        if not out["IsTruncated"]:
            break
        token = out["NextContinuationToken"]
    assert pages == [1000, 1000, 500]
    assert seen == names
    # v2 with the paginator's default page size
    paginated = [k for page in s3.get_paginator("list_objects_v2").paginate(Bucket="lst", Prefix="many/")
                 for k in keys(page)]
    assert paginated == names
    # v2 paginator with small pages and start-after
    paginated = [k for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket="lst", Prefix="many/", StartAfter="many/01000", PaginationConfig={"PageSize": 700})
        for k in keys(page)]
    assert paginated == names[1001:]
    # v1 by hand: without a delimiter the next marker is the last key
    marker, seen = "", []
    while True:
        out = s3.list_objects(Bucket="lst", Prefix="many/", Marker=marker)
        assert len(keys(out)) <= 1000
        seen += keys(out)
        if not out["IsTruncated"]:
            break
        marker = keys(out)[-1]
    assert seen == names
    paginated = [k for page in s3.get_paginator("list_objects").paginate(Bucket="lst", Prefix="many/")
                 for k in keys(page)]
    assert paginated == names


def test_cli_ls_recursive_over_pages(s3, aws):
    def put(i):
        s3.put_object(Bucket="lst", Key=f"p/{i:04d}", Body=b"")

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(put, range(1100)))
    r = aws("s3", "ls", "s3://lst/p/", "--recursive")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip().splitlines()) == 1100
    r = aws("s3api", "list-objects-v2", "--bucket", "lst", "--prefix", "p/", "--page-size", "300", v2=True)
    assert r.returncode == 0, r.stderr
    assert len(r.json["Contents"]) == 1100


# ---------------------------------------------------------------- encoding-type=url on the wire

ODD = ["sp ace/k", "plus+/k", "ü/k", "amp&/k", "percent%/k"]


def test_encoding_type_url_raw_xml(hakobu, s3):
    for k in ODD:
        s3.put_object(Bucket="lst", Key=k, Body=b"x")
    r = signed_request(hakobu, "GET", "/lst", query="delimiter=%2F&encoding-type=url&list-type=2&prefix=")
    assert r.status_code == 200, r.text
    assert xml_field(r.text, "EncodingType") == "url"
    raw_prefixes = [p for p in xml_fields(r.text, "Prefix") if p]
    decoded = sorted(urllib.parse.unquote_plus(p) for p in raw_prefixes)
    assert decoded == sorted(["sp ace/", "plus+/", "ü/", "amp&/", "percent%/", "a/", "b/", "d/"])
    for raw in raw_prefixes:
        assert " " not in raw, raw
        assert all(ord(ch) < 128 for ch in raw), raw
        assert "&" not in raw
    # and without encoding-type the XML carries the keys themselves (XML-escaped)
    r = signed_request(hakobu, "GET", "/lst", query="list-type=2&prefix=amp")
    assert xml_fields(r.text, "Key") == ["amp&amp;/k"]
    assert xml_field(r.text, "EncodingType") is None


def test_encoding_type_url_encodes_echoed_parameters(hakobu, s3):
    s3.put_object(Bucket="lst", Key="sp ace/k", Body=b"x")
    q = "encoding-type=url&list-type=2&prefix=sp%20ace%2F&start-after=sp%20ace%2F"
    r = signed_request(hakobu, "GET", "/lst", query=q)
    assert r.status_code == 200, r.text
    assert urllib.parse.unquote_plus(xml_field(r.text, "Prefix")) == "sp ace/"
    assert " " not in xml_field(r.text, "Prefix")
    assert urllib.parse.unquote_plus(xml_field(r.text, "StartAfter")) == "sp ace/"
    assert [urllib.parse.unquote_plus(k) for k in xml_fields(r.text, "Key")] == ["sp ace/k"]


def test_invalid_encoding_type(hakobu, s3):
    r = signed_request(hakobu, "GET", "/lst", query="encoding-type=base64&list-type=2")
    assert r.status_code == 400
    assert xml_field(r.text, "Code") == "InvalidArgument"


def test_boto3_decodes_what_it_asked_to_encode(s3):
    for k in ODD:
        s3.put_object(Bucket="lst", Key=k, Body=b"x")
    out = s3.list_objects_v2(Bucket="lst", Delimiter="/")
    assert sorted(prefixes(out)) == sorted(["sp ace/", "plus+/", "ü/", "amp&/", "percent%/", "a/", "b/", "d/"])
    out = s3.list_objects(Bucket="lst", Prefix="plus+")
    assert keys(out) == ["plus+/k"]


def test_list_missing_bucket(s3):
    assert code_status(s3.list_objects, Bucket="nope") == ("NoSuchBucket", 404)
