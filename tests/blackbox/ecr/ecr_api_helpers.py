"""Shared bits of ECR's API black-box tests: pushing blobs and images through the layer API
(InitiateLayerUpload / UploadLayerPart / CompleteLayerUpload / PutImage), so no container tool
is needed, and reading errors."""
import hashlib
import json
import os

import botocore.exceptions
import pytest

DEV_ACCOUNT = "000000000000"
PROD_ACCOUNT = "111111111111"

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def error_of(call, *args, **kwargs):
    """Runs a boto3 call that must fail; returns (code, message)."""
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(*args, **kwargs)
    err = info.value.response["Error"]
    return err["Code"], err.get("Message", "")


def push_blob(ecr, repo, data, part_size=None, **extra):
    """Uploads `data` in parts through the layer API; returns its digest."""
    upload = ecr.initiate_layer_upload(repositoryName=repo, **extra)
    upload_id = upload["uploadId"]
    step = part_size or max(len(data), 1)
    offset = 0
    while offset < len(data):
        part = data[offset:offset + step]
        out = ecr.upload_layer_part(repositoryName=repo, uploadId=upload_id, partFirstByte=offset,
                                    partLastByte=offset + len(part) - 1, layerPartBlob=part, **extra)
        assert out["lastByteReceived"] == offset + len(part) - 1
        offset += len(part)
    digest = digest_of(data)
    done = ecr.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[digest], **extra)
    assert done["layerDigest"] == digest
    return digest


def image_manifest(config_digest, config_size, layers, media_type=DOCKER_MANIFEST):
    """A schema-2 (or OCI) image manifest text over pushed blobs: layers = [(digest, size)]."""
    oci = media_type == OCI_MANIFEST
    return json.dumps({
        "schemaVersion": 2,
        "mediaType": media_type,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json" if oci else DOCKER_CONFIG,
                   "size": config_size, "digest": config_digest},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip" if oci else DOCKER_LAYER,
                    "size": size, "digest": digest} for digest, size in layers],
    }, indent=3)


def push_image(ecr, repo, tag=None, layer_sizes=(100, 50), media_type=DOCKER_MANIFEST, seed=None, **extra):
    """Pushes a config and random layers, then the manifest with PutImage. Returns
    (image digest, manifest text, total layer size)."""
    seed = seed if seed is not None else os.urandom(8).hex()
    config = json.dumps({"architecture": "amd64", "os": "linux", "seed": seed}).encode()
    config_digest = push_blob(ecr, repo, config, **extra)
    layers = []
    for size in layer_sizes:
        data = os.urandom(size)
        layers.append((push_blob(ecr, repo, data, **extra), size))
    manifest = image_manifest(config_digest, len(config), layers, media_type)
    args = dict(repositoryName=repo, imageManifest=manifest, **extra)
    if tag:
        args["imageTag"] = tag
    out = ecr.put_image(**args)
    return out["image"]["imageId"]["imageDigest"], manifest, sum(layer_sizes)
