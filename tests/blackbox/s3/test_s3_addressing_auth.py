"""Addressing (path style, virtual-host style) and authentication on S3: presigned GET/PUT through
curl, expired and tampered presigned URLs, UNSIGNED-PAYLOAD, wrong secret, unknown key, anonymous."""
import subprocess
import time
import urllib.parse

import botocore
import botocore.config
import pytest
import requests

from s3_helpers import code_status, error_of, etag_of, signed_request, xml_field, xml_fields

BAD_SECRET = {"aws_access_key_id": "test", "aws_secret_access_key": "wrong"}
UNKNOWN_KEY = {"aws_access_key_id": "AKIANOSUCHKEY0000000", "aws_secret_access_key": "whatever"}


@pytest.fixture
def s3(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="auth")
    s3.put_object(Bucket="auth", Key="obj.txt", Body=b"secret stuff")
    return s3


@pytest.fixture
def presigner(client, s3):
    """boto3 presigns S3 URLs in us-east-1 with SigV2 unless told otherwise; these tests want SigV4."""
    return client("s3", signature_version="s3v4")


def curl(*args):
    p = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", *args], capture_output=True, timeout=120)
    body, _, status = p.stdout.rpartition(b"\n")
    return int(status), body


# ---------------------------------------------------------------- virtual-host style


@pytest.mark.parametrize("suffix", ["s3.localhost", "s3.amazonaws.com", "s3.us-east-1.amazonaws.com"])
def test_virtual_host_style(hakobu, s3, suffix):
    host = f"auth.{suffix}:{hakobu.port}"
    r = signed_request(hakobu, "PUT", "/vhost/key.txt", host=host, data=b"via vhost")
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == etag_of(b"via vhost")
    assert s3.get_object(Bucket="auth", Key="vhost/key.txt")["Body"].read() == b"via vhost"
    r = signed_request(hakobu, "GET", "/obj.txt", host=host)
    assert r.status_code == 200, r.text
    assert r.content == b"secret stuff"
    r = signed_request(hakobu, "GET", "/", query="list-type=2&prefix=vhost%2F", host=host)
    assert r.status_code == 200, r.text
    assert xml_field(r.text, "Name") == "auth"
    assert xml_fields(r.text, "Key") == ["vhost/key.txt"]
    r = signed_request(hakobu, "HEAD", "/", host=host)
    assert r.status_code == 200
    r = signed_request(hakobu, "DELETE", "/vhost/key.txt", host=host)
    assert r.status_code == 204


def test_virtual_host_missing_bucket(hakobu, s3):
    r = signed_request(hakobu, "GET", "/k", host=f"nobucket.s3.localhost:{hakobu.port}")
    assert r.status_code == 404
    assert xml_field(r.text, "Code") == "NoSuchBucket"


def test_virtual_host_create_bucket(hakobu, s3):
    r = signed_request(hakobu, "PUT", "/", host=f"made-by-vhost.s3.localhost:{hakobu.port}")
    assert r.status_code == 200, r.text
    s3.head_bucket(Bucket="made-by-vhost")


def test_path_style_with_localhost_name(hakobu, s3):
    r = signed_request(hakobu, "GET", "/auth/obj.txt", host=f"localhost:{hakobu.port}")
    assert r.status_code == 200, r.text
    assert r.content == b"secret stuff"


def test_list_buckets_at_root(hakobu, s3):
    r = signed_request(hakobu, "GET", "/")
    assert r.status_code == 200
    assert "auth" in xml_fields(r.text, "Name")
    assert r.headers.get("Content-Type", "").startswith("application/xml")


# ---------------------------------------------------------------- presigned URLs


def test_presigned_get_with_curl(s3, presigner):
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": "obj.txt"}, ExpiresIn=300)
    assert "X-Amz-Signature=" in url
    status, body = curl(url)
    assert status == 200
    assert body == b"secret stuff"


