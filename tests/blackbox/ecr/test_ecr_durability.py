"""What the registry keeps when uploads go wrong: a blob whose bytes don't match its digest is
refused and never stored; a push cut by kill -9 leaves a registry that takes the same push again."""
import hashlib
import os
import subprocess
import time

import pytest

from conftest import DEV, DEV_ACCOUNT, TWO_ACCOUNTS
from containers import (container_session, create_repository, ecr_password, fresh_env, host_of, login_to,
                        podman_env)
from ecr_helpers import RegistryClient, sha256

pytestmark = pytest.mark.containers

__all__ = ["container_session", "podman_env", "fresh_env"]  # fixtures used from containers.py

MiB = 1024 * 1024


def test_monolithic_upload_with_a_wrong_digest_is_refused(hakobu):
    create_repository(hakobu, "raw", DEV)
    reg = RegistryClient(hakobu.url, ecr_password(hakobu, DEV))
    blob = b"the bytes that were sent"
    wrong = sha256(b"the bytes that were meant")
    base = f"/v2/{DEV_ACCOUNT}/raw/blobs"

    r = reg.request("POST", f"{base}/uploads/?digest={wrong}", blob, {"Content-Type": "application/octet-stream"})
    assert (r.status, r.error_code) == (400, "DIGEST_INVALID"), r
    assert reg.request("HEAD", f"{base}/{wrong}").status == 404
    assert reg.request("HEAD", f"{base}/{sha256(blob)}").status == 404


def test_session_upload_finished_with_a_wrong_digest_is_refused(hakobu):
    create_repository(hakobu, "raw", DEV)
    reg = RegistryClient(hakobu.url, ecr_password(hakobu, DEV))
    blob = os.urandom(4096)
    wrong = sha256(blob + b"!")
    base = f"/v2/{DEV_ACCOUNT}/raw/blobs"

    r = reg.request("POST", f"{base}/uploads/")
    assert r.status == 202, r
    location = r.headers["Location"]
    if "://" in location:
        location = "/" + location.split("://", 1)[1].split("/", 1)[1]
    sep = "&" if "?" in location else "?"
    r = reg.request("PUT", f"{location}{sep}digest={wrong}", blob, {"Content-Type": "application/octet-stream"})
    assert (r.status, r.error_code) == (400, "DIGEST_INVALID"), r
    assert reg.request("HEAD", f"{base}/{wrong}").status == 404
    assert reg.request("HEAD", f"{base}/{sha256(blob)}").status == 404


def tree_size(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except FileNotFoundError:
                pass
    return total


@pytest.mark.slow
def test_push_cut_by_kill9_succeeds_when_repeated(start_hakobu, podman_env, fresh_env):
    server = start_hakobu(TWO_ACCOUNTS)
    uri = create_repository(server, "big", DEV)
    login_to(podman_env, server, DEV)
    payload = os.urandom(100 * MiB)  # random: gzip can't shrink the layer
    expected = hashlib.sha256(payload).hexdigest()
    image = "localhost/ecr-durability-big:v1"
    podman_env.build(image, "FROM localhost/busybox:latest\nCOPY big.bin /big.bin\n", {"big.bin": payload})
    del payload

    before = tree_size(server.data_dir)
    push = subprocess.Popen(podman_env.podman_args + ["push", image, uri + ":v1"], env=podman_env.env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # Kill once the big layer is streaming in (a fifth of it has reached the data dir).
        deadline = time.time() + 60
        while time.time() < deadline and push.poll() is None and tree_size(server.data_dir) - before < 20 * MiB:
            time.sleep(0.01)
        assert push.poll() is None, "the push finished before it could be interrupted:\n" + push.communicate()[0]
        received = tree_size(server.data_dir) - before
        assert received >= 20 * MiB, f"no upload progress within 60 s ({received} bytes)"
        server.kill9()
        out = push.communicate(timeout=120)[0]
        assert push.returncode != 0, out
    finally:
        if push.poll() is None:
            push.kill()
            push.wait()

    server.restart()  # same port and data dir
    assert server.client("ecr").list_images(repositoryName="big")["imageIds"] == []
    # The token from before the crash still works (it is valid for 12 hours): no new login.
    digest, _ = podman_env.push(image, uri + ":v1")
    details = server.client("ecr").describe_images(repositoryName="big")["imageDetails"]
    assert [(d["imageDigest"], d["imageTags"]) for d in details] == [(digest, ["v1"])]
    assert details[0]["imageSizeInBytes"] > 100 * MiB

    fresh_env.allow_insecure(host_of(server.url))
    fresh_env.login(host_of(server.url), ecr_password(server, DEV))
    fresh_env.podman("pull", "-q", uri + ":v1")
    out = fresh_env.run_image(uri + ":v1", "sha256sum", "/big.bin")
    assert out.split()[0] == expected
