"""Integrity: the ETag is the quoted MD5, flexible checksums (CRC32 by default from botocore 1.43,
SHA256/SHA1 computed by botocore, CRC32C supplied by us) are verified, stored and returned with
ChecksumMode=ENABLED; wrong digests are refused."""
import hashlib

import pytest

from s3_helpers import (b64, code_status, crc32_b64, crc32c_b64, error_of, etag_of, md5_b64, response_headers,
                        sha1_b64, sha256_b64, signed_request)

BODY = b"The quick brown fox jumps over the lazy dog"


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="sums")
    return s3


def test_default_upload_carries_crc32(s3):
    put = s3.put_object(Bucket="sums", Key="k", Body=BODY)
    assert put["ETag"] == etag_of(BODY)
    assert put.get("ChecksumCRC32") == crc32_b64(BODY)
    head = s3.head_object(Bucket="sums", Key="k", ChecksumMode="ENABLED")
    assert head.get("ChecksumCRC32") == crc32_b64(BODY)
    got = s3.get_object(Bucket="sums", Key="k", ChecksumMode="ENABLED")
    assert got.get("ChecksumCRC32") == crc32_b64(BODY)
    assert got["Body"].read() == BODY


def test_checksum_not_returned_without_checksum_mode(hakobu, s3):
    s3.put_object(Bucket="sums", Key="k", Body=BODY)
    r = signed_request(hakobu, "HEAD", "/sums/k")
    assert r.status_code == 200
    assert not any(h.lower().startswith("x-amz-checksum-") for h in r.headers)
    r = signed_request(hakobu, "HEAD", "/sums/k", headers={"x-amz-checksum-mode": "ENABLED"})
    assert r.headers.get("x-amz-checksum-crc32") == crc32_b64(BODY)


@pytest.mark.parametrize("algorithm,member,expected", [
    ("SHA256", "ChecksumSHA256", sha256_b64(BODY)),
    ("SHA1", "ChecksumSHA1", sha1_b64(BODY)),
    ("CRC32", "ChecksumCRC32", crc32_b64(BODY)),
])
def test_algorithm_chosen_by_the_client(s3, algorithm, member, expected):
    put = s3.put_object(Bucket="sums", Key="k", Body=BODY, ChecksumAlgorithm=algorithm)
    assert put[member] == expected
    head = s3.head_object(Bucket="sums", Key="k", ChecksumMode="ENABLED")
    assert head[member] == expected
    assert "ChecksumCRC32C" not in head
    got = s3.get_object(Bucket="sums", Key="k", ChecksumMode="ENABLED")
    assert got[member] == expected
    assert got["Body"].read() == BODY


