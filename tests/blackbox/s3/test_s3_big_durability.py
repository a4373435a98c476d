"""Big transfers stream (the server's resident memory stays small) and acknowledged writes survive
kill -9; an interrupted upload leaves nothing behind. These tests move up to ~1.5 GiB each:
deselect them with -m "not slow"."""
import hashlib
import http.client
import os
import shutil
import subprocess
import time

import pytest

from conftest import TWO_ACCOUNTS
from s3_helpers import MiB, RssSampler, cli, code_status, file_sha256, multipart_etag, write_patterned_file

pytestmark = pytest.mark.slow

RSS_LIMIT_KIB = 100 * 1024


@pytest.fixture
def big_dir(tmp_path):
    d = tmp_path / "big"
    d.mkdir()
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.mark.parametrize("v2", [False, True], ids=["cli-v1", "cli-v2"])
def test_cli_big_file_round_trip_in_bounded_memory(start_hakobu, big_dir, v2):
    server = start_hakobu(TWO_ACCOUNTS)
    server.client("s3").create_bucket(Bucket="big")
    size = 1536 * MiB + 12345  # not a multiple of the part size
    src = write_patterned_file(str(big_dir / "src.bin"), size)
    with RssSampler(server.proc.pid) as up:
        cli(server, "s3", "cp", src, "s3://big/huge.bin", v2=v2)
    dst = str(big_dir / "dst.bin")
    with RssSampler(server.proc.pid) as down:
        cli(server, "s3", "cp", "s3://big/huge.bin", dst, v2=v2)
    assert os.path.getsize(dst) == size
    assert file_sha256(dst) == file_sha256(src)
    print(f"peak RSS: upload {up.peak_kib} KiB, download {down.peak_kib} KiB")
    assert up.samples > 10 and down.samples > 10
    assert up.peak_kib < RSS_LIMIT_KIB, f"upload peak RSS {up.peak_kib} KiB"
    assert down.peak_kib < RSS_LIMIT_KIB, f"download peak RSS {down.peak_kib} KiB"
    head = server.client("s3").head_object(Bucket="big", Key="huge.bin")
    assert head["ETag"].endswith('-193"'), head["ETag"]  # ceil(size / 8 MiB) parts
    assert head["ContentLength"] == size


def test_presigned_put_and_get_of_a_large_body_with_curl(start_hakobu, big_dir):
    server = start_hakobu(TWO_ACCOUNTS)
    s3 = server.client("s3")
    s3.create_bucket(Bucket="big")
    size = 1024 * MiB + 7
    src = write_patterned_file(str(big_dir / "src.bin"), size)
    presigner = server.client("s3", signature_version="s3v4")
    put_url = presigner.generate_presigned_url("put_object", Params={"Bucket": "big", "Key": "curl.bin"},
                                               ExpiresIn=600)
    with RssSampler(server.proc.pid) as up:
        p = subprocess.run(["curl", "-sS", "-f", "-T", src, put_url], capture_output=True, timeout=600)
    assert p.returncode == 0, p.stderr
    get_url = presigner.generate_presigned_url("get_object", Params={"Bucket": "big", "Key": "curl.bin"},
                                               ExpiresIn=600)
    dst = str(big_dir / "dst.bin")
    with RssSampler(server.proc.pid) as down:
        p = subprocess.run(["curl", "-sS", "-f", "-o", dst, get_url], capture_output=True, timeout=600)
    assert p.returncode == 0, p.stderr
    assert file_sha256(dst) == file_sha256(src)
    print(f"peak RSS: upload {up.peak_kib} KiB, download {down.peak_kib} KiB")
    assert up.peak_kib < RSS_LIMIT_KIB, f"upload peak RSS {up.peak_kib} KiB"
    assert down.peak_kib < RSS_LIMIT_KIB, f"download peak RSS {down.peak_kib} KiB"
    with open(src, "rb") as f:
        md5 = hashlib.md5()
        for block in iter(lambda: f.read(4 * MiB), b""):
            md5.update(block)
    head = s3.head_object(Bucket="big", Key="curl.bin")
    assert head["ETag"] == f'"{md5.hexdigest()}"'
    assert head["ContentLength"] == size


