"""ECR's image and layer operations: the layer upload API, PutImage, DescribeImages, ListImages,
BatchGetImage, BatchDeleteImage and GetDownloadUrlForLayer, through boto3 and the aws CLI."""
import json
import os
import urllib.request
import uuid

import pytest

from ecr_api_helpers import (DEV_ACCOUNT, DOCKER_CONFIG, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, digest_of,
                             error_of, image_manifest, push_blob, push_image)


@pytest.fixture
def ecr(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="images")
    return ecr


# --- layers ---------------------------------------------------------------------------------

def test_layer_upload_in_parts_and_availability(ecr):
    # Every part but the last has at least 5 MiB.
    data = os.urandom(5 * 1024 * 1024 + 3000)
    upload = ecr.initiate_layer_upload(repositoryName="images")
    uuid.UUID(upload["uploadId"])
    assert upload["partSize"] >= 5 * 1024 * 1024
    digest = push_blob(ecr, "images", data, part_size=5 * 1024 * 1024)
    missing = digest_of(b"never pushed")
    out = ecr.batch_check_layer_availability(repositoryName="images", layerDigests=[digest, missing, "sha256:xyz"])
    assert out["layers"] == [{"layerDigest": digest, "layerAvailability": "AVAILABLE", "layerSize": len(data)}]
    failures = {f["layerDigest"]: f["failureCode"] for f in out["failures"]}
    assert failures == {missing: "MissingLayerDigest", "sha256:xyz": "InvalidLayerDigest"}


def test_layer_upload_errors(ecr):
    upload_id = ecr.initiate_layer_upload(repositoryName="images")["uploadId"]
    ecr.upload_layer_part(repositoryName="images", uploadId=upload_id, partFirstByte=0, partLastByte=3,
                          layerPartBlob=b"abcd")
    empty = ecr.initiate_layer_upload(repositoryName="images")["uploadId"]
    unknown = str(uuid.uuid4())
    part = ecr.upload_layer_part
    complete = ecr.complete_layer_upload
    cases = [
        # Parts must follow each other.
        ("InvalidLayerPartException", part,
         dict(uploadId=upload_id, partFirstByte=10, partLastByte=13, layerPartBlob=b"efgh")),
        ("InvalidLayerPartException", part,
         dict(uploadId=upload_id, partFirstByte=4, partLastByte=9, layerPartBlob=b"efgh")),
        # The content must hash to the digest given.
        ("InvalidLayerException", complete, dict(uploadId=upload_id, layerDigests=[digest_of(b"something else")])),
        ("UploadNotFoundException", part,
         dict(uploadId=unknown, partFirstByte=0, partLastByte=0, layerPartBlob=b"x")),
        ("UploadNotFoundException", complete, dict(uploadId=unknown, layerDigests=[digest_of(b"x")])),
        ("EmptyUploadException", complete, dict(uploadId=empty, layerDigests=[digest_of(b"")])),
        ("RepositoryNotFoundException", ecr.initiate_layer_upload, dict(repositoryName="nope")),
    ]
    for expected, call, kwargs in cases:
        code, _ = error_of(call, **{"repositoryName": "images", **kwargs})
        assert code == expected, (call, kwargs)


def test_complete_layer_upload_with_small_parts(ecr):
    upload_id = ecr.initiate_layer_upload(repositoryName="images")["uploadId"]
    ecr.upload_layer_part(repositoryName="images", uploadId=upload_id, partFirstByte=0, partLastByte=3,
                          layerPartBlob=b"abcd")
    out = ecr.upload_layer_part(repositoryName="images", uploadId=upload_id, partFirstByte=4, partLastByte=7,
                                layerPartBlob=b"efgh")
    assert out["lastByteReceived"] == 7 and out["uploadId"] == upload_id
    code, message = error_of(ecr.complete_layer_upload, repositoryName="images", uploadId=upload_id,
                             layerDigests=[digest_of(b"abcdefgh")])
    assert code == "LayerPartTooSmallException"
    assert message == "Layer parts must be at least 5 MiB in size"
    assert ecr.batch_check_layer_availability(repositoryName="images",
                                              layerDigests=[digest_of(b"abcdefgh")])["layers"] == []


def test_complete_layer_upload_of_existing_layer(ecr):
    data = b"the same bytes twice"
    digest = push_blob(ecr, "images", data)
    upload_id = ecr.initiate_layer_upload(repositoryName="images")["uploadId"]
    ecr.upload_layer_part(repositoryName="images", uploadId=upload_id, partFirstByte=0,
                          partLastByte=len(data) - 1, layerPartBlob=data)
    code, message = error_of(ecr.complete_layer_upload, repositoryName="images", uploadId=upload_id,
                             layerDigests=[digest])
    assert code == "LayerAlreadyExistsException"
    assert digest in message


