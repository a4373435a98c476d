"""The OCI distribution front of ECR (/v2/ on hakobu's port), over raw HTTP: authentication with
GetAuthorizationToken's password, blob uploads (monolithic, chunked, streamed, mounts), ranged
reads, manifests of the four media types with Accept negotiation, tags/catalog pagination,
referrers, and IAM (cross-account through repository policies, identity-policy denials)."""
import base64
import json
import os

import pytest

from conftest import DEV, DEV_ACCOUNT, PROD, PROD_ACCOUNT
from ecr_helpers import (DOCKER_LIST, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, RegistryClient, login_password,
                         repo_path, sha256)

APP = repo_path(DEV_ACCOUNT, "team/app")


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture
def reg(hakobu):
    hakobu.client("ecr").create_repository(repositoryName="team/app")
    return RegistryClient(hakobu.url, login_password(hakobu, DEV))


def api_version(r):
    assert r.headers.get("Docker-Distribution-Api-Version") == "registry/2.0", r


# --- authentication ---------------------------------------------------------------------------

def test_ping_without_credentials_is_a_basic_challenge(hakobu):
    r = RegistryClient(hakobu.url).request("GET", "/v2/")
    assert r.status == 401
    api_version(r)
    assert r.headers["WWW-Authenticate"] == \
        f'Basic realm="http://127.0.0.1:{hakobu.port}/",service="ecr.amazonaws.com"'
    assert r.error_code == "UNAUTHORIZED"


def test_ping_with_the_login_password(hakobu):
    r = RegistryClient(hakobu.url, login_password(hakobu, DEV)).request("GET", "/v2/")
    assert r.status == 200, r
    api_version(r)
    assert r.json == {}


def test_wrong_passwords_and_users_are_refused(hakobu):
    password = login_password(hakobu, DEV)
    for client in (RegistryClient(hakobu.url, password[:-2] + "xx"), RegistryClient(hakobu.url, "nonsense"),
                   RegistryClient(hakobu.url, password, user="admin")):
        r = client.request("GET", "/v2/")
        assert r.status == 401, r
        assert r.error_code == "UNAUTHORIZED"
        assert r.headers["WWW-Authenticate"].startswith("Basic realm=")


def test_token_of_a_deleted_access_key_stops_working(hakobu):
    iam = hakobu.client("iam")
    iam.create_user(UserName="ci")
    iam.put_user_policy(UserName="ci", PolicyName="ecr", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}))
    key = iam.create_access_key(UserName="ci")["AccessKey"]
    creds = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
    client = RegistryClient(hakobu.url, login_password(hakobu, creds))
    assert client.request("GET", "/v2/").status == 200
    iam.delete_access_key(UserName="ci", AccessKeyId=key["AccessKeyId"])
    assert client.request("GET", "/v2/").status == 401


