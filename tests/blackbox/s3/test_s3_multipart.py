"""Multipart uploads: create/upload/complete, the "-N" ETag, EntityTooSmall, InvalidPart,
InvalidPartOrder, ListParts pagination, ListMultipartUploads, abort, UploadPartCopy with a range,
and the aws CLI's own multipart transfers (v1 and v2)."""
import hashlib
import os

import pytest

from s3_helpers import MiB, cli, code_status, error_of, multipart_etag, response_headers


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="mpu")
    return s3


def chunk(i, size):
    """`size` bytes: one random KiB (its first byte stamped with i) repeated, so parts differ."""
    block = bytes([i % 256]) + os.urandom(1023)
    return block * (size // 1024) + block[:size % 1024]


def upload(s3, key, bodies, **create):
    uid = s3.create_multipart_upload(Bucket="mpu", Key=key, **create)["UploadId"]
    parts = []
    for n, body in enumerate(bodies, start=1):
        etag = s3.upload_part(Bucket="mpu", Key=key, UploadId=uid, PartNumber=n, Body=body)["ETag"]
        assert etag == '"' + hashlib.md5(body).hexdigest() + '"'
        parts.append({"PartNumber": n, "ETag": etag})
    return uid, parts


def test_complete_multipart(s3):
    bodies = [chunk(0, 5 * MiB), chunk(1, 5 * MiB), chunk(2, 1234)]
    created = s3.create_multipart_upload(Bucket="mpu", Key="big/file.bin", ContentType="application/x-thing",
                                         Metadata={"origin": "mpu"})
    assert created["Bucket"] == "mpu" and created["Key"] == "big/file.bin" and created["UploadId"]
    uid = created["UploadId"]
    parts = []
    for n, body in enumerate(bodies, start=1):
        out = s3.upload_part(Bucket="mpu", Key="big/file.bin", UploadId=uid, PartNumber=n, Body=body)
        parts.append({"PartNumber": n, "ETag": out["ETag"]})
    # Not visible until completed.
    assert code_status(s3.head_object, Bucket="mpu", Key="big/file.bin") == ("404", 404)
    done = s3.complete_multipart_upload(Bucket="mpu", Key="big/file.bin", UploadId=uid,
                                        MultipartUpload={"Parts": parts})
    expected_etag = multipart_etag(bodies)
    assert done["ETag"] == expected_etag
    assert done["Bucket"] == "mpu" and done["Key"] == "big/file.bin"
    assert "big/file.bin" in done["Location"]
    got = s3.get_object(Bucket="mpu", Key="big/file.bin")["Body"].read()
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(b"".join(bodies)).hexdigest()
    head = s3.head_object(Bucket="mpu", Key="big/file.bin")
    assert head["ETag"] == expected_etag
    assert head["ContentType"] == "application/x-thing"
    assert head["Metadata"] == {"origin": "mpu"}
    assert head["ContentLength"] == sum(map(len, bodies))
    # The upload is gone.
    assert code_status(s3.list_parts, Bucket="mpu", Key="big/file.bin", UploadId=uid) == ("NoSuchUpload", 404)
    assert "Uploads" not in s3.list_multipart_uploads(Bucket="mpu")


def test_get_part_number(s3):
    bodies = [chunk(0, 5 * MiB), chunk(1, 100)]
    uid, parts = upload(s3, "k", bodies)
    s3.complete_multipart_upload(Bucket="mpu", Key="k", UploadId=uid, MultipartUpload={"Parts": parts})
    head = s3.head_object(Bucket="mpu", Key="k", PartNumber=2)
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert head["PartsCount"] == 2 and head["ContentLength"] == 100
    assert s3.get_object(Bucket="mpu", Key="k", PartNumber=2)["Body"].read() == bodies[1]


def test_subset_of_parts_can_be_completed(s3):
    bodies = [chunk(0, 5 * MiB), chunk(1, 5 * MiB), chunk(2, 10)]
    uid, parts = upload(s3, "k", bodies)
    chosen = [parts[0], parts[2]]
    done = s3.complete_multipart_upload(Bucket="mpu", Key="k", UploadId=uid, MultipartUpload={"Parts": chosen})
    assert done["ETag"] == multipart_etag([bodies[0], bodies[2]])
    assert s3.get_object(Bucket="mpu", Key="k")["Body"].read() == bodies[0] + bodies[2]


def test_reuploading_a_part_replaces_it(s3):
    uid, parts = upload(s3, "k", [chunk(0, 5 * MiB), b"tail"])
    replacement = chunk(3, 5 * MiB)
    etag = s3.upload_part(Bucket="mpu", Key="k", UploadId=uid, PartNumber=1, Body=replacement)["ETag"]
    done = s3.complete_multipart_upload(Bucket="mpu", Key="k", UploadId=uid, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": etag}, parts[1]]})
    assert done["ETag"] == multipart_etag([replacement, b"tail"])
    assert s3.get_object(Bucket="mpu", Key="k")["Body"].read() == replacement + b"tail"


def test_entity_too_small(s3):
    uid, parts = upload(s3, "k", [b"a" * MiB, b"b" * MiB])
    code, message, status, resp = error_of(s3.complete_multipart_upload, Bucket="mpu", Key="k", UploadId=uid,
                                           MultipartUpload={"Parts": parts})
    assert (code, status) == ("EntityTooSmall", 400)
    assert message == "Your proposed upload is smaller than the minimum allowed object size."
    assert resp["Error"].get("MinSizeAllowed") == str(5 * MiB)
    assert resp["Error"].get("ProposedSize") == str(MiB)
    # the upload survives a failed completion
    assert len(s3.list_parts(Bucket="mpu", Key="k", UploadId=uid)["Parts"]) == 2


def test_single_small_part_is_fine(s3):
    uid, parts = upload(s3, "k", [b"tiny"])
    done = s3.complete_multipart_upload(Bucket="mpu", Key="k", UploadId=uid, MultipartUpload={"Parts": parts})
    assert done["ETag"] == multipart_etag([b"tiny"])
    assert s3.get_object(Bucket="mpu", Key="k")["Body"].read() == b"tiny"


def test_invalid_part(s3):
    uid, parts = upload(s3, "k", [chunk(0, 5 * MiB), b"end"])
    bad = [parts[0], {"PartNumber": 2, "ETag": '"0123456789abcdef0123456789abcdef"'}]
    code, message, status, _ = error_of(s3.complete_multipart_upload, Bucket="mpu", Key="k", UploadId=uid,
                                        MultipartUpload={"Parts": bad})
    assert (code, status) == ("InvalidPart", 400)
    assert message.startswith("One or more of the specified parts could not be found.")
    missing = parts + [{"PartNumber": 7, "ETag": parts[1]["ETag"]}]
    assert code_status(s3.complete_multipart_upload, Bucket="mpu", Key="k", UploadId=uid,
                       MultipartUpload={"Parts": missing}) == ("InvalidPart", 400)


def test_invalid_part_order(s3):
    uid, parts = upload(s3, "k", [chunk(0, 5 * MiB), chunk(1, 5 * MiB), b"end"])
    # every non-final part is big enough: only the order is wrong
    code, message, status, _ = error_of(s3.complete_multipart_upload, Bucket="mpu", Key="k", UploadId=uid,
                                        MultipartUpload={"Parts": [parts[1], parts[0], parts[2]]})
    assert (code, status) == ("InvalidPartOrder", 400)
    assert message == ("The list of parts was not in ascending order. The parts list must be specified in "
                       "order by part number.")


def test_complete_without_parts_is_malformed(s3):
    uid = s3.create_multipart_upload(Bucket="mpu", Key="k")["UploadId"]
    code, _, status, _ = error_of(s3.complete_multipart_upload, Bucket="mpu", Key="k", UploadId=uid,
                                  MultipartUpload={"Parts": []})
    assert (code, status) == ("MalformedXML", 400)


@pytest.mark.parametrize("number", [0, 10001])
def test_part_number_out_of_range(s3, number):
    uid = s3.create_multipart_upload(Bucket="mpu", Key="k")["UploadId"]
    code, _, status, _ = error_of(s3.upload_part, Bucket="mpu", Key="k", UploadId=uid, PartNumber=number, Body=b"x")
    assert (code, status) == ("InvalidArgument", 400)


def test_list_parts_pagination(s3):
    bodies = [b"p1", b"part2", b"part-three"]
    uid, _ = upload(s3, "k", bodies)
    out = s3.list_parts(Bucket="mpu", Key="k", UploadId=uid, MaxParts=2)
    assert [p["PartNumber"] for p in out["Parts"]] == [1, 2]
    assert [p["Size"] for p in out["Parts"]] == [2, 5]
    assert out["Parts"][0]["ETag"] == '"' + hashlib.md5(b"p1").hexdigest() + '"'
    assert out["IsTruncated"] is True and out["NextPartNumberMarker"] == 2 and out["MaxParts"] == 2
    out = s3.list_parts(Bucket="mpu", Key="k", UploadId=uid, MaxParts=2, PartNumberMarker=2)
    assert [p["PartNumber"] for p in out["Parts"]] == [3]
    assert out["IsTruncated"] is False and out["PartNumberMarker"] == 2
    paginated = [p["PartNumber"] for page in s3.get_paginator("list_parts").paginate(
        Bucket="mpu", Key="k", UploadId=uid, PaginationConfig={"PageSize": 1}) for p in page["Parts"]]
    assert paginated == [1, 2, 3]


def test_list_multipart_uploads(s3):
    a = s3.create_multipart_upload(Bucket="mpu", Key="dir/a")["UploadId"]
    b = s3.create_multipart_upload(Bucket="mpu", Key="dir/b")["UploadId"]
    c = s3.create_multipart_upload(Bucket="mpu", Key="other")["UploadId"]
    out = s3.list_multipart_uploads(Bucket="mpu")
    assert [(u["Key"], u["UploadId"]) for u in out["Uploads"]] == [("dir/a", a), ("dir/b", b), ("other", c)]
    assert all("Initiated" in u for u in out["Uploads"])
    out = s3.list_multipart_uploads(Bucket="mpu", Prefix="dir/")
    assert [u["Key"] for u in out["Uploads"]] == ["dir/a", "dir/b"]
    out = s3.list_multipart_uploads(Bucket="mpu", Delimiter="/")
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["dir/"]
    assert [u["Key"] for u in out["Uploads"]] == ["other"]
    out = s3.list_multipart_uploads(Bucket="mpu", MaxUploads=1)
    assert out["IsTruncated"] is True and out["NextKeyMarker"] == "dir/a" and out["NextUploadIdMarker"] == a
    out = s3.list_multipart_uploads(Bucket="mpu", KeyMarker="dir/a", UploadIdMarker=a)
    assert [u["Key"] for u in out["Uploads"]] == ["dir/b", "other"]


def test_abort(s3):
    uid, parts = upload(s3, "k", [b"x"])
    out = s3.abort_multipart_upload(Bucket="mpu", Key="k", UploadId=uid)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 204
    code, message, status, _ = error_of(s3.list_parts, Bucket="mpu", Key="k", UploadId=uid)
    assert (code, status) == ("NoSuchUpload", 404)
    assert message == ("The specified upload does not exist. The upload ID may be invalid, or the upload may "
                       "have been aborted or completed.")
    assert code_status(s3.upload_part, Bucket="mpu", Key="k", UploadId=uid, PartNumber=2, Body=b"y") == \
        ("NoSuchUpload", 404)
    assert code_status(s3.complete_multipart_upload, Bucket="mpu", Key="k", UploadId=uid,
                       MultipartUpload={"Parts": parts}) == ("NoSuchUpload", 404)
    assert code_status(s3.abort_multipart_upload, Bucket="mpu", Key="k", UploadId=uid) == ("NoSuchUpload", 404)
    assert code_status(s3.head_object, Bucket="mpu", Key="k") == ("404", 404)


def test_upload_id_belongs_to_its_key(s3):
    uid, _ = upload(s3, "k", [b"x"])
    assert code_status(s3.list_parts, Bucket="mpu", Key="other", UploadId=uid) == ("NoSuchUpload", 404)


def test_upload_part_copy_with_range(s3):
    source = chunk(7, 6 * MiB)
    s3.put_object(Bucket="mpu", Key="source", Body=source)
    uid = s3.create_multipart_upload(Bucket="mpu", Key="dest")["UploadId"]
    first = s3.upload_part_copy(Bucket="mpu", Key="dest", UploadId=uid, PartNumber=1,
                                CopySource={"Bucket": "mpu", "Key": "source"},
                                CopySourceRange=f"bytes=0-{5 * MiB - 1}")
    assert first["CopyPartResult"]["ETag"] == '"' + hashlib.md5(source[:5 * MiB]).hexdigest() + '"'
    second = s3.upload_part_copy(Bucket="mpu", Key="dest", UploadId=uid, PartNumber=2,
                                 CopySource="mpu/source", CopySourceRange=f"bytes={5 * MiB}-{6 * MiB - 1}")
    parts = [{"PartNumber": 1, "ETag": first["CopyPartResult"]["ETag"]},
             {"PartNumber": 2, "ETag": second["CopyPartResult"]["ETag"]}]
    done = s3.complete_multipart_upload(Bucket="mpu", Key="dest", UploadId=uid, MultipartUpload={"Parts": parts})
    assert done["ETag"] == multipart_etag([source[:5 * MiB], source[5 * MiB:]])
    assert s3.get_object(Bucket="mpu", Key="dest")["Body"].read() == source


def test_upload_part_copy_bad_range(s3):
    s3.put_object(Bucket="mpu", Key="source", Body=b"0123456789")
    uid = s3.create_multipart_upload(Bucket="mpu", Key="dest")["UploadId"]
    # What S3 answers (observed, see versity/versitygw#610 and fsspec/s3fs#321).
    code, message, status, _ = error_of(s3.upload_part_copy, Bucket="mpu", Key="dest", UploadId=uid, PartNumber=1,
                                        CopySource="mpu/source", CopySourceRange="bytes=5-20")
    assert (code, status) == ("InvalidArgument", 400)
    assert message == "Range specified is not valid for source object of size: 10"


def test_multipart_with_checksum_algorithm(s3):
    import base64
    bodies = [chunk(0, 5 * MiB), b"last"]
    uid = s3.create_multipart_upload(Bucket="mpu", Key="k", ChecksumAlgorithm="SHA256")["UploadId"]
    parts = []
    for n, body in enumerate(bodies, start=1):
        out = s3.upload_part(Bucket="mpu", Key="k", UploadId=uid, PartNumber=n, Body=body, ChecksumAlgorithm="SHA256")
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        assert out["ChecksumSHA256"] == digest
        parts.append({"PartNumber": n, "ETag": out["ETag"], "ChecksumSHA256": digest})
    s3.complete_multipart_upload(Bucket="mpu", Key="k", UploadId=uid, MultipartUpload={"Parts": parts})
    head = s3.head_object(Bucket="mpu", Key="k", ChecksumMode="ENABLED")
    combined = hashlib.sha256(b"".join(hashlib.sha256(b).digest() for b in bodies)).digest()
    assert head["ChecksumSHA256"] == base64.b64encode(combined).decode() + "-2"


def test_versioned_multipart_gets_a_version(s3):
    s3.put_bucket_versioning(Bucket="mpu", VersioningConfiguration={"Status": "Enabled"})
    uid, parts = upload(s3, "k", [b"x"])
    done = s3.complete_multipart_upload(Bucket="mpu", Key="k", UploadId=uid, MultipartUpload={"Parts": parts})
    assert done["VersionId"]
    assert s3.head_object(Bucket="mpu", Key="k")["VersionId"] == done["VersionId"]


@pytest.mark.parametrize("v2", [False, True], ids=["cli-v1", "cli-v2"])
def test_cli_multipart_round_trip(hakobu, s3, tmp_path, v2):
    src = tmp_path / "twenty.bin"
    with open(src, "wb") as f:
        for i in range(20):
            f.write(chunk(i, MiB))
    cli(hakobu, "s3", "cp", str(src), "s3://mpu/cli/twenty.bin", v2=v2)
    data = src.read_bytes()
    back = tmp_path / "back.bin"
    cli(hakobu, "s3", "cp", "s3://mpu/cli/twenty.bin", str(back), v2=v2)
    assert hashlib.sha256(back.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
    assert "Uploads" not in s3.list_multipart_uploads(Bucket="mpu")
    head = s3.head_object(Bucket="mpu", Key="cli/twenty.bin")
    assert head["ETag"].endswith('-3"'), head["ETag"]  # 8 MiB parts: 8 + 8 + 4
    assert head["ETag"] == multipart_etag([data[:8 * MiB], data[8 * MiB:16 * MiB], data[16 * MiB:]])
    assert response_headers(head).get("content-length") == str(20 * MiB)
