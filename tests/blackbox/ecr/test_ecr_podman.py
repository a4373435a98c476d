"""podman against hakobu's ECR registry: build FROM a local busybox, push, pull into a fresh
storage and run; what ECR's API then reports; immutable tags; login failures; push events."""
import json
import urllib.request

import pytest

from conftest import DEV, DEV_ACCOUNT
from containers import (DOCKER_MANIFEST, OCI_MANIFEST, build_app, container_session, create_repository, fresh_env,
                        host_of, login_to, manifest_layers_size, podman_env)

pytestmark = pytest.mark.containers

__all__ = ["container_session", "podman_env", "fresh_env"]  # fixtures used from containers.py


@pytest.fixture(scope="module")
def app_image(container_session):
    output = build_app(container_session, "localhost/ecr-podman-app:v1", "hello from podman")
    return "localhost/ecr-podman-app:v1", output


def describe(hakobu, repo, **kwargs):
    details = hakobu.client("ecr").describe_images(repositoryName=repo, **kwargs)["imageDetails"]
    return {d["imageDigest"]: d for d in details}


def manifest_of(hakobu, repo, digest):
    images = hakobu.client("ecr").batch_get_image(
        repositoryName=repo, imageIds=[{"imageDigest": digest}],
        acceptedMediaTypes=[OCI_MANIFEST, DOCKER_MANIFEST])["images"]
    assert len(images) == 1, images
    return images[0]


def test_podman_build_push_pull_run_round_trip(hakobu, aws, podman_env, fresh_env, app_image):
    image, output = app_image
    assert podman_env.run_image(image) == output
    created = aws("ecr", "create-repository", "--repository-name", "team/app", check=True)
    uri = created.json["repository"]["repositoryUri"]
    host = host_of(hakobu.url)
    assert uri == f"{host}/{DEV_ACCOUNT}/team/app"
    # The documented login: aws ecr get-login-password | podman login --username AWS --password-stdin
    password = aws("ecr", "get-login-password", check=True).stdout.strip()
    podman_env.allow_insecure(host)
    podman_env.login(host, password)

    digest, _ = podman_env.push(image, uri + ":v1")
    assert digest and digest.startswith("sha256:")

    detail = describe(hakobu, "team/app")[digest]
    assert detail["imageTags"] == ["v1"]
    assert detail["registryId"] == DEV_ACCOUNT
    # podman pushes the native manifest type of a podman-built image: OCI.
    assert detail["imageManifestMediaType"] == OCI_MANIFEST
    manifest = manifest_of(hakobu, "team/app", digest)
    assert detail["imageSizeInBytes"] == manifest_layers_size(manifest["imageManifest"])

    fresh_env.allow_insecure(host)
    fresh_env.login(host, password)
    fresh_env.podman("pull", "-q", uri + ":v1")
    assert fresh_env.run_image(uri + ":v1") == output
    digests = fresh_env.podman("image", "inspect", "--format", "{{json .RepoDigests}}", uri + ":v1").stdout
    assert f"{uri}@{digest}" in json.loads(digests)


def test_podman_push_format_v2s2_stores_a_docker_manifest(hakobu, podman_env, fresh_env, app_image):
    image, output = app_image
    uri = create_repository(hakobu, "app", DEV)
    password = login_to(podman_env, hakobu, DEV)
    oci_digest, _ = podman_env.push(image, uri + ":oci")
    docker_digest, _ = podman_env.push(image, uri + ":docker", "--format", "v2s2")
    assert docker_digest != oci_digest

    details = describe(hakobu, "app")
    assert details[oci_digest]["imageManifestMediaType"] == OCI_MANIFEST
    assert details[docker_digest]["imageManifestMediaType"] == DOCKER_MANIFEST
    assert details[docker_digest]["imageTags"] == ["docker"]
    manifest = manifest_of(hakobu, "app", docker_digest)
    assert json.loads(manifest["imageManifest"])["mediaType"] == DOCKER_MANIFEST
    assert manifest["imageManifestMediaType"] == DOCKER_MANIFEST

    # Pull by digest: the registry serves the stored bytes verbatim (podman checks the digest).
    fresh_env.allow_insecure(host_of(hakobu.url))
    fresh_env.login(host_of(hakobu.url), password)
    fresh_env.podman("pull", "-q", f"{uri}@{docker_digest}")
    assert fresh_env.run_image(f"{uri}@{docker_digest}") == output


