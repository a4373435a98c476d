"""skopeo against hakobu's ECR registry: copies between repositories (blobs mounted or uploaded
again), cross-account pulls governed by the repository policy, inspect, list-tags, and a copy to an
OCI layout whose every blob is checked against its digest."""
import hashlib
import json
import os

import pytest

from conftest import DEV, DEV_ACCOUNT, PROD, PROD_ACCOUNT
from containers import (OCI_MANIFEST, build_app, container_session, create_repository, ecr_password, host_of, login_to,
                        podman_env, sha256_file)
from ecr_helpers import RegistryClient

pytestmark = pytest.mark.containers

__all__ = ["container_session", "podman_env"]  # fixtures used from containers.py

# skopeo 1.9 ignores CONTAINERS_REGISTRIES_CONF: say "plain HTTP" on every command.
NO_TLS = ["--src-tls-verify=false", "--dest-tls-verify=false"]

PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]


@pytest.fixture(scope="module")
def app_image(container_session):
    image = "localhost/ecr-skopeo-app:v1"
    return image, build_app(container_session, image, "hello from skopeo")


@pytest.fixture
def pushed(hakobu, podman_env, app_image):
    """app_image pushed to dev's repository `src` as :v1; returns (uri, digest, dev password)."""
    uri = create_repository(hakobu, "src", DEV)
    password = login_to(podman_env, hakobu, DEV)
    digest, _ = podman_env.push(app_image[0], uri + ":v1")
    return uri, digest, password


def inspect(env, ref, *args):
    return json.loads(env.skopeo("inspect", "--tls-verify=false", *args, "docker://" + ref).stdout)


def test_skopeo_copy_between_repositories_of_one_account(hakobu, podman_env, pushed):
    src, digest, _ = pushed
    dst = create_repository(hakobu, "dst", DEV)
    # dst has none of the blobs: the registry mounts them from src or they are uploaded again.
    podman_env.skopeo("copy", *NO_TLS, f"docker://{src}:v1", f"docker://{dst}:v1")
    # Now every blob exists in dst: only the manifest is new.
    podman_env.skopeo("copy", *NO_TLS, f"docker://{src}:v1", f"docker://{dst}:v2")

    info = inspect(podman_env, dst + ":v2")
    assert info["Digest"] == digest
    assert info["Layers"] == inspect(podman_env, src + ":v1")["Layers"]
    details = hakobu.client("ecr").describe_images(repositoryName="dst")["imageDetails"]
    assert len(details) == 1
    assert sorted(details[0]["imageTags"]) == ["v1", "v2"]
    assert details[0]["imageDigest"] == digest
    # src is untouched by the copies.
    src_details = hakobu.client("ecr").describe_images(repositoryName="src")["imageDetails"]
    assert [d["imageTags"] for d in src_details] == [["v1"]]


def test_skopeo_inspect_and_list_tags(hakobu, podman_env, pushed):
    src, digest, _ = pushed
    podman_env.skopeo("copy", *NO_TLS, f"docker://{src}:v1", f"docker://{src}:latest")
    info = inspect(podman_env, src + ":v1")
    assert info["Name"] == src
    assert info["Digest"] == digest
    assert info["Os"] == "linux"
    assert len(info["Layers"]) >= 2  # busybox's layer + COPY + RUN (buildah may squash none)
    raw = podman_env.skopeo("inspect", "--tls-verify=false", "--raw", f"docker://{src}:v1").stdout.encode()
    assert "sha256:" + hashlib.sha256(raw).hexdigest() == digest
    assert json.loads(raw)["mediaType"] == OCI_MANIFEST

    tags = json.loads(podman_env.skopeo("list-tags", "--tls-verify=false", f"docker://{src}").stdout)
    assert tags["Repository"] == src
    assert sorted(tags["Tags"]) == ["latest", "v1"]


