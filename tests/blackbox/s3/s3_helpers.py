"""Shared bits of the S3 black-box tests: error capture, hand-signed requests (for headers and
hosts boto3 will not send), digests AWS uses (ETag, multipart ETag, flexible checksums), big
test files, the aws CLI with a long timeout, and a sampler of the server's resident memory."""
import base64
import hashlib
import hmac
import json
import os
import struct
import subprocess
import threading
import time
import zlib

import botocore.config
import botocore.exceptions
import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

DEV = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
PROD = {"aws_access_key_id": "prodkey", "aws_secret_access_key": "prodsecret"}
DEV_ACCOUNT = "000000000000"
PROD_ACCOUNT = "111111111111"
MiB = 1024 * 1024


# ---------------------------------------------------------------- errors


def error_of(call, *args, **kwargs):
    """Runs a boto3 call that must fail; returns (code, message, http status, full response)."""
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(*args, **kwargs)
    r = info.value.response
    return r["Error"].get("Code"), r["Error"].get("Message", ""), r["ResponseMetadata"]["HTTPStatusCode"], r


def code_status(call, *args, **kwargs):
    code, _, status, _ = error_of(call, *args, **kwargs)
    return code, status


def xml_field(text, name):
    """The text of the first <name>...</name> in an XML document (None when absent)."""
    start = text.find(f"<{name}>")
    if start < 0:
        return None
    start += len(name) + 2
    return text[start:text.find(f"</{name}>", start)]


def xml_fields(text, name):
    out, pos = [], 0
    while True:
        start = text.find(f"<{name}>", pos)
        if start < 0:
            return out
        start += len(name) + 2
        end = text.find(f"</{name}>", start)
        out.append(text[start:end])
        pos = end


# ---------------------------------------------------------------- digests


def md5_hex(data):
    return hashlib.md5(data).hexdigest()


def etag_of(data):
    return '"' + md5_hex(data) + '"'


def multipart_etag(parts):
    """AWS's multipart ETag: md5 of the concatenated binary part md5s, then '-<count>'."""
    digests = b"".join(hashlib.md5(p).digest() for p in parts)
    return '"' + hashlib.md5(digests).hexdigest() + f'-{len(parts)}"'


def b64(raw):
    return base64.b64encode(raw).decode()


def crc32_b64(data):
    return b64(struct.pack(">I", zlib.crc32(data) & 0xFFFFFFFF))


def _crc_table(poly):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (poly if c & 1 else 0)
        table.append(c)
    return table


_CRC32C = _crc_table(0x82F63B78)