def test_get_download_url_for_layer(ecr):
    data = os.urandom(500)
    digest = push_blob(ecr, "images", data)
    out = ecr.get_download_url_for_layer(repositoryName="images", layerDigest=digest)
    assert out["layerDigest"] == digest
    # The URL works without any other credentials, as AWS's presigned URL does.
    with urllib.request.urlopen(out["downloadUrl"], timeout=10) as r:
        assert r.read() == data
    code, _ = error_of(ecr.get_download_url_for_layer, repositoryName="images", layerDigest=digest_of(b"absent"))
    assert code == "LayersNotFoundException"
    code, _ = error_of(ecr.get_download_url_for_layer, repositoryName="nope", layerDigest=digest)
    assert code == "RepositoryNotFoundException"


# --- PutImage -------------------------------------------------------------------------------

def test_put_image_shape_and_rules(ecr):
    digest, manifest, _ = push_image(ecr, "images", "v1")
    assert digest == digest_of(manifest.encode())
    # The same manifest under the same tag again is refused; under a new tag it is added.
    code, message = error_of(ecr.put_image, repositoryName="images", imageManifest=manifest, imageTag="v1")
    assert code == "ImageAlreadyExistsException"
    assert message == (f"Image with digest '{digest}' and tag 'v1' already exists in the repository with name "
                       f"'images' in registry with id '{DEV_ACCOUNT}'")
    out = ecr.put_image(repositoryName="images", imageManifest=manifest, imageTag="latest")["image"]
    assert out == {"registryId": DEV_ACCOUNT, "repositoryName": "images",
                   "imageId": {"imageDigest": digest, "imageTag": "latest"},
                   "imageManifest": manifest, "imageManifestMediaType": DOCKER_MANIFEST}
    tags = ecr.describe_images(repositoryName="images")["imageDetails"][0]["imageTags"]
    assert sorted(tags) == ["latest", "v1"]
    code, _ = error_of(ecr.put_image, repositoryName="images", imageManifest=manifest, imageTag="v2",
                       imageDigest=digest_of(b"other"))
    assert code == "ImageDigestDoesNotMatchException"
    assert ecr.put_image(repositoryName="images", imageManifest=manifest, imageTag="v3",
                         imageDigest=digest)["image"]["imageId"]["imageDigest"] == digest


def test_put_image_missing_layers_and_bad_manifest(ecr):
    config = push_blob(ecr, "images", b"{}")
    manifest = image_manifest(config, 2, [(digest_of(b"not uploaded"), 12)])
    code, message = error_of(ecr.put_image, repositoryName="images", imageManifest=manifest, imageTag="x")
    assert code == "LayersNotFoundException"
    assert digest_of(b"not uploaded") in message
    code, _ = error_of(ecr.put_image, repositoryName="images", imageManifest="{not json", imageTag="x")
    assert code == "InvalidParameterException"
    index = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
        {"mediaType": OCI_MANIFEST, "digest": digest_of(b"no such manifest"), "size": 10,
         "platform": {"architecture": "amd64", "os": "linux"}}]})
    code, _ = error_of(ecr.put_image, repositoryName="images", imageManifest=index, imageTag="multi")
    assert code == "ReferencedImagesNotFoundException"
    assert ecr.list_images(repositoryName="images")["imageIds"] == []


def test_put_image_immutable_tag(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="frozen", imageTagMutability="IMMUTABLE")
    push_image(ecr, "frozen", "v1")
    code, message = error_of(push_image, ecr, "frozen", "v1")
    assert code == "ImageTagAlreadyExistsException"
    assert message == ("The image tag 'v1' already exists in the 'frozen' repository and cannot be overwritten "
                       "because the repository is immutable.")


def test_put_image_index_and_oci(ecr):
    child, child_manifest, _ = push_image(ecr, "images", None, media_type=OCI_MANIFEST)
    index = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
        {"mediaType": OCI_MANIFEST, "digest": child, "size": len(child_manifest),
         "platform": {"architecture": "amd64", "os": "linux"}}]})
    out = ecr.put_image(repositoryName="images", imageManifest=index, imageTag="multi",
                        imageManifestMediaType=OCI_INDEX)["image"]
    assert out["imageManifestMediaType"] == OCI_INDEX
    details = {d["imageDigest"]: d for d in ecr.describe_images(repositoryName="images")["imageDetails"]}
    assert details[child]["imageManifestMediaType"] == OCI_MANIFEST
    assert details[child]["artifactMediaType"] == "application/vnd.oci.image.config.v1+json"
    assert details[out["imageId"]["imageDigest"]]["imageTags"] == ["multi"]
    # A manifest an index lists cannot be deleted from under it.
    out = ecr.batch_delete_image(repositoryName="images", imageIds=[{"imageDigest": child}])
    assert out["imageIds"] == []
    assert out["failures"][0]["failureCode"] == "ImageReferencedByManifestList"