def test_kill9_during_a_large_upload_leaves_no_object(start_hakobu):
    server = start_hakobu(TWO_ACCOUNTS)
    s3 = server.client("s3")
    s3.create_bucket(Bucket="dur")
    s3.put_bucket_versioning(Bucket="dur", VersioningConfiguration={"Status": "Enabled"})
    acknowledged = {}
    for i in range(50):
        body = f"acknowledged {i}".encode() * (i + 1)
        s3.put_object(Bucket="dur", Key=f"ok/{i}", Body=body)
        acknowledged[f"ok/{i}"] = body
    s3.put_object(Bucket="dur", Key="partial.bin", Body=b"the previous version")  # must survive untouched
    big = os.urandom(MiB) * 8
    mpu_body = [big[:5 * MiB], b"tail"]
    uid = s3.create_multipart_upload(Bucket="dur", Key="mpu.bin")["UploadId"]
    parts = [{"PartNumber": n, "ETag": s3.upload_part(Bucket="dur", Key="mpu.bin", UploadId=uid, PartNumber=n,
                                                        Body=b)["ETag"]} for n, b in enumerate(mpu_body, 1)]

    url = server.client("s3", signature_version="s3v4").generate_presigned_url(
        "put_object", Params={"Bucket": "dur", "Key": "partial.bin"}, ExpiresIn=600)
    path_and_query = url.split(f":{server.port}", 1)[1]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest("PUT", path_and_query, skip_accept_encoding=True)
    conn.putheader("Content-Length", str(512 * MiB))
    conn.endheaders()
    sent = 0
    while sent < 200 * MiB:  # well into the body, far from its end
        conn.send(big)
        sent += len(big)
    time.sleep(0.2)
    server.kill9()
    conn.close()
    server.start(port=server.port)

    s3 = server.client("s3")
    assert s3.get_object(Bucket="dur", Key="partial.bin")["Body"].read() == b"the previous version"
    assert len(s3.list_object_versions(Bucket="dur", Prefix="partial.bin")["Versions"]) == 1
    for key, body in acknowledged.items():
        assert s3.get_object(Bucket="dur", Key=key)["Body"].read() == body, key
    assert s3.list_objects_v2(Bucket="dur", Prefix="ok/")["KeyCount"] == 50
    # The multipart upload in progress survived too, and can be completed.
    done = s3.complete_multipart_upload(Bucket="dur", Key="mpu.bin", UploadId=uid, MultipartUpload={"Parts": parts})
    assert done["ETag"] == multipart_etag(mpu_body)
    assert s3.get_object(Bucket="dur", Key="mpu.bin")["Body"].read() == b"".join(mpu_body)


def test_kill9_during_a_first_upload_leaves_no_key(start_hakobu):
    server = start_hakobu(TWO_ACCOUNTS)
    s3 = server.client("s3")
    s3.create_bucket(Bucket="dur")
    s3.put_object(Bucket="dur", Key="before", Body=b"acknowledged")
    url = server.client("s3", signature_version="s3v4").generate_presigned_url(
        "put_object", Params={"Bucket": "dur", "Key": "never.bin"}, ExpiresIn=600)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest("PUT", url.split(f":{server.port}", 1)[1], skip_accept_encoding=True)
    conn.putheader("Content-Length", str(256 * MiB))
    conn.endheaders()
    block = os.urandom(MiB)
    for _ in range(100):
        conn.send(block)
    time.sleep(0.2)
    server.restart()  # kill -9, then start on the same port and data dir
    conn.close()
    s3 = server.client("s3")
    assert code_status(s3.get_object, Bucket="dur", Key="never.bin") == ("NoSuchKey", 404)
    assert s3.get_object(Bucket="dur", Key="before")["Body"].read() == b"acknowledged"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="dur")["Contents"]] == ["before"]


def test_kill9_right_after_complete_multipart_upload(start_hakobu):
    server = start_hakobu(TWO_ACCOUNTS)
    s3 = server.client("s3")
    s3.create_bucket(Bucket="dur")
    bodies = [os.urandom(5 * MiB), os.urandom(5 * MiB), os.urandom(3 * MiB)]
    uid = s3.create_multipart_upload(Bucket="dur", Key="done.bin")["UploadId"]
    parts = [{"PartNumber": n, "ETag": s3.upload_part(Bucket="dur", Key="done.bin", UploadId=uid, PartNumber=n,
                                                        Body=b)["ETag"]} for n, b in enumerate(bodies, 1)]
    done = s3.complete_multipart_upload(Bucket="dur", Key="done.bin", UploadId=uid, MultipartUpload={"Parts": parts})
    server.restart()  # kill -9 the moment the 200 arrived
    s3 = server.client("s3")
    got = s3.get_object(Bucket="dur", Key="done.bin")
    assert got["ETag"] == done["ETag"] == multipart_etag(bodies)
    assert hashlib.sha256(got["Body"].read()).digest() == hashlib.sha256(b"".join(bodies)).digest()
    assert code_status(s3.list_parts, Bucket="dur", Key="done.bin", UploadId=uid) == ("NoSuchUpload", 404)


def test_kill9_after_puts_copies_and_deletes(start_hakobu):
    server = start_hakobu(TWO_ACCOUNTS)
    s3 = server.client("s3")
    s3.create_bucket(Bucket="dur")
    s3.put_bucket_policy(Bucket="dur", Policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
                         '"Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject",'
                         '"Resource":"arn:aws:s3:::dur/*"}]}')
    s3.put_bucket_tagging(Bucket="dur", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    s3.put_object(Bucket="dur", Key="a", Body=b"a", Metadata={"m": "1"}, Tagging="t=1")
    s3.copy_object(Bucket="dur", Key="b", CopySource="dur/a")
    s3.put_object(Bucket="dur", Key="gone", Body=b"x")
    s3.delete_object(Bucket="dur", Key="gone")
    server.restart()
    s3 = server.client("s3")
    assert s3.get_object(Bucket="dur", Key="b")["Body"].read() == b"a"
    assert s3.head_object(Bucket="dur", Key="a")["Metadata"] == {"m": "1"}
    assert s3.get_object_tagging(Bucket="dur", Key="a")["TagSet"] == [{"Key": "t", "Value": "1"}]
    assert code_status(s3.head_object, Bucket="dur", Key="gone") == ("404", 404)
    assert s3.get_bucket_tagging(Bucket="dur")["TagSet"] == [{"Key": "k", "Value": "v"}]
    prod = server.client("s3", creds={"aws_access_key_id": "prodkey", "aws_secret_access_key": "prodsecret"})
    assert prod.get_object(Bucket="dur", Key="a")["Body"].read() == b"a"