def test_presigned_get_with_overrides(s3, presigner):
    url = presigner.generate_presigned_url("get_object", ExpiresIn=300, Params={
        "Bucket": "auth", "Key": "obj.txt", "ResponseContentDisposition": 'attachment; filename="x.txt"'})
    r = requests.get(url, timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == 'attachment; filename="x.txt"'


def test_presigned_put_with_curl(s3, presigner, tmp_path):
    url = presigner.generate_presigned_url("put_object", Params={"Bucket": "auth", "Key": "up/loaded file.bin"},
                                    ExpiresIn=300)
    src = tmp_path / "f.bin"
    src.write_bytes(b"uploaded with curl" * 1000)
    status, body = curl("-T", str(src), url)
    assert status == 200, body
    assert s3.get_object(Bucket="auth", Key="up/loaded file.bin")["Body"].read() == src.read_bytes()


def test_presigned_put_with_signed_content_type(s3, presigner):
    url = presigner.generate_presigned_url("put_object", ExpiresIn=300,
                                    Params={"Bucket": "auth", "Key": "typed", "ContentType": "text/csv"})
    r = requests.put(url, data=b"a,b", headers={"Content-Type": "text/csv"}, timeout=10)
    assert r.status_code == 200, r.text
    assert s3.head_object(Bucket="auth", Key="typed")["ContentType"] == "text/csv"
    r = requests.put(url, data=b"a,b", headers={"Content-Type": "text/plain"}, timeout=10)
    assert r.status_code == 403
    assert xml_field(r.text, "Code") == "SignatureDoesNotMatch"


def test_presigned_url_boto3_default_signer(s3):
    """What boto3 and `aws s3 presign` hand out by default in us-east-1 (query-string SigV2:
    AWSAccessKeyId, Signature, Expires): S3 honours these in the regions that support SigV2."""
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": "obj.txt"}, ExpiresIn=300)
    assert "AWSAccessKeyId=" in url and "Signature=" in url
    status, body = curl(url)
    assert (status, body) == (200, b"secret stuff")
    # with a response-* sub-resource, which SigV2 signs
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": "obj.txt",
                                                          "ResponseContentType": "text/x-test"}, ExpiresIn=300)
    status, body = curl(url)
    assert (status, body) == (200, b"secret stuff")


def test_presigned_sigv2_tampered_and_expired(s3):
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": "obj.txt"}, ExpiresIn=300)
    status, body = curl(url.replace("obj.txt", "obj2.txt"))
    assert status == 403
    assert xml_field(body.decode(), "Code") == "SignatureDoesNotMatch"
    expired = s3.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": "obj.txt"}, ExpiresIn=-10)
    status, body = curl(expired)
    assert status == 403
    assert xml_field(body.decode(), "Message") == "Request has expired"


def test_presigned_sigv2_put(s3, tmp_path):
    url = s3.generate_presigned_url("put_object", Params={"Bucket": "auth", "Key": "v2-put.txt"}, ExpiresIn=300)
    src = tmp_path / "body.txt"
    src.write_bytes(b"uploaded with sigv2")
    out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--upload-file", str(src), url],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout == "200", out.stderr
    assert s3.get_object(Bucket="auth", Key="v2-put.txt")["Body"].read() == b"uploaded with sigv2"


def test_presigned_url_expired(s3, presigner):
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": "obj.txt"}, ExpiresIn=1)
    time.sleep(2)
    status, body = curl(url)
    text = body.decode()
    assert status == 403, text
    assert xml_field(text, "Code") == "AccessDenied"
    assert xml_field(text, "Message") == "Request has expired"
    assert xml_field(text, "X-Amz-Expires") == "1"


def test_presigned_url_tampered(s3, presigner):
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": "obj.txt"}, ExpiresIn=300)
    sig = url.rsplit("X-Amz-Signature=", 1)[1][:64]
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    status, body = curl(url.replace(sig, flipped))
    assert status == 403
    assert xml_field(body.decode(), "Code") == "SignatureDoesNotMatch"
    # Same signature, another key: also a mismatch.
    s3.put_object(Bucket="auth", Key="other.txt", Body=b"other")
    status, body = curl(url.replace("/auth/obj.txt", "/auth/other.txt"))
    assert status == 403
    assert xml_field(body.decode(), "Code") == "SignatureDoesNotMatch"
    # Stretching the lifetime breaks the signature too.
    status, body = curl(url.replace("X-Amz-Expires=300", "X-Amz-Expires=600"))
    assert status == 403
    assert xml_field(body.decode(), "Code") == "SignatureDoesNotMatch"


def test_presigned_expires_out_of_range(s3, presigner):
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": "obj.txt"}, ExpiresIn=604801)
    status, body = curl(url)
    assert status == 400
    assert xml_field(body.decode(), "Code") == "AuthorizationQueryParametersError"


def test_presigned_with_wrong_secret(client, s3):
    bad = client("s3", account=BAD_SECRET, signature_version="s3v4")
    url = bad.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": "obj.txt"}, ExpiresIn=300)
    status, body = curl(url)
    assert status == 403
    assert xml_field(body.decode(), "Code") == "SignatureDoesNotMatch"


# ---------------------------------------------------------------- header auth