def test_skopeo_copy_to_an_oci_layout_verifies_every_digest(hakobu, podman_env, pushed, tmp_path):
    src, digest, _ = pushed
    layout = tmp_path / "layout"
    podman_env.skopeo("copy", *NO_TLS, "--preserve-digests", f"docker://{src}:v1", f"oci:{layout}:v1")

    index = json.loads((layout / "index.json").read_text())
    assert [m["digest"] for m in index["manifests"]] == [digest]
    manifest_path = layout / "blobs" / "sha256" / digest.split(":", 1)[1]
    manifest = json.loads(manifest_path.read_text())
    referenced = [manifest["config"]] + manifest["layers"]
    for descriptor in referenced:
        path = layout / "blobs" / "sha256" / descriptor["digest"].split(":", 1)[1]
        assert os.path.getsize(path) == descriptor["size"]
    # Every file in the layout is what its name says.
    names = []
    for dirpath, _, files in os.walk(layout / "blobs" / "sha256"):
        for name in files:
            assert sha256_file(os.path.join(dirpath, name)) == "sha256:" + name
            names.append("sha256:" + name)
    assert sorted(names) == sorted({digest} | {d["digest"] for d in referenced})


def test_cross_account_pull_needs_the_repository_policy(hakobu, podman_env, pushed, tmp_path):
    src, digest, _ = pushed
    prod_creds = "AWS:" + ecr_password(hakobu, PROD)
    # The URI keeps the owner's (dev's) account; prod authenticates with its own token.
    assert f"/{DEV_ACCOUNT}/" in src
    copy_args = ["copy", *NO_TLS, "--src-creds", prod_creds, f"docker://{src}:v1", f"oci:{tmp_path / 'pulled'}:v1"]

    denied = podman_env.skopeo(*copy_args, check=False)
    assert denied.returncode != 0
    assert "denied" in denied.stderr.lower(), denied.stderr

    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "ProdPull", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"},
        "Action": PULL_ACTIONS}]}
    hakobu.client("ecr").set_repository_policy(repositoryName="src", policyText=json.dumps(policy))

    podman_env.skopeo(*copy_args)
    index = json.loads((tmp_path / "pulled" / "index.json").read_text())
    assert index["manifests"][0]["digest"] == digest
    info = inspect(podman_env, src + ":v1", "--creds", prod_creds)
    assert info["Digest"] == digest

    # The policy grants pulls only: prod still cannot push into dev's repository.
    push = podman_env.skopeo("copy", *NO_TLS, "--dest-creds", prod_creds, f"oci:{tmp_path / 'pulled'}:v1",
                             f"docker://{src}:from-prod", check=False)
    assert push.returncode != 0
    assert "denied" in push.stderr.lower(), push.stderr
    tags = hakobu.client("ecr").list_images(repositoryName="src")["imageIds"]
    assert [t.get("imageTag") for t in tags] == ["v1"]


def test_cross_account_token_cannot_list_tags(hakobu, podman_env, pushed):
    src, _, _ = pushed
    prod_password = ecr_password(hakobu, PROD)
    p = podman_env.skopeo("list-tags", "--tls-verify=false", "--creds", "AWS:" + prod_password, f"docker://{src}",
                          check=False)
    assert p.returncode != 0
    # skopeo 1.9 shows only the status of a failed tags list, not the error body.
    assert "403 (forbidden)" in p.stderr.lower(), p.stderr
    r = RegistryClient(hakobu.url, prod_password).request("GET", f"/v2/{DEV_ACCOUNT}/src/tags/list")
    assert (r.status, r.error_code) == (403, "DENIED"), r


def test_skopeo_copy_with_a_wrong_password_is_unauthorized(hakobu, podman_env, pushed, tmp_path):
    src, _, _ = pushed
    p = podman_env.skopeo("copy", *NO_TLS, "--src-creds", "AWS:wrong", f"docker://{src}:v1", f"oci:{tmp_path / 'x'}:v1",
                          check=False)
    assert p.returncode != 0
    assert "unauthorized" in p.stderr.lower() or "authentication required" in p.stderr.lower(), p.stderr