def test_expired_token_is_401(start_hakobu):
    from conftest import TWO_ACCOUNTS
    server = start_hakobu(TWO_ACCOUNTS, extra_args=["--clock-control"])
    client = RegistryClient(server.url, login_password(server, DEV))
    assert client.request("GET", "/v2/").status == 200
    import urllib.request
    req = urllib.request.Request(server.url + "/_hakobu/clock", method="POST",
                                 data=json.dumps({"advance_seconds": 12 * 3600 + 5}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.status == 200
    r = client.request("GET", "/v2/")
    assert r.status == 401, r
    assert "expired" in r.json["errors"][0]["message"]


# --- names ------------------------------------------------------------------------------------

def test_unknown_repository_and_names_without_account(reg):
    r = reg.request("GET", f"/v2/{DEV_ACCOUNT}/nope/tags/list")
    assert r.status == 404
    assert r.error_code == "NAME_UNKNOWN"
    assert r.json["errors"][0]["message"] == f"repository '{DEV_ACCOUNT}/nope' not found"
    r = reg.request("GET", "/v2/team/app/tags/list")
    assert r.status == 404 and r.error_code == "NAME_UNKNOWN"
    r = reg.request("GET", f"/v2/{DEV_ACCOUNT}/Upper/tags/list")
    assert r.status == 400 and r.error_code == "NAME_INVALID"


def test_region_in_the_path_names_another_region(hakobu):
    hakobu.client("ecr", region="eu-west-1").create_repository(repositoryName="euro")
    reg = RegistryClient(hakobu.url, login_password(hakobu, DEV))
    digest = reg.push_blob(repo_path(DEV_ACCOUNT, "euro", "eu-west-1"), b"in europe")
    assert reg.request("HEAD", f"/v2/{DEV_ACCOUNT}/eu-west-1/euro/blobs/{digest}").status == 200
    assert reg.request("HEAD", f"/v2/{DEV_ACCOUNT}/euro/blobs/{digest}").status == 404


# --- blobs ------------------------------------------------------------------------------------

def test_monolithic_upload_then_head_get_and_ranges(reg):
    data = os.urandom(1000)
    r = reg.request("POST", f"/v2/{APP}/blobs/uploads/?digest={sha256(data)}", body=data)
    assert r.status == 201, r
    api_version(r)
    assert r.headers["Location"] == f"/v2/{APP}/blobs/{sha256(data)}"
    assert r.headers["Docker-Content-Digest"] == sha256(data)

    r = reg.request("HEAD", f"/v2/{APP}/blobs/{sha256(data)}")
    assert r.status == 200
    assert r.headers["Content-Length"] == "1000"
    assert r.headers["Docker-Content-Digest"] == sha256(data)
    assert r.headers["Content-Type"] == "application/octet-stream"
    assert r.headers["Accept-Ranges"] == "bytes"

    r = reg.request("GET", f"/v2/{APP}/blobs/{sha256(data)}")
    assert r.status == 200 and r.body == data

    r = reg.request("GET", f"/v2/{APP}/blobs/{sha256(data)}", headers={"Range": "bytes=100-199"})
    assert r.status == 206
    assert r.headers["Content-Range"] == "bytes 100-199/1000"
    assert r.body == data[100:200]
    r = reg.request("GET", f"/v2/{APP}/blobs/{sha256(data)}", headers={"Range": "bytes=-10"})
    assert r.status == 206 and r.body == data[-10:]
    r = reg.request("GET", f"/v2/{APP}/blobs/{sha256(data)}", headers={"Range": "bytes=990-5000"})
    assert r.status == 206 and r.body == data[990:]
    r = reg.request("GET", f"/v2/{APP}/blobs/{sha256(data)}", headers={"Range": "bytes=1000-"})
    assert r.status == 416
    assert r.headers["Content-Range"] == "bytes */1000"


def test_blob_errors(reg):
    missing = sha256(b"never pushed")
    r = reg.request("HEAD", f"/v2/{APP}/blobs/{missing}")
    assert r.status == 404 and r.body == b""
    r = reg.request("GET", f"/v2/{APP}/blobs/{missing}")
    assert r.status == 404 and r.error_code == "BLOB_UNKNOWN"
    r = reg.request("GET", f"/v2/{APP}/blobs/sha256:nothex")
    assert r.status == 400 and r.error_code == "DIGEST_INVALID"
    digest = reg.push_blob(APP, b"keep me")
    r = reg.request("DELETE", f"/v2/{APP}/blobs/{digest}")
    assert r.status == 405 and r.error_code == "UNSUPPORTED"


def test_blob_get_with_the_token_in_the_query(reg, hakobu):
    digest = reg.push_blob(APP, b"presigned-ish")
    password = login_password(hakobu, DEV)
    anonymous = RegistryClient(hakobu.url)
    from urllib.parse import quote
    r = anonymous.request("GET", f"/v2/{APP}/blobs/{digest}?X-Amz-Ecr-Token={quote(password, safe='')}")
    assert r.status == 200, r
    assert r.body == b"presigned-ish"
    # Only blob GETs take it.
    r = anonymous.request("GET", f"/v2/{APP}/tags/list?X-Amz-Ecr-Token={quote(password, safe='')}")
    assert r.status == 401


def test_chunked_upload_with_content_ranges(reg):
    data = os.urandom(300_000)
    r = reg.request("POST", f"/v2/{APP}/blobs/uploads/")
    assert r.status == 202, r
    location = r.headers["Location"]
    uuid = r.headers["Docker-Upload-UUID"]
    assert location == f"/v2/{APP}/blobs/uploads/{uuid}"
    assert r.headers["Range"] == "0-0"
    assert r.headers["Content-Length"] == "0"

    r = reg.request("PATCH", location, body=data[:100_000], headers={"Content-Range": "0-99999",
                                                                      "Content-Type": "application/octet-stream"})
    assert r.status == 202, r
    assert r.headers["Range"] == "0-99999"
    assert r.headers["Docker-Upload-UUID"] == uuid
    location = r.headers["Location"]

    # Out of order: 416, the session is unharmed.
    r = reg.request("PATCH", location, body=data[50_000:60_000], headers={"Content-Range": "50000-59999"})
    assert r.status == 416, r
    r = reg.request("GET", location)
    assert r.status == 204
    assert r.headers["Range"] == "0-99999"

    r = reg.request("PATCH", location, body=data[100_000:200_000], headers={"Content-Range": "100000-199999"})
    assert r.status == 202 and r.headers["Range"] == "0-199999"
    r = reg.request("PUT", f"{location}?digest={sha256(data)}", body=data[200_000:])
    assert r.status == 201, r
    assert r.headers["Location"] == f"/v2/{APP}/blobs/{sha256(data)}"
    assert r.headers["Docker-Content-Digest"] == sha256(data)
    assert reg.request("GET", f"/v2/{APP}/blobs/{sha256(data)}").body == data
    # The session is gone.
    r = reg.request("GET", location)
    assert r.status == 404 and r.error_code == "BLOB_UPLOAD_UNKNOWN"


def test_streamed_upload_like_docker_push(reg):
    data = os.urandom(3 * 1024 * 1024 + 17)
    r = reg.request("POST", f"/v2/{APP}/blobs/uploads/")
    location = r.headers["Location"]
    chunks = (data[i:i + 65536] for i in range(0, len(data), 65536))
    r = reg.request("PATCH", location, body=chunks, chunked=True)
    assert r.status == 202, r
    assert r.headers["Range"] == f"0-{len(data) - 1}"
    r = reg.request("PUT", f"{r.headers['Location']}?digest={sha256(data)}")
    assert r.status == 201, r
    r = reg.request("HEAD", f"/v2/{APP}/blobs/{sha256(data)}")
    assert r.headers["Content-Length"] == str(len(data))
    assert reg.request("GET", f"/v2/{APP}/blobs/{sha256(data)}").body == data


def test_digest_mismatch_is_refused_and_invisible(reg):
    data = b"the real bytes"
    claimed = sha256(b"something else")
    r = reg.request("POST", f"/v2/{APP}/blobs/uploads/?digest={claimed}", body=data)
    assert r.status == 400 and r.error_code == "DIGEST_INVALID", r
    r = reg.request("POST", f"/v2/{APP}/blobs/uploads/")
    r = reg.request("PUT", f"{r.headers['Location']}?digest={claimed}", body=data)
    assert r.status == 400 and r.error_code == "DIGEST_INVALID", r
    for digest in (claimed, sha256(data)):
        assert reg.request("HEAD", f"/v2/{APP}/blobs/{digest}").status == 404
    r = reg.request("POST", f"/v2/{APP}/blobs/uploads/")
    r = reg.request("PUT", r.headers["Location"], body=data)
    assert r.status == 400 and r.error_code == "DIGEST_INVALID"


def test_cancelled_upload(reg):
    r = reg.request("POST", f"/v2/{APP}/blobs/uploads/")
    location = r.headers["Location"]
    assert reg.request("DELETE", location).status == 204
    r = reg.request("PATCH", location, body=b"late")
    assert r.status == 404 and r.error_code == "BLOB_UPLOAD_UNKNOWN"


def test_mount_from_another_repository(reg, hakobu):
    ecr = hakobu.client("ecr")
    ecr.create_repository(repositoryName="base")
    ecr.create_repository(repositoryName="other")
    base = repo_path(DEV_ACCOUNT, "base")
    digest = reg.push_blob(base, b"shared layer")
    r = reg.request("POST", f"/v2/{APP}/blobs/uploads/?mount={digest}&from={base}")
    assert r.status == 201, r
    assert r.headers["Location"] == f"/v2/{APP}/blobs/{digest}"
    assert r.headers["Docker-Content-Digest"] == digest
    assert reg.request("GET", f"/v2/{APP}/blobs/{digest}").body == b"shared layer"
    # The source lacks it: a normal session.
    missing = sha256(b"not there")
    r = reg.request("POST", f"/v2/{repo_path(DEV_ACCOUNT, 'other')}/blobs/uploads/?mount={missing}&from={base}")
    assert r.status == 202 and r.headers["Docker-Upload-UUID"]


def test_mount_needs_read_access_to_the_source(hakobu):
    hakobu.client("ecr").create_repository(repositoryName="private")
    dev = RegistryClient(hakobu.url, login_password(hakobu, DEV))
    digest = dev.push_blob(repo_path(DEV_ACCOUNT, "private"), b"dev secret")
    hakobu.client("ecr", creds=PROD).create_repository(repositoryName="mine")
    prod = RegistryClient(hakobu.url, login_password(hakobu, PROD))
    r = prod.request("POST", f"/v2/{PROD_ACCOUNT}/mine/blobs/uploads/?mount={digest}&from={DEV_ACCOUNT}/private")
    assert r.status == 202, r
    assert prod.request("HEAD", f"/v2/{PROD_ACCOUNT}/mine/blobs/{digest}").status == 404


# --- manifests --------------------------------------------------------------------------------

def child_index(reg, media_type):
    """An index (or manifest list) over one image manifest of the matching family."""
    child_type = DOCKER_MANIFEST if media_type == DOCKER_LIST else OCI_MANIFEST
    child = reg.image_manifest(APP, child_type, layer=b"child layer " + media_type.encode())
    r = reg.put_manifest(APP, sha256(child), child, child_type)
    assert r.status == 201, r
    return json.dumps({"schemaVersion": 2, "mediaType": media_type, "manifests": [
        {"mediaType": child_type, "digest": sha256(child), "size": len(child),
         "platform": {"architecture": "amd64", "os": "linux"}}]}, indent=3).encode()


@pytest.mark.parametrize("media_type", [DOCKER_MANIFEST, OCI_MANIFEST, DOCKER_LIST, OCI_INDEX])
def test_manifest_put_get_head_delete(reg, media_type):
    if media_type in (DOCKER_LIST, OCI_INDEX):
        body = child_index(reg, media_type)
    else:
        body = reg.image_manifest(APP, media_type)
    digest = sha256(body)
    r = reg.put_manifest(APP, "v1", body, media_type)
    assert r.status == 201, r
    api_version(r)
    assert r.headers["Location"] == f"/v2/{APP}/manifests/{digest}"
    assert r.headers["Docker-Content-Digest"] == digest

    for reference in ("v1", digest):
        r = reg.get_manifest(APP, reference, accept=[media_type])
        assert r.status == 200, r
        assert r.body == body  # verbatim, whitespace and all
        assert r.headers["Content-Type"] == media_type
        assert r.headers["Docker-Content-Digest"] == digest
        assert r.headers["Content-Length"] == str(len(body))
        assert r.headers["ETag"] == f'"{digest}"'
        r = reg.get_manifest(APP, reference, accept=[media_type], method="HEAD")
        assert r.status == 200 and r.body == b""
        assert r.headers["Content-Length"] == str(len(body))
        assert r.headers["Docker-Content-Digest"] == digest

    r = reg.request("DELETE", f"/v2/{APP}/manifests/{digest}")
    assert r.status == 202, r
    r = reg.get_manifest(APP, "v1")
    assert r.status == 404 and r.error_code == "MANIFEST_UNKNOWN"
    assert reg.request("GET", f"/v2/{APP}/tags/list").json["tags"] is None


def test_accept_negotiation(reg):
    oci = reg.image_manifest(APP, OCI_MANIFEST, layer=b"oci layer")
    docker = reg.image_manifest(APP, DOCKER_MANIFEST, layer=b"docker layer")
    index = child_index(reg, OCI_INDEX)
    assert reg.put_manifest(APP, "oci", oci, OCI_MANIFEST).status == 201
    assert reg.put_manifest(APP, "docker", docker, DOCKER_MANIFEST).status == 201
    assert reg.put_manifest(APP, "index", index, OCI_INDEX).status == 201

    # Distribution: an OCI manifest needs its type in Accept; Docker v2 is served to anyone.
    r = reg.get_manifest(APP, "oci", accept=[DOCKER_MANIFEST])
    assert r.status == 404 and r.error_code == "MANIFEST_UNKNOWN", r
    assert reg.get_manifest(APP, "oci", accept=[DOCKER_MANIFEST, OCI_MANIFEST]).status == 200
    assert reg.get_manifest(APP, "docker", accept=None).status == 200
    assert reg.get_manifest(APP, "docker", accept=[OCI_MANIFEST]).status == 200
    r = reg.get_manifest(APP, "index", accept=[DOCKER_MANIFEST, OCI_MANIFEST])
    assert r.status == 404 and r.error_code == "MANIFEST_UNKNOWN"
    # Several Accept headers count together.
    r = reg.request("GET", f"/v2/{APP}/manifests/index", headers=[("Accept", DOCKER_MANIFEST), ("Accept", OCI_INDEX)])
    assert r.status == 200 and r.headers["Content-Type"] == OCI_INDEX


def test_manifest_errors(reg):
    missing = sha256(b"absent layer")
    config = reg.push_blob(APP, b"{}")
    body = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config,
                                  "size": 2},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": missing,
                                   "size": 5}]}).encode()
    r = reg.put_manifest(APP, "v1", body, OCI_MANIFEST)
    assert r.status == 400 and r.error_code == "MANIFEST_BLOB_UNKNOWN", r
    assert r.json["errors"][0]["detail"] == {"digest": missing}

    r = reg.put_manifest(APP, "v1", b"{not json", OCI_MANIFEST)
    assert r.status == 400 and r.error_code == "MANIFEST_INVALID"

    good = reg.image_manifest(APP)
    r = reg.put_manifest(APP, sha256(b"other bytes"), good, OCI_MANIFEST)
    assert r.status == 400 and r.error_code == "DIGEST_INVALID", r
    r = reg.put_manifest(APP, "bad%20tag!", good, OCI_MANIFEST)
    assert r.status == 400 and r.error_code == "TAG_INVALID", r
    assert reg.request("GET", f"/v2/{APP}/manifests/{sha256(good)}").status == 404

    r = reg.put_manifest(APP, sha256(good), good, OCI_MANIFEST)  # by digest: no tag
    assert r.status == 201, r
    assert reg.request("GET", f"/v2/{APP}/tags/list").json["tags"] is None
    r = reg.request("DELETE", f"/v2/{APP}/manifests/nosuchtag")
    assert r.status == 404 and r.error_code == "MANIFEST_UNKNOWN"


