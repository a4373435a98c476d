"""The real docker CLI (28.x) against hakobu's ECR registry, through podman's Docker Engine API on a
private socket: pull, run, tag, push (auth from config.json, as `docker login` would store it)."""
import json

import pytest

from conftest import DEV
from containers import (DOCKER_MANIFEST, build_app, container_session, create_repository, docker_cli, ecr_password,
                        fresh_env, host_of, login_to, podman_env)

pytestmark = pytest.mark.containers

__all__ = ["container_session", "podman_env", "fresh_env", "docker_cli"]  # fixtures used from containers.py


def test_docker_cli_pull_tag_push_through_podman(hakobu, podman_env, fresh_env, docker_cli):
    output = build_app(podman_env, "localhost/ecr-docker-app:v1", "hello from docker")
    web = create_repository(hakobu, "web", DEV)
    mirror = create_repository(hakobu, "web-mirror", DEV)
    login_to(podman_env, hakobu, DEV)
    pushed_digest, _ = podman_env.push("localhost/ecr-docker-app:v1", web + ":v1")

    host = host_of(hakobu.url)
    fresh_env.allow_insecure(host)  # read by the service at start: pulls need it (no tlsVerify)
    docker = docker_cli(fresh_env)  # an empty storage: the pull really downloads

    anonymous = docker("pull", web + ":v1", check=False)
    assert anonymous.returncode != 0
    assert "unauthorized" in anonymous.stderr.lower() or "authentication required" in anonymous.stderr.lower(), \
        anonymous.stderr

    docker.set_auth(host, ecr_password(hakobu, DEV))
    docker("pull", web + ":v1")
    assert docker("run", "--rm", "--network", "none", web + ":v1").stdout == output
    docker("tag", web + ":v1", mirror + ":copied")
    pushed = docker("push", mirror + ":copied").stdout
    assert "copied: digest: sha256:" in pushed, pushed

    listed = docker("images", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    assert web + ":v1" in listed
    assert mirror + ":copied" in listed

    details = hakobu.client("ecr").describe_images(repositoryName="web-mirror")["imageDetails"]
    assert [d["imageTags"] for d in details] == [["copied"]]
    mirror_digest = pushed.split("copied: digest: ", 1)[1].split()[0]
    assert details[0]["imageDigest"] == mirror_digest
    # The same image whatever manifest type the push chose: the config blob (the image ID) is unchanged.
    original = json.loads(podman_env.skopeo("inspect", "--tls-verify=false", "--raw", f"docker://{web}:v1").stdout)
    copy = json.loads(podman_env.skopeo("inspect", "--tls-verify=false", "--raw", f"docker://{mirror}:copied").stdout)
    assert copy["config"]["digest"] == original["config"]["digest"]
    assert len(copy["layers"]) == len(original["layers"])
    assert podman_env.skopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                             f"docker://{web}:v1").stdout.strip() == pushed_digest


def test_docker_cli_build_push_stores_a_docker_v2_manifest(hakobu, podman_env, fresh_env, docker_cli, tmp_path):
    uri = create_repository(hakobu, "built", DEV)
    host = host_of(hakobu.url)
    podman_env.allow_insecure(host)
    docker = docker_cli(podman_env)  # podman_env holds the local busybox to build FROM
    docker.set_auth(host, ecr_password(hakobu, DEV))
    (tmp_path / "Dockerfile").write_text('FROM localhost/busybox:latest\nRUN echo "from docker build" > /x\n'
                                         'CMD ["cat", "/x"]\n')
    docker("build", "-t", uri + ":v1", str(tmp_path))  # the legacy builder (no buildx here)
    pushed = docker("push", uri + ":v1").stdout
    digest = pushed.split("v1: digest: ", 1)[1].split()[0]

    details = hakobu.client("ecr").describe_images(repositoryName="built")["imageDetails"]
    assert [(d["imageDigest"], d["imageTags"]) for d in details] == [(digest, ["v1"])]
    # Images built through the Engine API keep Docker's manifest type.
    assert details[0]["imageManifestMediaType"] == DOCKER_MANIFEST

    login_to(fresh_env, hakobu, DEV)
    fresh_env.podman("pull", "-q", f"{uri}@{digest}")
    assert fresh_env.run_image(f"{uri}@{digest}") == "from docker build\n"