def test_crc32c_supplied_by_the_caller(s3):
    # botocore needs awscrt to compute CRC32C; we compute it ourselves and send the header.
    value = crc32c_b64(BODY)
    assert crc32c_b64(b"123456789") == b64(bytes.fromhex("e3069283"))  # the CRC-32C check value
    put = s3.put_object(Bucket="sums", Key="k", Body=BODY, ChecksumCRC32C=value)
    assert put["ChecksumCRC32C"] == value
    head = s3.head_object(Bucket="sums", Key="k", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32C"] == value
    assert "ChecksumCRC32" not in head


def test_ranged_get_has_no_full_object_checksum(s3):
    s3.put_object(Bucket="sums", Key="k", Body=BODY, ChecksumAlgorithm="SHA256")
    got = s3.get_object(Bucket="sums", Key="k", Range="bytes=0-2", ChecksumMode="ENABLED")
    assert got["Body"].read() == BODY[:3]
    assert "ChecksumSHA256" not in got


@pytest.mark.parametrize("member,wrong", [
    ("ChecksumCRC32", crc32_b64(b"something else")),
    ("ChecksumCRC32C", crc32c_b64(b"something else")),
    ("ChecksumSHA1", sha1_b64(b"something else")),
    ("ChecksumSHA256", sha256_b64(b"something else")),
])
def test_wrong_flexible_checksum_is_bad_digest(s3, member, wrong):
    code, _, status, _ = error_of(s3.put_object, Bucket="sums", Key="k", Body=BODY, **{member: wrong})
    assert (code, status) == ("BadDigest", 400)
    assert code_status(s3.head_object, Bucket="sums", Key="k") == ("404", 404)


def test_wrong_content_md5_is_bad_digest(s3):
    code, message, status, _ = error_of(s3.put_object, Bucket="sums", Key="k", Body=BODY,
                                        ContentMD5=md5_b64(b"something else"))
    assert (code, status) == ("BadDigest", 400)
    assert message == "The Content-MD5 you specified did not match what we received."
    assert code_status(s3.head_object, Bucket="sums", Key="k") == ("404", 404)


@pytest.mark.parametrize("value", ["not-base64!", b64(b"short")])
def test_malformed_content_md5_is_invalid_digest(s3, value):
    code, _, status, _ = error_of(s3.put_object, Bucket="sums", Key="k", Body=BODY, ContentMD5=value)
    assert (code, status) == ("InvalidDigest", 400)


def test_right_content_md5_is_accepted(s3):
    put = s3.put_object(Bucket="sums", Key="k", Body=BODY, ContentMD5=md5_b64(BODY))
    assert put["ETag"] == '"' + hashlib.md5(BODY).hexdigest() + '"'


def test_wrong_payload_sha256_is_refused(hakobu, s3):
    """The signed x-amz-content-sha256 must match the body: AWS answers XAmzContentSHA256Mismatch."""
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    import requests
    url = f"{hakobu.url}/sums/k"
    req = AWSRequest(method="PUT", url=url, data=b"what was signed")
    S3SigV4Auth(Credentials("test", "test"), "s3", "us-east-1").add_auth(req)
    r = requests.put(url, data=b"what was sent!!", headers=dict(req.headers.items()), timeout=10)
    assert r.status_code == 400, r.text
    assert "<Code>XAmzContentSHA256Mismatch</Code>" in r.text
    assert code_status(s3.head_object, Bucket="sums", Key="k") == ("404", 404)


def test_checksum_header_on_put_response(hakobu, s3):
    r = signed_request(hakobu, "PUT", "/sums/raw", data=BODY,
                       headers={"x-amz-checksum-sha256": sha256_b64(BODY)})
    assert r.status_code == 200, r.text
    assert r.headers.get("x-amz-checksum-sha256") == sha256_b64(BODY)
    assert r.headers.get("ETag") == etag_of(BODY)
    head = s3.head_object(Bucket="sums", Key="raw", ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == sha256_b64(BODY)
    assert response_headers(head).get("x-amz-checksum-sha256") == sha256_b64(BODY)


# ---------------------------------------------------------------- aws-chunked uploads


def test_aws_chunked_unsigned_trailer(hakobu, s3):
    """What botocore sends over HTTPS: aws-chunked framing with a CRC32 trailer."""
    from s3_helpers import put_unsigned_trailer
    data = b"hello world"
    r = put_unsigned_trailer(hakobu, "/sums/chunked", data)
    assert r.status_code == 200, r.text
    assert r.headers.get("ETag") == etag_of(data)
    got = s3.get_object(Bucket="sums", Key="chunked", ChecksumMode="ENABLED")
    assert got["Body"].read() == data
    assert got["ContentLength"] == 11
    assert got.get("ContentEncoding") in (None, "")  # aws-chunked is not stored
    assert got["ChecksumCRC32"] == "DUoRhQ=="
    big = bytes(range(256)) * 1000
    r = put_unsigned_trailer(hakobu, "/sums/chunked-big", big)
    assert r.status_code == 200, r.text
    assert s3.get_object(Bucket="sums", Key="chunked-big")["Body"].read() == big


def test_aws_chunked_wrong_trailer_is_bad_digest(hakobu, s3):
    from s3_helpers import put_unsigned_trailer
    r = put_unsigned_trailer(hakobu, "/sums/chunked", b"hello world", trailer_value=crc32_b64(b"other"))
    assert r.status_code == 400, r.text
    assert "<Code>BadDigest</Code>" in r.text
    assert code_status(s3.head_object, Bucket="sums", Key="chunked") == ("404", 404)


def test_aws_chunked_sha256_trailer(hakobu, s3):
    from s3_helpers import put_unsigned_trailer
    data = b"x" * 100000
    r = put_unsigned_trailer(hakobu, "/sums/t256", data, trailer_name="x-amz-checksum-sha256",
                             trailer_value=sha256_b64(data))
    assert r.status_code == 200, r.text
    assert s3.head_object(Bucket="sums", Key="t256", ChecksumMode="ENABLED")["ChecksumSHA256"] == sha256_b64(data)


def test_aws_chunked_signed_chunks(hakobu, s3):
    """STREAMING-AWS4-HMAC-SHA256-PAYLOAD, as the Java/Go/.NET SDKs send."""
    from s3_helpers import put_signed_chunks
    data = bytes(range(256)) * 700  # three 64 KiB chunks and a short one
    r = put_signed_chunks(hakobu, "/sums/signed-chunks", data, extra_headers={"Content-Type": "text/x-test"})
    assert r.status_code == 200, r.text
    assert r.headers.get("ETag") == etag_of(data)
    got = s3.get_object(Bucket="sums", Key="signed-chunks")
    assert got["Body"].read() == data
    assert got["ContentType"] == "text/x-test"


def test_aws_chunked_bad_chunk_signature(hakobu, s3):
    from s3_helpers import put_signed_chunks
    r = put_signed_chunks(hakobu, "/sums/bad-chunks", b"z" * 200000, tamper_chunk=1)
    assert r.status_code == 403, r.text
    assert "<Code>SignatureDoesNotMatch</Code>" in r.text
    assert code_status(s3.head_object, Bucket="sums", Key="bad-chunks") == ("404", 404)


def test_head_errors_have_no_body(hakobu, s3):
    r = signed_request(hakobu, "HEAD", "/sums/missing")
    assert r.status_code == 404
    assert r.content == b""
    r = signed_request(hakobu, "HEAD", "/no-such-bucket-here")
    assert r.status_code == 404
    assert r.content == b""
