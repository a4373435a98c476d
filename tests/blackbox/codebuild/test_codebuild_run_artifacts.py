"""UPLOAD_ARTIFACTS of real builds: S3 artifacts zipped (packaging ZIP, read back with python's
zipfile) or uploaded file by file (NONE), under path / BUILD_ID namespace / name, the buildspec's
shell-expanded name with overrideArtifactName, base-directory, discard-paths, exclude-paths, `**/*`,
build.artifacts (location, sha256sum, md5sum of the object), nothing matching, and a role that may
not write the bucket."""
import hashlib
import io
import zipfile

from conftest import phases, uid

# A tree every build makes: out/a.txt, out/sub/b.txt, out/sub/deeper/c.txt, out/skip.log, top.txt.
MAKE_TREE = ["mkdir -p out/sub/deeper", "echo A > out/a.txt", "echo B > out/sub/b.txt", "echo C > out/sub/deeper/c.txt",
             "echo L > out/skip.log", "echo T > top.txt"]


def buildspec(artifacts, commands=None):
    lines = ["version: 0.2", "phases:", "  build:", "    commands:"]
    lines += [f"      - {c}" for c in (commands or MAKE_TREE)]
    lines.append("artifacts:")
    lines += ["  " + line for line in artifacts.strip("\n").splitlines()]
    return "\n".join(lines) + "\n"


def s3_artifacts(bucket, **kw):
    a = {"type": "S3", "location": bucket, "packaging": "ZIP", "name": "out.zip"}
    a.update(kw)
    return a


def zip_names(cbx, bucket, key):
    data = cbx.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return sorted(z.namelist()), {n: z.read(n) for n in z.namelist()}, data