def test_unsigned_payload(client, s3):
    unsigned = client("s3", s3={"payload_signing_enabled": False})
    unsigned.put_object(Bucket="auth", Key="unsigned", Body=b"not hashed by the signer")
    assert s3.get_object(Bucket="auth", Key="unsigned")["Body"].read() == b"not hashed by the signer"


def test_unsigned_payload_by_hand(hakobu, s3):
    r = signed_request(hakobu, "PUT", "/auth/by-hand", data=b"payload", unsigned_payload=True)
    assert r.status_code == 200, r.text
    assert s3.get_object(Bucket="auth", Key="by-hand")["Body"].read() == b"payload"


def test_wrong_secret(client, s3):
    bad = client("s3", account=BAD_SECRET)
    code, message, status, resp = error_of(bad.get_object, Bucket="auth", Key="obj.txt")
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert message == ("The request signature we calculated does not match the signature you provided. "
                       "Check your key and signing method.")
    assert resp["Error"].get("AWSAccessKeyId") == "test"
    assert code_status(bad.put_object, Bucket="auth", Key="x", Body=b"x") == ("SignatureDoesNotMatch", 403)
    assert code_status(bad.list_buckets) == ("SignatureDoesNotMatch", 403)


def test_wrong_secret_on_head_is_bare_403(client, s3):
    assert code_status(client("s3", account=BAD_SECRET).head_object, Bucket="auth", Key="obj.txt") == ("403", 403)


def test_unknown_key(client, s3):
    code, message, status, resp = error_of(client("s3", account=UNKNOWN_KEY).get_object, Bucket="auth",
                                           Key="obj.txt")
    assert (code, status) == ("InvalidAccessKeyId", 403)
    assert message == "The AWS Access Key Id you provided does not exist in our records."
    assert resp["Error"].get("AWSAccessKeyId") == "AKIANOSUCHKEY0000000"


def test_anonymous_is_denied(hakobu, s3):
    anon = hakobu.client("s3", signature_version=botocore.UNSIGNED)
    code, message, status, _ = error_of(anon.get_object, Bucket="auth", Key="obj.txt")
    assert (code, status) == ("AccessDenied", 403)
    assert message == "Access Denied"
    assert code_status(anon.put_object, Bucket="auth", Key="anon", Body=b"x") == ("AccessDenied", 403)
    assert code_status(anon.list_objects_v2, Bucket="auth") == ("AccessDenied", 403)
    assert code_status(anon.list_buckets) == ("AccessDenied", 403)
    r = requests.get(f"{hakobu.url}/auth/obj.txt", timeout=10)
    assert r.status_code == 403 and xml_field(r.text, "Code") == "AccessDenied"


def test_skewed_clock(hakobu, s3):
    import datetime
    from unittest import mock
    old = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=20)
    with mock.patch("botocore.auth.get_current_datetime", return_value=old):
        r = signed_request(hakobu, "GET", "/auth/obj.txt")
    assert r.status_code == 403
    assert xml_field(r.text, "Code") == "RequestTimeTooSkewed"


def test_session_credentials_work_on_s3(client, s3):
    from s3_helpers import policy
    iam = client("iam")
    iam.create_role(RoleName="reader", AssumeRolePolicyDocument=policy({
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "sts:AssumeRole"}))
    iam.put_role_policy(RoleName="reader", PolicyName="read", PolicyDocument=policy({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::auth/*"}))
    c = client("sts").assume_role(RoleArn="arn:aws:iam::000000000000:role/reader",
                                  RoleSessionName="session")["Credentials"]
    creds = {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"],
             "aws_session_token": c["SessionToken"]}
    role_s3 = client("s3", account=creds)
    assert role_s3.get_object(Bucket="auth", Key="obj.txt")["Body"].read() == b"secret stuff"
    assert code_status(role_s3.put_object, Bucket="auth", Key="x", Body=b"x") == ("AccessDenied", 403)
    url = client("s3", account=creds, signature_version="s3v4").generate_presigned_url(
        "get_object", Params={"Bucket": "auth", "Key": "obj.txt"})
    assert "X-Amz-Security-Token=" in url
    assert requests.get(url, timeout=10).content == b"secret stuff"


def test_encoded_key_in_presigned_url(s3, presigner):
    key = "dir/ü space+plus.txt"
    s3.put_object(Bucket="auth", Key=key, Body=b"odd")
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": "auth", "Key": key}, ExpiresIn=60)
    assert urllib.parse.quote(key, safe="/~") in url
    status, body = curl(url)
    assert (status, body) == (200, b"odd")