def test_delete_by_tag_keeps_other_tags(reg):
    body = reg.image_manifest(APP)
    assert reg.put_manifest(APP, "a", body, OCI_MANIFEST).status == 201
    assert reg.put_manifest(APP, "b", body, OCI_MANIFEST).status == 201
    assert reg.request("DELETE", f"/v2/{APP}/manifests/a").status == 202
    assert reg.request("GET", f"/v2/{APP}/tags/list").json["tags"] == ["b"]
    assert reg.get_manifest(APP, sha256(body)).status == 200


def test_immutable_tag_is_tag_invalid(hakobu):
    hakobu.client("ecr").create_repository(repositoryName="frozen", imageTagMutability="IMMUTABLE")
    reg = RegistryClient(hakobu.url, login_password(hakobu, DEV))
    name = repo_path(DEV_ACCOUNT, "frozen")
    first = reg.image_manifest(name, layer=b"one")
    second = reg.image_manifest(name, layer=b"two")
    assert reg.put_manifest(name, "v1", first, OCI_MANIFEST).status == 201
    r = reg.put_manifest(name, "v1", second, OCI_MANIFEST)
    assert r.status == 400 and r.error_code == "TAG_INVALID", r
    assert "already exists" in r.json["errors"][0]["message"]
    assert reg.get_manifest(name, "v1").body == first