def keys(cbx, bucket):
    return sorted(o["Key"] for o in cbx.s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def run(cbx, artifacts_yaml, artifacts, commands=None, **start):
    project = cbx.project(buildspec=buildspec(artifacts_yaml, commands), artifacts=artifacts)
    build = cbx.run(project, **start)
    return project, build


def test_zip_everything_with_recursive_glob(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "files:\n  - '**/*'", s3_artifacts(bucket))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    names, content, data = zip_names(cbx, bucket, "out.zip")
    assert names == ["out/a.txt", "out/skip.log", "out/sub/b.txt", "out/sub/deeper/c.txt", "top.txt"]
    assert content["out/sub/deeper/c.txt"] == b"C\n"
    assert build["artifacts"]["location"] == f"arn:aws:s3:::{bucket}/out.zip"
    assert build["artifacts"]["sha256sum"] == hashlib.sha256(data).hexdigest()
    assert build["artifacts"]["md5sum"] == hashlib.md5(data).hexdigest()
    assert phases(build)["UPLOAD_ARTIFACTS"]["phaseStatus"] == "SUCCEEDED"


def test_base_directory_and_exclude_paths(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "base-directory: out\nfiles:\n  - '**/*'\nexclude-paths:\n  - '*.log'\n  - sub/deeper/**/*",
                   s3_artifacts(bucket))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    names, _, _ = zip_names(cbx, bucket, "out.zip")
    assert names == ["a.txt", "sub/b.txt"]


def test_discard_paths(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "files:\n  - out/**/*\n  - top.txt\ndiscard-paths: yes", s3_artifacts(bucket))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    names, _, _ = zip_names(cbx, bucket, "out.zip")
    assert names == ["a.txt", "b.txt", "c.txt", "skip.log", "top.txt"]


def test_one_level_glob_and_single_file(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "files:\n  - out/*\n  - out/sub/b.txt", s3_artifacts(bucket))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    names, _, _ = zip_names(cbx, bucket, "out.zip")
    assert names == ["out/a.txt", "out/skip.log", "out/sub/b.txt"]


def test_path_and_build_id_namespace(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "files: [top.txt]", s3_artifacts(bucket, path="releases/app", namespaceType="BUILD_ID",
                                                            name="bundle.zip"))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    uuid = build["id"].split(":")[1]
    key = f"releases/app/{uuid}/bundle.zip"
    assert keys(cbx, bucket) == [key]
    names, _, data = zip_names(cbx, bucket, key)
    assert names == ["top.txt"]
    assert build["artifacts"]["location"] == f"arn:aws:s3:::{bucket}/{key}"
    assert build["artifacts"]["sha256sum"] == hashlib.sha256(data).hexdigest()


def test_packaging_none_uploads_each_file(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "base-directory: out\nfiles:\n  - '**/*'",
                   s3_artifacts(bucket, packaging="NONE", path="site", name="web", namespaceType="BUILD_ID"))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    uuid = build["id"].split(":")[1]
    prefix = f"site/{uuid}/web"
    assert keys(cbx, bucket) == [f"{prefix}/a.txt", f"{prefix}/skip.log", f"{prefix}/sub/b.txt",
                                 f"{prefix}/sub/deeper/c.txt"]
    assert cbx.s3.get_object(Bucket=bucket, Key=f"{prefix}/sub/b.txt")["Body"].read() == b"B\n"
    assert build["artifacts"]["location"] == f"arn:aws:s3:::{bucket}/{prefix}"


def test_override_artifact_name_from_the_buildspec(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "files: [top.txt]\nname: app-$CODEBUILD_BUILD_NUMBER-$(echo x).zip",
                   s3_artifacts(bucket, name="ignored.zip", overrideArtifactName=True))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert keys(cbx, bucket) == ["app-1-x.zip"]
    assert build["artifacts"]["location"] == f"arn:aws:s3:::{bucket}/app-1-x.zip"


def test_buildspec_name_without_override_keeps_the_project_name(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "files: [top.txt]\nname: from-spec.zip", s3_artifacts(bucket, name="project-name.zip"))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert keys(cbx, bucket) == ["project-name.zip"]


def test_artifacts_override_at_start(cbx):
    bucket, other = cbx.bucket(), cbx.bucket()
    _, build = run(cbx, "files: [top.txt]", s3_artifacts(bucket),
                   artifactsOverride=s3_artifacts(other, name="over.zip"))
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert keys(cbx, bucket) == [] and keys(cbx, other) == ["over.zip"]


def test_no_matching_files_fails_upload(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "files:\n  - nothing/**/*\n  - '*.none'", s3_artifacts(bucket))
    assert build["buildStatus"] == "FAILED"
    p = phases(build)["UPLOAD_ARTIFACTS"]
    assert p["phaseStatus"] == "FAILED"
    assert p["contexts"][0] == {"statusCode": "CLIENT_ERROR", "message": "no matching artifact paths found"}
    assert phases(build)["BUILD"]["phaseStatus"] == "SUCCEEDED"
    assert "FINALIZING" in phases(build)
    assert keys(cbx, bucket) == []
    assert "Phase complete: UPLOAD_ARTIFACTS State: FAILED" in cbx.log(build)


def test_role_without_put_object_fails_upload(cbx):
    bucket = cbx.bucket()
    role = cbx.role(statements=[{"Effect": "Allow", "Action": ["logs:*", "ssm:*", "s3:GetObject"], "Resource": "*"}])
    project = cbx.project(buildspec=buildspec("files: [top.txt]"), artifacts=s3_artifacts(bucket), role=role)
    build = cbx.run(project)
    assert build["buildStatus"] == "FAILED"
    p = phases(build)["UPLOAD_ARTIFACTS"]
    assert p["phaseStatus"] == "FAILED", p
    assert p["contexts"] and p["contexts"][0]["statusCode"], p
    assert "s3:PutObject" in p["contexts"][0]["message"] or "AccessDenied" in p["contexts"][0]["message"], p
    assert keys(cbx, bucket) == []


def test_no_artifacts_project_ignores_the_buildspec_section(cbx):
    _, build = run(cbx, "files: [top.txt]", {"type": "NO_ARTIFACTS"})
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert phases(build)["UPLOAD_ARTIFACTS"]["phaseStatus"] == "SUCCEEDED"
    assert not build.get("artifacts", {}).get("location")


def test_artifact_keys_are_per_build(cbx):
    bucket = cbx.bucket()
    project = cbx.project(buildspec=buildspec("files: [top.txt]"),
                          artifacts=s3_artifacts(bucket, namespaceType="BUILD_ID", name=uid("n") + ".zip"))
    first, second = cbx.run(project), cbx.run(project)
    assert first["buildStatus"] == second["buildStatus"] == "SUCCEEDED"
    assert first["artifacts"]["location"] != second["artifacts"]["location"]
    assert len(keys(cbx, bucket)) == 2


def test_post_build_failure_still_uploads(cbx):
    bucket = cbx.bucket()
    body = ("version: 0.2\nphases:\n  build:\n    commands:\n      - echo T > top.txt\n  post_build:\n"
            "    commands:\n      - exit 3\nartifacts:\n  files: [top.txt]\n")
    build = cbx.run(cbx.project(buildspec=body, artifacts=s3_artifacts(bucket)))
    assert build["buildStatus"] == "FAILED"
    assert phases(build)["POST_BUILD"]["phaseStatus"] == "FAILED"
    assert phases(build)["UPLOAD_ARTIFACTS"]["phaseStatus"] == "SUCCEEDED"
    assert keys(cbx, bucket) == ["out.zip"]


def test_paths_are_relative_to_the_source_dir_whatever_the_last_cd(cbx):
    bucket = cbx.bucket()
    _, build = run(cbx, "files: [out/a.txt, top.txt]", s3_artifacts(bucket), commands=MAKE_TREE + ["cd /tmp"])
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    assert zip_names(cbx, bucket, "out.zip")[0] == ["out/a.txt", "top.txt"]


def test_zip_keeps_modes_and_follows_links(cbx):
    bucket = cbx.bucket()
    commands = ["mkdir -p bin real", "printf '#!/bin/sh\\\\necho hi\\\\n' > bin/run.sh", "chmod 755 bin/run.sh",
                "echo R > real/r.txt", "ln -s ../real/r.txt bin/link.txt"]
    _, build = run(cbx, "files: ['bin/*']", s3_artifacts(bucket), commands=commands)
    assert build["buildStatus"] == "SUCCEEDED", cbx.log(build)
    data = cbx.s3.get_object(Bucket=bucket, Key="out.zip")["Body"].read()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert sorted(z.namelist()) == ["bin/link.txt", "bin/run.sh"]
        assert (z.getinfo("bin/run.sh").external_attr >> 16) & 0o777 == 0o755
        assert z.read("bin/link.txt") == b"R\n"