# --- DescribeImages / ListImages --------------------------------------------------------------

def test_describe_images_shape(ecr):
    digest, _, size = push_image(ecr, "images", "v1", layer_sizes=(300, 200))
    detail = ecr.describe_images(repositoryName="images")["imageDetails"][0]
    assert detail["registryId"] == DEV_ACCOUNT and detail["repositoryName"] == "images"
    assert detail["imageDigest"] == digest
    assert detail["imageTags"] == ["v1"]
    assert detail["imageSizeInBytes"] == size == 500
    assert detail["imageManifestMediaType"] == DOCKER_MANIFEST
    assert detail["artifactMediaType"] == DOCKER_CONFIG
    assert detail["imagePushedAt"].year >= 2024
    assert "lastRecordedPullTime" not in detail
    ecr.batch_get_image(repositoryName="images", imageIds=[{"imageTag": "v1"}])
    detail = ecr.describe_images(repositoryName="images", imageIds=[{"imageTag": "v1"}])["imageDetails"][0]
    assert detail["lastRecordedPullTime"] >= detail["imagePushedAt"]


def test_describe_images_filters_ids_and_errors(ecr):
    tagged, _, _ = push_image(ecr, "images", "v1")
    untagged, _, _ = push_image(ecr, "images", None)
    everything = ecr.describe_images(repositoryName="images")["imageDetails"]
    assert {d["imageDigest"] for d in everything} == {tagged, untagged}
    only_tagged = ecr.describe_images(repositoryName="images", filter={"tagStatus": "TAGGED"})["imageDetails"]
    assert [d["imageDigest"] for d in only_tagged] == [tagged]
    only_untagged = ecr.describe_images(repositoryName="images", filter={"tagStatus": "UNTAGGED"})["imageDetails"]
    assert [d["imageDigest"] for d in only_untagged] == [untagged]
    assert "imageTags" not in only_untagged[0]
    by_ids = ecr.describe_images(repositoryName="images",
                                 imageIds=[{"imageDigest": untagged}, {"imageTag": "v1"}])["imageDetails"]
    assert [d["imageDigest"] for d in by_ids] == [untagged, tagged]
    code, message = error_of(ecr.describe_images, repositoryName="images", imageIds=[{"imageTag": "v9"}])
    assert code == "ImageNotFoundException"
    assert message == ("The image with imageId {imageDigest:'null', imageTag:'v9'} does not exist within the "
                       f"repository with name 'images' in the registry with id '{DEV_ACCOUNT}'")
    code, message = error_of(ecr.describe_images, repositoryName="nope")
    assert code == "RepositoryNotFoundException"


def test_list_images_entries_filters_and_pages(ecr, aws):
    digest, manifest, _ = push_image(ecr, "images", "a")
    ecr.put_image(repositoryName="images", imageManifest=manifest, imageTag="b")
    untagged, _, _ = push_image(ecr, "images", None)
    ids = ecr.list_images(repositoryName="images")["imageIds"]
    entries = sorted((i["imageDigest"], i.get("imageTag")) for i in ids)
    assert entries == sorted([(digest, "a"), (digest, "b"), (untagged, None)])
    tagged = ecr.list_images(repositoryName="images", filter={"tagStatus": "TAGGED"})["imageIds"]
    assert sorted(i["imageTag"] for i in tagged) == ["a", "b"]
    assert ecr.list_images(repositoryName="images", filter={"tagStatus": "UNTAGGED"})["imageIds"] == [
        {"imageDigest": untagged}]
    first = ecr.list_images(repositoryName="images", maxResults=2)
    assert len(first["imageIds"]) == 2 and first["nextToken"]
    rest = ecr.list_images(repositoryName="images", maxResults=2, nextToken=first["nextToken"])
    assert len(rest["imageIds"]) == 1 and "nextToken" not in rest
    for v2 in (False, True):
        out = aws("ecr", "list-images", "--repository-name", "images", "--page-size", "1", v2=v2, check=True).json
        assert len(out["imageIds"]) == 3


# --- BatchGetImage / BatchDeleteImage --------------------------------------------------------

