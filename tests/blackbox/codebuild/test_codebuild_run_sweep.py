"""A build container a previous hakobu left behind (killed between a build's end and its
cleanup) is removed with the first build of the next process; containers of other kinds or of
another hakobu's data directory are not touched."""
import subprocess

from conftest import LOCAL_IMAGE, labelled_containers


def podman_create(labels):
    args = ["podman", "create"]
    for k, v in labels.items():
        args += ["--label", f"{k}={v}"]
    out = subprocess.run(args + [LOCAL_IMAGE, "true"], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def exists(cid):
    return subprocess.run(["podman", "container", "exists", cid]).returncode == 0


def test_the_first_build_sweeps_leftover_build_containers(cbx_factory):
    cbx = cbx_factory()
    leftover = podman_create({"hakobu.instance": cbx.instance, "hakobu.owner": "build:gone:1234"})
    other_kind = podman_create({"hakobu.instance": cbx.instance, "hakobu.owner": "task:arn:aws:ecs:x"})
    other_instance = podman_create({"hakobu.instance": "0000000000000000", "hakobu.owner": "build:p:1"})
    try:
        assert exists(leftover)
        build = cbx.run()
        assert build["buildStatus"] == "SUCCEEDED", build["phases"]
        assert not exists(leftover), "a build container no build owns is removed"
        assert exists(other_kind), "containers of other kinds are not CodeBuild's to remove"
        assert exists(other_instance), "another data directory's containers are never touched"
    finally:
        subprocess.run(["podman", "rm", "-f", "--ignore", leftover, other_kind, other_instance], capture_output=True)
    assert labelled_containers(cbx.instance) == []
