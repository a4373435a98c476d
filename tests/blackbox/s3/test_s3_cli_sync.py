"""aws s3 sync of a small tree, up and down, with CLI v1 and v2; re-sync only moves what changed."""
import os

import pytest

from s3_helpers import cli

TREE = {
    "index.html": b"<html>home</html>",
    "css/site.css": b"body { color: red }",
    "js/app.js": b"console.log('hi')",
    "img/logo.bin": bytes(range(256)) * 40,
    "deep/a/b/c/d.txt": b"deep",
    "with space/file name.txt": b"spaces",
    "unicodé/ファイル.txt": "ユニコード".encode(),
    "empty.txt": b"",
}


def write_tree(root, tree):
    for rel, data in tree.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def read_tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


@pytest.mark.parametrize("v2", [False, True], ids=["cli-v1", "cli-v2"])
def test_sync_up_and_down(hakobu, client, tmp_path, v2):
    s3 = client("s3")
    s3.create_bucket(Bucket="site")
    up = tmp_path / "up"
    write_tree(str(up), TREE)
    r = cli(hakobu, "s3", "sync", str(up), "s3://site/web/", v2=v2)
    assert r.stdout.count("upload:") == len(TREE), r.stdout
    listed = {o["Key"]: o["Size"] for o in s3.list_objects_v2(Bucket="site")["Contents"]}
    assert listed == {"web/" + k: len(v) for k, v in TREE.items()}
    unicode_key = "unicodé/ファイル.txt"
    assert s3.get_object(Bucket="site", Key="web/" + unicode_key)["Body"].read() == TREE[unicode_key]

    # Nothing changed: a second sync uploads nothing.
    r = cli(hakobu, "s3", "sync", str(up), "s3://site/web/", v2=v2)
    assert "upload:" not in r.stdout, r.stdout

    # One file changes size, one is added, one is removed (with --delete).
    (up / "css" / "site.css").write_bytes(b"body { color: blue; margin: 0 }")
    (up / "new.txt").write_bytes(b"new")
    os.remove(up / "js" / "app.js")
    r = cli(hakobu, "s3", "sync", str(up), "s3://site/web/", "--delete", v2=v2)
    assert r.stdout.count("upload:") == 2, r.stdout
    assert r.stdout.count("delete:") == 1, r.stdout
    expected = dict(TREE)
    expected["css/site.css"] = b"body { color: blue; margin: 0 }"
    expected["new.txt"] = b"new"
    del expected["js/app.js"]

    down = tmp_path / "down"
    cli(hakobu, "s3", "sync", "s3://site/web/", str(down), v2=v2)
    assert read_tree(str(down)) == expected

    # Down-sync again: nothing to do.
    r = cli(hakobu, "s3", "sync", "s3://site/web/", str(down), v2=v2)
    assert "download:" not in r.stdout, r.stdout


@pytest.mark.parametrize("v2", [False, True], ids=["cli-v1", "cli-v2"])
def test_sync_bucket_to_bucket(hakobu, client, tmp_path, v2):
    s3 = client("s3")
    s3.create_bucket(Bucket="from-here")
    s3.create_bucket(Bucket="to-there")
    for k, v in TREE.items():
        s3.put_object(Bucket="from-here", Key=k, Body=v)
    cli(hakobu, "s3", "sync", "s3://from-here", "s3://to-there/copy", v2=v2)
    copied = {o["Key"][len("copy/"):]: s3.get_object(Bucket="to-there", Key=o["Key"])["Body"].read()
              for o in s3.list_objects_v2(Bucket="to-there")["Contents"]}
    assert copied == TREE


@pytest.mark.parametrize("v2", [False, True], ids=["cli-v1", "cli-v2"])
def test_cp_recursive_and_ls(hakobu, client, tmp_path, v2):
    client("s3").create_bucket(Bucket="tree")
    write_tree(str(tmp_path / "t"), TREE)
    cli(hakobu, "s3", "cp", "--recursive", str(tmp_path / "t"), "s3://tree/", v2=v2)
    r = cli(hakobu, "s3", "ls", "s3://tree/", v2=v2)
    lines = r.stdout.splitlines()
    assert any(line.strip() == "PRE css/" for line in lines), r.stdout
    assert any(line.endswith(" index.html") for line in lines), r.stdout
    r = cli(hakobu, "s3", "ls", "s3://tree/", "--recursive", "--summarize", v2=v2)
    assert f"Total Objects: {len(TREE)}" in r.stdout