def test_batch_get_image(ecr):
    digest, manifest, _ = push_image(ecr, "images", "v1")
    other, _, _ = push_image(ecr, "images", "v2")
    out = ecr.batch_get_image(repositoryName="images", imageIds=[
        {"imageTag": "v1"}, {"imageDigest": digest}, {"imageDigest": digest, "imageTag": "v1"},
        {"imageTag": "missing"}, {}, {"imageDigest": digest, "imageTag": "v2"}, {"imageDigest": "bad"}])
    images = out["images"]
    assert [i["imageId"] for i in images] == [{"imageDigest": digest, "imageTag": "v1"}, {"imageDigest": digest},
                                              {"imageDigest": digest, "imageTag": "v1"}]
    assert images[0]["imageManifest"] == manifest
    assert images[0]["imageManifestMediaType"] == DOCKER_MANIFEST
    assert images[0]["registryId"] == DEV_ACCOUNT and images[0]["repositoryName"] == "images"
    failures = [(f["imageId"], f["failureCode"], f["failureReason"]) for f in out["failures"]]
    assert failures == [
        ({"imageTag": "missing"}, "ImageNotFound", "Requested image not found"),
        ({}, "MissingDigestAndTag", "Invalid request parameters: both tag and digest cannot be null"),
        ({"imageDigest": digest, "imageTag": "v2"}, "ImageTagDoesNotMatchDigest",
         "Invalid request parameters: image tag does not match digest"),
        ({"imageDigest": "bad"}, "InvalidImageDigest",
         "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'"),
    ]
    assert other != digest


def test_batch_get_image_accepted_media_types(ecr):
    push_image(ecr, "images", "oci", media_type=OCI_MANIFEST)
    push_image(ecr, "images", "docker")
    out = ecr.batch_get_image(repositoryName="images", imageIds=[{"imageTag": "oci"}, {"imageTag": "docker"}],
                              acceptedMediaTypes=[DOCKER_MANIFEST])
    assert [i["imageId"]["imageTag"] for i in out["images"]] == ["docker"]
    assert [f["imageId"] for f in out["failures"]] == [{"imageTag": "oci"}]
    out = ecr.batch_get_image(repositoryName="images", imageIds=[{"imageTag": "oci"}],
                              acceptedMediaTypes=[DOCKER_MANIFEST, OCI_MANIFEST])
    assert out["images"][0]["imageManifestMediaType"] == OCI_MANIFEST


def test_batch_delete_image(ecr):
    digest, manifest, _ = push_image(ecr, "images", "v1")
    ecr.put_image(repositoryName="images", imageManifest=manifest, imageTag="v2")
    ecr.put_image(repositoryName="images", imageManifest=manifest, imageTag="v3")
    # By tag: only the tag goes while others remain.
    out = ecr.batch_delete_image(repositoryName="images", imageIds=[{"imageTag": "v1"}])
    assert out["imageIds"] == [{"imageDigest": digest, "imageTag": "v1"}] and out["failures"] == []
    assert sorted(ecr.describe_images(repositoryName="images")["imageDetails"][0]["imageTags"]) == ["v2", "v3"]
    # By digest: the image and every tag.
    out = ecr.batch_delete_image(repositoryName="images", imageIds=[{"imageDigest": digest}, {"imageTag": "v1"}])
    assert sorted(i["imageTag"] for i in out["imageIds"]) == ["v2", "v3"]
    assert all(i["imageDigest"] == digest for i in out["imageIds"])
    assert out["failures"] == [{"imageId": {"imageTag": "v1"}, "failureCode": "ImageNotFound",
                                "failureReason": "Requested image not found"}]
    assert ecr.list_images(repositoryName="images")["imageIds"] == []
    # The last tag takes the image with it.
    single, _, _ = push_image(ecr, "images", "only")
    out = ecr.batch_delete_image(repositoryName="images", imageIds=[{"imageTag": "only"}, {}])
    assert out["imageIds"] == [{"imageDigest": single, "imageTag": "only"}]
    assert out["failures"][0]["failureCode"] == "MissingDigestAndTag"
    assert ecr.describe_images(repositoryName="images")["imageDetails"] == []


@pytest.mark.parametrize("v2", [False, True])
def test_cli_retag_with_batch_get_image_and_put_image(client, aws, v2):
    """AWS's documented retag recipe: read the manifest, put it back under a new tag."""
    ecr = client("ecr")
    ecr.create_repository(repositoryName="retag")
    digest, _, _ = push_image(ecr, "retag", "v1")
    manifest = aws("ecr", "batch-get-image", "--repository-name", "retag", "--image-ids", "imageTag=v1",
                   "--output", "text", "--query", "images[].imageManifest", v2=v2, check=True).stdout.strip()
    out = aws("ecr", "put-image", "--repository-name", "retag", "--image-tag", "release",
              "--image-manifest", manifest, v2=v2, check=True).json
    assert out["image"]["imageId"] == {"imageDigest": digest, "imageTag": "release"}
    described = aws("ecr", "describe-images", "--repository-name", "retag", v2=v2, check=True).json
    assert sorted(described["imageDetails"][0]["imageTags"]) == ["release", "v1"]
    deleted = aws("ecr", "batch-delete-image", "--repository-name", "retag", "--image-ids", "imageTag=release",
                  v2=v2, check=True).json
    assert deleted["imageIds"] == [{"imageDigest": digest, "imageTag": "release"}]
