"""Secondary sources (beside the primary, CODEBUILD_SRC_DIR_<id>, at secondarySourceVersions'
version) and secondary artifacts (the buildspec's secondary-artifacts, uploaded to the project's
secondaryArtifacts of the same identifier), and the local custom cache between builds."""
import io
import zipfile

from conftest import phases, zip_bytes


def test_secondary_sources_sit_beside_the_primary_at_their_versions(cbx):
    bucket = cbx.bucket(versioned=True)
    cbx.s3.put_object(Bucket=bucket, Key="main.zip", Body=zip_bytes({"a.txt": "primary"}))
    old = cbx.s3.put_object(Bucket=bucket, Key="extra.zip", Body=zip_bytes({"b.txt": "old"}))["VersionId"]
    cbx.s3.put_object(Bucket=bucket, Key="extra.zip", Body=zip_bytes({"b.txt": "new"}))
    buildspec = ("version: 0.2\nphases:\n  build:\n    commands:\n"
                 "      - echo \"main=$(cat a.txt) extra=$(cat $CODEBUILD_SRC_DIR_extra/b.txt)\"\n"
                 "      - echo \"dir=$CODEBUILD_SRC_DIR_extra version=$CODEBUILD_SOURCE_VERSION_extra\"\n"
                 "      - test \"$(dirname $CODEBUILD_SRC_DIR_extra)\" = \"$(dirname $CODEBUILD_SRC_DIR)\"\n")
    project = cbx.project(source={"type": "S3", "location": f"{bucket}/main.zip", "buildspec": buildspec},
                          secondarySources=[{"type": "S3", "location": f"{bucket}/extra.zip",
                                             "sourceIdentifier": "extra"}])
    latest = cbx.run(project)
    assert latest["buildStatus"] == "SUCCEEDED", latest["phases"]
    assert "main=primary extra=new" in cbx.log(latest)
    pinned = cbx.run(project, secondarySourcesVersionOverride=[{"sourceIdentifier": "extra", "sourceVersion": old}])
    assert pinned["buildStatus"] == "SUCCEEDED", pinned["phases"]
    log = cbx.log(pinned)
    assert "main=primary extra=old" in log
    assert f"version={old}" in log


def test_a_missing_secondary_source_fails_download_source(cbx):
    bucket = cbx.bucket()
    project = cbx.project(secondarySources=[{"type": "S3", "location": f"{bucket}/nothing.zip",
                                             "sourceIdentifier": "gone"}])
    build = cbx.run(project)
    assert build["buildStatus"] == "FAILED"
    download = phases(build)["DOWNLOAD_SOURCE"]
    assert download["phaseStatus"] == "FAILED"
    assert download["contexts"][0]["statusCode"] == "CLIENT_ERROR"


def test_secondary_artifacts_go_to_their_own_locations(cbx):
    bucket = cbx.bucket()
    buildspec = ("version: 0.2\nphases:\n  build:\n    commands:\n"
                 "      - mkdir -p web docs && echo w > web/index.html && echo d > docs/readme.txt\n"
                 "artifacts:\n  files: ['web/*']\n  secondary-artifacts:\n"
                 "    docs:\n      files: ['docs/*']\n      discard-paths: yes\n")
    project = cbx.project(buildspec=buildspec,
                          artifacts={"type": "S3", "location": bucket, "name": "web.zip", "packaging": "ZIP"},
                          secondaryArtifacts=[{"type": "S3", "location": bucket, "name": "docs.zip",
                                               "packaging": "ZIP", "artifactIdentifier": "docs"}])
    build = cbx.run(project)
    assert build["buildStatus"] == "SUCCEEDED", build["phases"]
    assert build["artifacts"]["location"] == f"arn:aws:s3:::{bucket}/web.zip"
    (docs,) = build["secondaryArtifacts"]
    assert docs["artifactIdentifier"] == "docs"
    assert docs["location"] == f"arn:aws:s3:::{bucket}/docs.zip"
    data = cbx.s3.get_object(Bucket=bucket, Key="docs.zip")["Body"].read()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == ["readme.txt"]


def test_a_secondary_artifact_the_buildspec_does_not_define_fails_upload(cbx):
    bucket = cbx.bucket()
    buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo x > x\nartifacts:\n  files: [x]\n"
    project = cbx.project(buildspec=buildspec, artifacts={"type": "S3", "location": bucket, "name": "x.zip",
                                                          "packaging": "ZIP"},
                          secondaryArtifacts=[{"type": "S3", "location": bucket, "name": "y",
                                               "artifactIdentifier": "missing"}])
    build = cbx.run(project)
    assert build["buildStatus"] == "FAILED"
    upload = phases(build)["UPLOAD_ARTIFACTS"]
    assert upload["phaseStatus"] == "FAILED"
    assert "missing" in upload["contexts"][0]["message"]


def test_local_custom_cache_keeps_paths_between_builds(cbx):
    buildspec = ("version: 0.2\nphases:\n  build:\n    commands:\n"
                 "      - mkdir -p /root/.cache/tool deps\n"
                 "      - echo run >> /root/.cache/tool/runs && echo \"runs=$(wc -l < /root/.cache/tool/runs)\"\n"
                 "      - echo dep >> deps/list && echo \"deps=$(wc -l < deps/list)\"\n"
                 "cache:\n  paths:\n    - /root/.cache/tool/**/*\n    - deps/**/*\n")
    project = cbx.project(buildspec=buildspec, cache={"type": "LOCAL", "modes": ["LOCAL_CUSTOM_CACHE"]})
    first = cbx.run(project)
    second = cbx.run(project)
    assert first["buildStatus"] == second["buildStatus"] == "SUCCEEDED"
    assert "runs=1" in cbx.log(first) and "deps=1" in cbx.log(first)
    assert "runs=2" in cbx.log(second) and "deps=2" in cbx.log(second)
    other = cbx.run(cbx.project(buildspec=buildspec, cache={"type": "LOCAL", "modes": ["LOCAL_CUSTOM_CACHE"]}))
    assert "runs=1" in cbx.log(other), "another project has its own cache"
    uncached = cbx.project(buildspec=buildspec)
    cbx.run(uncached)
    assert "runs=1" in cbx.log(cbx.run(uncached)), "no cache without cache type LOCAL"