# --- listings ---------------------------------------------------------------------------------

def test_tags_list_pagination(reg):
    body = reg.image_manifest(APP)
    for tag in ("v3", "v1", "latest", "v2"):
        assert reg.put_manifest(APP, tag, body, OCI_MANIFEST).status == 201
    r = reg.request("GET", f"/v2/{APP}/tags/list")
    assert r.status == 200
    assert r.json == {"name": APP, "tags": ["latest", "v1", "v2", "v3"]}
    assert "Link" not in r.headers
    r = reg.request("GET", f"/v2/{APP}/tags/list?n=2")
    assert r.json["tags"] == ["latest", "v1"]
    assert r.headers["Link"] == f'</v2/{APP}/tags/list?last=v1&n=2>; rel="next"'
    link = r.headers["Link"].split(";")[0].strip("<>")
    r = reg.request("GET", link)
    assert r.json["tags"] == ["v2", "v3"]
    assert "Link" not in r.headers


def test_catalog_pagination(hakobu):
    ecr = hakobu.client("ecr")
    for name in ("charlie", "alpha", "bravo/x"):
        ecr.create_repository(repositoryName=name)
    hakobu.client("ecr", creds=PROD).create_repository(repositoryName="prodonly")
    reg = RegistryClient(hakobu.url, login_password(hakobu, DEV))
    r = reg.request("GET", "/v2/_catalog")
    assert r.status == 200
    assert r.json == {"repositories": [f"{DEV_ACCOUNT}/alpha", f"{DEV_ACCOUNT}/bravo/x", f"{DEV_ACCOUNT}/charlie"]}
    r = reg.request("GET", "/v2/_catalog?n=2")
    assert r.json["repositories"] == [f"{DEV_ACCOUNT}/alpha", f"{DEV_ACCOUNT}/bravo/x"]
    link = r.headers["Link"]
    assert link.endswith('>; rel="next"') and "n=2" in link
    r = reg.request("GET", link.split(";")[0].strip("<>"))
    assert r.json["repositories"] == [f"{DEV_ACCOUNT}/charlie"]
    assert "Link" not in r.headers
    # The names work as /v2/<name>/ names.
    assert reg.request("GET", f"/v2/{DEV_ACCOUNT}/bravo/x/tags/list").status == 200