def test_podman_push_without_login_is_unauthorized(hakobu, podman_env, app_image):
    uri = create_repository(hakobu, "app", DEV)
    podman_env.allow_insecure(host_of(hakobu.url))
    _, p = podman_env.push(app_image[0], uri + ":v1", check=False)
    assert p.returncode != 0
    assert "unauthorized" in p.stderr.lower() or "authentication required" in p.stderr.lower(), p.stderr


def test_podman_login_with_a_wrong_password_fails(hakobu, podman_env):
    host = host_of(hakobu.url)
    podman_env.allow_insecure(host)
    p = podman_env.login(host, "not-a-token", check=False)
    assert p.returncode != 0
    assert "unauthorized" in p.stderr.lower() or "invalid username/password" in p.stderr.lower(), p.stderr


def test_podman_push_to_a_missing_repository_fails_with_name_unknown(hakobu, podman_env, app_image):
    host = host_of(hakobu.url)
    login_to(podman_env, hakobu, DEV)
    _, p = podman_env.push(app_image[0], f"{host}/{DEV_ACCOUNT}/never-created:v1", check=False)
    assert p.returncode != 0
    assert "name unknown" in p.stderr.lower(), p.stderr


def test_immutable_repository_refuses_a_second_push_of_a_tag(hakobu, podman_env, app_image):
    uri = create_repository(hakobu, "frozen", DEV, imageTagMutability="IMMUTABLE")
    login_to(podman_env, hakobu, DEV)
    first, _ = podman_env.push(app_image[0], uri + ":v1")
    other = "localhost/ecr-podman-other:v1"
    build_app(podman_env, other, "another image")

    _, p = podman_env.push(other, uri + ":v1", check=False)
    assert p.returncode != 0
    err = p.stderr.lower()
    # containers/image renders Distribution's TAG_INVALID as "tag invalid: <message>".
    assert "tag invalid" in err, p.stderr
    assert "the image tag 'v1' already exists in the 'frozen' repository and cannot be overwritten because the " \
           "repository is immutable" in err, p.stderr

    second, _ = podman_env.push(other, uri + ":v2")
    details = describe(hakobu, "frozen")
    assert details[first]["imageTags"] == ["v1"]
    assert details[second]["imageTags"] == ["v2"]


def events_of(hakobu, repository):
    with urllib.request.urlopen(f"{hakobu.url}/_hakobu/events?source=aws.ecr", timeout=10) as r:
        assert r.status == 200
        events = json.loads(r.read())["events"]
    return [e for e in events if e["detail"].get("repository-name") == repository]


def test_push_and_delete_emit_ecr_image_action_events(hakobu, aws, podman_env, app_image):
    uri = create_repository(hakobu, "evented", DEV)
    login_to(podman_env, hakobu, DEV)
    digest, _ = podman_env.push(app_image[0], uri + ":v1")
    podman_env.push(app_image[0], uri + ":v2")

    pushes = [e for e in events_of(hakobu, "evented") if e["detail"].get("action-type") == "PUSH"]
    assert sorted(e["detail"]["image-tag"] for e in pushes) == ["v1", "v2"], pushes
    for e in pushes:
        assert e["source"] == "aws.ecr"
        assert e["detail-type"] == "ECR Image Action"
        assert e["account"] == DEV_ACCOUNT
        assert e["region"] == "us-east-1"
        assert e["resources"] == []
        assert e["detail"]["repository-name"] == "evented"
        assert e["detail"]["image-digest"] == digest
        assert e["detail"]["result"] == "SUCCESS"
        assert {"version", "id", "time"} <= set(e)

    aws("ecr", "batch-delete-image", "--repository-name", "evented", "--image-ids", "imageTag=v1", check=True)
    deletes = [e for e in events_of(hakobu, "evented") if e["detail"].get("action-type") == "DELETE"]
    assert len(deletes) == 1, deletes
    detail = deletes[0]["detail"]
    assert detail["repository-name"] == "evented"
    assert detail["image-digest"] == digest
    assert detail["image-tag"] == "v1"
    assert detail["result"] == "SUCCESS"