def crc32c_b64(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC32C[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return b64(struct.pack(">I", crc ^ 0xFFFFFFFF))


def sha256_b64(data):
    return b64(hashlib.sha256(data).digest())


def sha1_b64(data):
    return b64(hashlib.sha1(data).digest())


def md5_b64(data):
    return b64(hashlib.md5(data).digest())


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(4 * MiB)
            if not block:
                return h.hexdigest()
            h.update(block)


# ---------------------------------------------------------------- hand-signed requests


class _FixedPayloadAuth(S3SigV4Auth):
    """Signs with a given x-amz-content-sha256 value (e.g. STREAMING-UNSIGNED-PAYLOAD-TRAILER)."""

    def __init__(self, credentials, service, region, payload_hash):
        super().__init__(credentials, service, region)
        self._payload_hash = payload_hash

    def payload(self, request):
        return self._payload_hash


def signed_request(hakobu, method, path, query="", headers=None, data=b"", creds=None, host=None,
                   region="us-east-1", unsigned_payload=False, payload_hash=None, timeout=30):
    """Sends one request signed with botocore's S3 SigV4 signer. `path` and `query` go on the
    wire exactly as given (already URI-encoded). `host` (e.g. "b.s3.localhost:PORT") is what the
    Host header says; the connection always goes to 127.0.0.1:PORT. Returns the requests
    response; its .signature attribute is the request's SigV4 signature."""
    creds = creds or DEV
    wire_host = host or f"127.0.0.1:{hakobu.port}"
    suffix = path + (("?" + query) if query else "")
    req = AWSRequest(method=method, url=f"http://{wire_host}{suffix}", data=data, headers=dict(headers or {}))
    if unsigned_payload:
        req.context["client_config"] = botocore.config.Config(s3={"payload_signing_enabled": False})
    credentials = Credentials(creds["aws_access_key_id"], creds["aws_secret_access_key"],
                              creds.get("aws_session_token"))
    if payload_hash:
        _FixedPayloadAuth(credentials, "s3", region, payload_hash).add_auth(req)
    else:
        S3SigV4Auth(credentials, "s3", region).add_auth(req)
    send = dict(req.headers.items())
    send["Host"] = wire_host
    return requests.request(method, f"{hakobu.url}{suffix}", data=data, headers=send, timeout=timeout,
                            allow_redirects=False)


def response_headers(response):
    """Lower-cased HTTP headers of a boto3 response (or of a ClientError's response)."""
    return response["ResponseMetadata"]["HTTPHeaders"]


# ---------------------------------------------------------------- policies


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


# ---------------------------------------------------------------- files and processes


def write_patterned_file(path, size):
    """A file of `size` bytes whose every MiB differs (a counter stamped into one random MiB), so
    a misplaced or duplicated part changes the digest. Written at disk speed."""
    block = bytearray(os.urandom(MiB))
    with open(path, "wb") as f:
        written, i = 0, 0
        while written < size:
            block[:16] = i.to_bytes(16, "big")
            n = min(MiB, size - written)
            f.write(block[:n])
            written += n
            i += 1
    return path


def cli(hakobu, *args, creds=None, region="us-east-1", v2=False, timeout=900, cwd=None, env=None):
    """The aws CLI (v1, or Debian's v2 with v2=True) against `hakobu`, like conftest's aws() but
    with a timeout long enough for big transfers."""
    creds = creds or DEV
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    e.update({
        "AWS_ACCESS_KEY_ID": creds["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": creds["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": os.path.join(hakobu.workdir, "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(hakobu.workdir, "no-aws-credentials"),
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_PAGER": "",
    })
    if env:
        e.update(env)
    exe = "/usr/bin/aws" if v2 else "aws"
    cmd = [exe, "--endpoint-url", hakobu.url, "--output", "json"] + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=timeout, cwd=cwd)
    assert p.returncode == 0, f"{cmd} failed ({p.returncode}):\nstdout: {p.stdout}\nstderr: {p.stderr}"
    return p


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class RssSampler:
    """Samples a process's VmRSS every `interval` seconds in a thread; .peak_kib is the maximum."""

    def __init__(self, pid, interval=0.05):
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak_kib = max(self.peak_kib, rss_kib(self.pid))
                self.samples += 1
            except OSError:
                return
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------- aws-chunked bodies (what SDKs send over HTTPS)


def _hmac(key, msg):
    return hmac.new(key, msg.encode() if isinstance(msg, str) else msg, hashlib.sha256).digest()


def unsigned_trailer_body(data, trailer_name="x-amz-checksum-crc32", trailer_value=None, chunk_size=64 * 1024):
    """STREAMING-UNSIGNED-PAYLOAD-TRAILER framing, as botocore sends over HTTPS."""
    out = b""
    for i in range(0, len(data), chunk_size):
        piece = data[i:i + chunk_size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    if trailer_value is None:
        trailer_value = crc32_b64(data)
    return out + b"0\r\n" + f"{trailer_name}:{trailer_value}\r\n\r\n".encode()


def put_unsigned_trailer(hakobu, path, data, trailer_name="x-amz-checksum-crc32", trailer_value=None, creds=None):
    body = unsigned_trailer_body(data, trailer_name, trailer_value)
    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(len(data)),
               "X-Amz-Trailer": trailer_name, "X-Amz-Sdk-Checksum-Algorithm": trailer_name.rsplit("-", 1)[1].upper()}
    return signed_request(hakobu, "PUT", path, headers=headers, data=body, creds=creds,
                          payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")


def put_signed_chunks(hakobu, path, data, chunk_size=64 * 1024, creds=None, region="us-east-1", tamper_chunk=None,
                      extra_headers=None):
    """STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk carries a signature chained from the seed
    (header) signature, as the Java/Go/.NET SDKs send. tamper_chunk=i corrupts chunk i's signature."""
    creds = creds or DEV
    pieces = [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)] + [b""]
    framed_len = sum(len(b"%x;chunk-signature=" % len(p)) + 64 + 2 + len(p) + 2 for p in pieces)
    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(len(data)),
               "Content-Length": str(framed_len)}
    headers.update(extra_headers or {})
    wire_host = f"127.0.0.1:{hakobu.port}"
    req = AWSRequest(method="PUT", url=f"http://{wire_host}{path}", data=b"", headers=headers)
    credentials = Credentials(creds["aws_access_key_id"], creds["aws_secret_access_key"],
                              creds.get("aws_session_token"))
    _FixedPayloadAuth(credentials, "s3", region, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD").add_auth(req)
    auth = req.headers["Authorization"]
    previous = auth.rsplit("Signature=", 1)[1]
    amz_date = req.headers["X-Amz-Date"]
    scope = f"{amz_date[:8]}/{region}/s3/aws4_request"
    key = _hmac(("AWS4" + creds["aws_secret_access_key"]).encode(), amz_date[:8])
    key = _hmac(_hmac(_hmac(key, region), "s3"), "aws4_request")
    empty = hashlib.sha256(b"").hexdigest()
    body = b""
    for i, piece in enumerate(pieces):
        to_sign = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous, empty,
                             hashlib.sha256(piece).hexdigest()])
        sig = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        previous = sig
        if tamper_chunk == i:
            sig = ("0" if sig[0] != "0" else "1") + sig[1:]
        body += b"%x;chunk-signature=%s\r\n" % (len(piece), sig.encode()) + piece + b"\r\n"
    assert len(body) == framed_len
    send = dict(req.headers.items())
    send["Host"] = wire_host
    return requests.put(f"{hakobu.url}{path}", data=body, headers=send, timeout=30)