def test_referrers(reg):
    subject = reg.image_manifest(APP, layer=b"the image")
    assert reg.put_manifest(APP, "v1", subject, OCI_MANIFEST).status == 201
    subject_desc = {"mediaType": OCI_MANIFEST, "digest": sha256(subject), "size": len(subject)}
    sbom = reg.image_manifest(APP, layer=b"an sbom", subject=subject_desc, artifactType="application/spdx+json",
                              annotations={"org.example.kind": "sbom"})
    sig = reg.image_manifest(APP, layer=b"a signature", subject=subject_desc,
                             artifactType="application/vnd.dev.cosign.artifact.sig.v1+json")
    for body in (sbom, sig):
        r = reg.put_manifest(APP, sha256(body), body, OCI_MANIFEST)
        assert r.status == 201, r
        assert r.headers["OCI-Subject"] == sha256(subject)

    r = reg.request("GET", f"/v2/{APP}/referrers/{sha256(subject)}")
    assert r.status == 200, r
    assert r.headers["Content-Type"] == OCI_INDEX
    index = r.json
    assert index["schemaVersion"] == 2 and index["mediaType"] == OCI_INDEX
    by_digest = {m["digest"]: m for m in index["manifests"]}
    assert set(by_digest) == {sha256(sbom), sha256(sig)}
    assert by_digest[sha256(sbom)] == {"mediaType": OCI_MANIFEST, "digest": sha256(sbom), "size": len(sbom),
                                       "artifactType": "application/spdx+json",
                                       "annotations": {"org.example.kind": "sbom"}}

    r = reg.request("GET", f"/v2/{APP}/referrers/{sha256(subject)}?artifactType=application/spdx%2Bjson")
    assert r.headers["OCI-Filters-Applied"] == "artifactType"
    assert [m["digest"] for m in r.json["manifests"]] == [sha256(sbom)]
    r = reg.request("GET", f"/v2/{APP}/referrers/{sha256(b'nothing refers')}")
    assert r.status == 200 and r.json["manifests"] == []


# --- IAM --------------------------------------------------------------------------------------

def test_cross_account_needs_a_repository_policy(reg, hakobu):
    body = reg.image_manifest(APP)
    assert reg.put_manifest(APP, "v1", body, OCI_MANIFEST).status == 201
    prod = RegistryClient(hakobu.url, login_password(hakobu, PROD))
    r = prod.get_manifest(APP, "v1")
    assert r.status == 403 and r.error_code == "DENIED", r
    assert "not authorized" in r.json["errors"][0]["message"]
    layer = json.loads(body)["layers"][0]["digest"]
    assert prod.request("GET", f"/v2/{APP}/blobs/{layer}").status == 403

    hakobu.client("ecr").set_repository_policy(repositoryName="team/app", policyText=doc({
        "Sid": "ProdPull", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"},
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]}))
    r = prod.get_manifest(APP, "v1")
    assert r.status == 200 and r.body == body
    assert prod.request("GET", f"/v2/{APP}/blobs/{layer}").status == 200
    # Pull only: pushing is still refused.
    r = prod.put_manifest(APP, "prod", body, OCI_MANIFEST)
    assert r.status == 403 and r.error_code == "DENIED"


def test_identity_policy_denies_put_image(hakobu):
    hakobu.client("ecr").create_repository(repositoryName="team/app")
    iam = hakobu.client("iam")
    iam.create_user(UserName="pusher")
    iam.put_user_policy(UserName="pusher", PolicyName="ecr", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "ecr:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "ecr:PutImage", "Resource": "*"}))
    key = iam.create_access_key(UserName="pusher")["AccessKey"]
    creds = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
    reg = RegistryClient(hakobu.url, login_password(hakobu, creds))
    body = reg.image_manifest(APP)  # blob uploads are allowed
    r = reg.put_manifest(APP, "v1", body, OCI_MANIFEST)
    assert r.status == 403 and r.error_code == "DENIED", r
    message = r.json["errors"][0]["message"]
    assert "user/pusher" in message and "ecr:PutImage" in message
    assert RegistryClient(hakobu.url, login_password(hakobu, DEV)).get_manifest(APP, "v1").status == 404


def test_signed_requests_under_v2_still_reach_s3(hakobu):
    # A SigV4-signed path-style request for bucket "v2" is S3's, not the registry's: S3 answers
    # in its own XML (NoSuchBucket), never with a 401 challenge.
    import botocore.exceptions
    with pytest.raises(botocore.exceptions.ClientError) as info:
        hakobu.client("s3").get_object(Bucket="v2", Key="k")
    assert info.value.response["Error"]["Code"] in ("NoSuchBucket", "InvalidBucketName")
