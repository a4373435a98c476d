#include "oci/manifest.h"

#include <gtest/gtest.h>

#include <string>

#include "common/json.h"

namespace {

using common::Json;

// Digests of the shape registries see (lower-case sha256); the content behind them is irrelevant here.
const std::string kConfigDigest = "sha256:feb5d9fea6a5e9606aa995e879d862b825965ba48de054caab5ef356dc6b3412";
const std::string kLayerDigest = "sha256:2db29710123e3e53a794f2694094b9b4338aa9ee5c40b930cb8063a1be392c54";
const std::string kAmd64Digest = "sha256:f54a58bc1aac5ea1a25d796ae155dc228b3f0e11d046ae276b39c4bf2f13d8c4";
const std::string kArmDigest = "sha256:7b8b7289d0536a08eabdf71c20246e23f7116641db7e1d278592236ea4dcb30c";
const std::string kEmptyJsonDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

// hello-world:linux/amd64 as Docker pushes it (v2 schema 2).
const char* kDockerV2 = R"({
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 1470,
      "digest": "sha256:feb5d9fea6a5e9606aa995e879d862b825965ba48de054caab5ef356dc6b3412"
   },
   "layers": [
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 2479,
         "digest": "sha256:2db29710123e3e53a794f2694094b9b4338aa9ee5c40b930cb8063a1be392c54"
      },
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 1000,
         "digest": "sha256:7b8b7289d0536a08eabdf71c20246e23f7116641db7e1d278592236ea4dcb30c"
      }
   ]
})";

// podman/buildah push an OCI manifest; the config descriptor may carry annotations.
const char* kOciManifestDoc = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {
    "mediaType": "application/vnd.oci.image.config.v1+json",
    "digest": "sha256:feb5d9fea6a5e9606aa995e879d862b825965ba48de054caab5ef356dc6b3412",
    "size": 581
  },
  "layers": [
    {
      "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
      "digest": "sha256:2db29710123e3e53a794f2694094b9b4338aa9ee5c40b930cb8063a1be392c54",
      "size": 3623807
    }
  ],
  "annotations": {"org.opencontainers.image.base.name": "docker.io/library/alpine:3.19"}
})";

const char* kDockerList = R"({
   "manifests": [
      {
         "digest": "sha256:f54a58bc1aac5ea1a25d796ae155dc228b3f0e11d046ae276b39c4bf2f13d8c4",
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "platform": {"architecture": "amd64", "os": "linux"},
         "size": 525
      },
      {
         "digest": "sha256:7b8b7289d0536a08eabdf71c20246e23f7116641db7e1d278592236ea4dcb30c",
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "platform": {"architecture": "arm", "os": "linux", "variant": "v7"},
         "size": 525
      }
   ],
   "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
   "schemaVersion": 2
})";

// docker buildx (BuildKit) with provenance attestations: an OCI index holding the image and
// an unknown/unknown attestation manifest that points back at it.
const char* kBuildxIndex = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "sha256:f54a58bc1aac5ea1a25d796ae155dc228b3f0e11d046ae276b39c4bf2f13d8c4",
      "size": 673,
      "platform": {"architecture": "amd64", "os": "linux"}
    },
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "sha256:7b8b7289d0536a08eabdf71c20246e23f7116641db7e1d278592236ea4dcb30c",
      "size": 566,
      "annotations": {
        "vnd.docker.reference.digest": "sha256:f54a58bc1aac5ea1a25d796ae155dc228b3f0e11d046ae276b39c4bf2f13d8c4",
        "vnd.docker.reference.type": "attestation-manifest"
      },
      "platform": {"architecture": "unknown", "os": "unknown"}
    }
  ]
})";

// An OCI 1.1 artifact (an SBOM attached to an image): artifactType, empty config, subject.
const char* kArtifact = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "artifactType": "application/vnd.example.sbom.v1",
  "config": {
    "mediaType": "application/vnd.oci.empty.v1+json",
    "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
    "size": 2,
    "data": "e30="
  },
  "layers": [
    {
      "mediaType": "application/spdx+json",
      "digest": "sha256:2db29710123e3e53a794f2694094b9b4338aa9ee5c40b930cb8063a1be392c54",
      "size": 1234,
      "annotations": {"org.opencontainers.image.title": "sbom.spdx.json"}
    }
  ],
  "subject": {
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "digest": "sha256:f54a58bc1aac5ea1a25d796ae155dc228b3f0e11d046ae276b39c4bf2f13d8c4",
    "size": 673
  },
  "annotations": {"org.opencontainers.image.created": "2024-01-02T03:04:05Z"}
})";

TEST(Manifest, DockerV2Schema2) {
  auto manifest = oci::parse_manifest(kDockerV2, std::string(oci::kDockerManifest));
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->media_type, oci::kDockerManifest);
  EXPECT_FALSE(manifest->is_index);
  ASSERT_TRUE(manifest->config);
  EXPECT_EQ(manifest->config->media_type, oci::kDockerConfig);
  EXPECT_EQ(manifest->config->digest, kConfigDigest);
  EXPECT_EQ(manifest->config->size, 1470);
  ASSERT_EQ(manifest->layers.size(), 2u);
  EXPECT_EQ(manifest->layers[0].digest, kLayerDigest);
  EXPECT_EQ(manifest->layers_size(), 2479 + 1000);
  EXPECT_TRUE(manifest->manifests.empty());
  EXPECT_FALSE(manifest->subject);
  // The referrers rule: no artifactType, so the config's media type.
  EXPECT_EQ(manifest->artifact_type, oci::kDockerConfig);
}

TEST(Manifest, OciImageManifest) {
  auto manifest = oci::parse_manifest(kOciManifestDoc, "");
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->media_type, oci::kOciManifest);
  EXPECT_FALSE(manifest->is_index);
  EXPECT_EQ(manifest->layers_size(), 3623807);
  EXPECT_EQ(manifest->artifact_type, oci::kOciConfig);
  EXPECT_EQ(manifest->annotations.at("org.opencontainers.image.base.name"), "docker.io/library/alpine:3.19");
}

TEST(Manifest, DockerManifestList) {
  auto manifest = oci::parse_manifest(kDockerList, std::string(oci::kDockerManifestList));
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->media_type, oci::kDockerManifestList);
  EXPECT_TRUE(manifest->is_index);
  EXPECT_FALSE(manifest->config);
  EXPECT_TRUE(manifest->layers.empty());
  EXPECT_EQ(manifest->layers_size(), 0);
  EXPECT_EQ(manifest->artifact_type, "");
  ASSERT_EQ(manifest->manifests.size(), 2u);
  EXPECT_EQ(manifest->manifests[0].digest, kAmd64Digest);
  EXPECT_EQ(manifest->manifests[0].size, 525);
  ASSERT_TRUE(manifest->manifests[1].platform_json);
  Json platform = Json::parse(*manifest->manifests[1].platform_json);
  EXPECT_EQ(platform["architecture"], "arm");
  EXPECT_EQ(platform["variant"], "v7");
}

TEST(Manifest, BuildxIndexWithAttestation) {
  auto manifest = oci::parse_manifest(kBuildxIndex, std::string(oci::kOciIndex));
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->media_type, oci::kOciIndex);
  EXPECT_TRUE(manifest->is_index);
  ASSERT_EQ(manifest->manifests.size(), 2u);
  const oci::Descriptor& image = manifest->manifests[0];
  const oci::Descriptor& attestation = manifest->manifests[1];
  EXPECT_EQ(image.media_type, oci::kOciManifest);
  EXPECT_TRUE(image.annotations.empty());
  EXPECT_EQ(Json::parse(*image.platform_json)["os"], "linux");
  EXPECT_EQ(attestation.annotations.at("vnd.docker.reference.type"), "attestation-manifest");
  EXPECT_EQ(attestation.annotations.at("vnd.docker.reference.digest"), kAmd64Digest);
  Json platform = Json::parse(*attestation.platform_json);
  EXPECT_EQ(platform["architecture"], "unknown");
  EXPECT_EQ(platform["os"], "unknown");
  EXPECT_EQ(manifest->artifact_type, "");
}

TEST(Manifest, ArtifactWithSubject) {
  auto manifest = oci::parse_manifest(kArtifact, std::string(oci::kOciManifest));
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->artifact_type, "application/vnd.example.sbom.v1");
  ASSERT_TRUE(manifest->subject);
  EXPECT_EQ(manifest->subject->digest, kAmd64Digest);
  EXPECT_EQ(manifest->subject->media_type, oci::kOciManifest);
  EXPECT_EQ(manifest->subject->size, 673);
  EXPECT_EQ(manifest->config->media_type, oci::kOciEmpty);
  EXPECT_EQ(manifest->config->digest, kEmptyJsonDigest);
  EXPECT_EQ(manifest->layers[0].annotations.at("org.opencontainers.image.title"), "sbom.spdx.json");
  EXPECT_EQ(manifest->annotations.at("org.opencontainers.image.created"), "2024-01-02T03:04:05Z");
}

TEST(Manifest, ArtifactTypeFallsBackToCustomConfigType) {
  // A Helm chart: no artifactType, so the referrers API reports the config's media type.
  Json doc = Json::parse(kOciManifestDoc);
  doc["config"]["mediaType"] = "application/vnd.cncf.helm.config.v1+json";
  auto manifest = oci::parse_manifest(doc.dump(), "");
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->artifact_type, "application/vnd.cncf.helm.config.v1+json");
}

TEST(Manifest, IndexArtifactTypeAndSubject) {
  Json doc = Json::parse(kBuildxIndex);
  doc["artifactType"] = "application/vnd.example.bundle";
  doc["subject"] = {{"mediaType", oci::kOciManifest}, {"digest", kArmDigest}, {"size", 10}};
  auto manifest = oci::parse_manifest(doc.dump(), "");
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->artifact_type, "application/vnd.example.bundle");
  ASSERT_TRUE(manifest->subject);
  EXPECT_EQ(manifest->subject->digest, kArmDigest);
}

TEST(Manifest, EmptyIndexIsValid) {
  auto manifest = oci::parse_manifest(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
                                         "manifests":[]})",
                                      "");
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_TRUE(manifest->is_index);
  EXPECT_TRUE(manifest->manifests.empty());
}

// Media type resolution: document versus Content-Type.

Json without_media_type(const char* text) {
  Json doc = Json::parse(text);
  doc.erase("mediaType");
  return doc;
}

TEST(ManifestMediaType, ContentTypeDecidesWhenDocumentHasNone) {
  auto manifest = oci::parse_manifest(without_media_type(kDockerV2).dump(), std::string(oci::kDockerManifest));
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->media_type, oci::kDockerManifest);
  auto list = oci::parse_manifest(without_media_type(kDockerList).dump(), std::string(oci::kDockerManifestList));
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_TRUE(list->is_index);
}

TEST(ManifestMediaType, OciShapeDecidesWithoutEither) {
  for (const char* content_type : {"", "application/json", "application/octet-stream"}) {
    auto image = oci::parse_manifest(without_media_type(kOciManifestDoc).dump(), content_type);
    ASSERT_TRUE(image) << image.error().message;
    EXPECT_EQ(image->media_type, oci::kOciManifest);
    auto index = oci::parse_manifest(without_media_type(kBuildxIndex).dump(), content_type);
    ASSERT_TRUE(index) << index.error().message;
    EXPECT_EQ(index->media_type, oci::kOciIndex);
    EXPECT_TRUE(index->is_index);
  }
}

TEST(ManifestMediaType, ContentTypeParametersAndCaseIgnored) {
  auto manifest = oci::parse_manifest(kOciManifestDoc, "Application/VND.oci.image.manifest.v1+json; charset=utf-8");
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->media_type, oci::kOciManifest);
}

TEST(ManifestMediaType, DocumentWinsOverGenericContentType) {
  auto manifest = oci::parse_manifest(kDockerV2, "application/json");
  ASSERT_TRUE(manifest) << manifest.error().message;
  EXPECT_EQ(manifest->media_type, oci::kDockerManifest);
}

TEST(ManifestMediaType, ConflictIsInvalid) {
  auto manifest = oci::parse_manifest(kDockerV2, std::string(oci::kOciManifest));
  ASSERT_FALSE(manifest);
  EXPECT_EQ(manifest.error().kind, common::ErrorKind::InvalidArgument);
  EXPECT_NE(manifest.error().message.find("does not match"), std::string::npos) << manifest.error().message;
  EXPECT_FALSE(oci::parse_manifest(kBuildxIndex, std::string(oci::kDockerManifestList)));
}

// Invalid documents: each mutation of a valid manifest must be refused.

struct InvalidCase {
  const char* name;
  std::string body;
  std::string content_type;
};

Json mutate(const char* base, void (*change)(Json&)) {
  Json doc = Json::parse(base);
  change(doc);
  return doc;
}

std::vector<InvalidCase> invalid_cases() {
  std::string docker(oci::kDockerManifest);
  std::string oci_index(oci::kOciIndex);
  return {
      {"not json", "{not json", ""},
      {"truncated", std::string(kDockerV2).substr(0, 100), docker},
      {"array", "[]", docker},
      {"string", "\"manifest\"", docker},
      {"empty body", "", docker},
      {"schema 1", mutate(kDockerV2, [](Json& d) { d["schemaVersion"] = 1; }).dump(), docker},
      {"schema missing", mutate(kDockerV2, [](Json& d) { d.erase("schemaVersion"); }).dump(), docker},
      {"schema string", mutate(kDockerV2, [](Json& d) { d["schemaVersion"] = "2"; }).dump(), docker},
      {"schema float", mutate(kDockerV2, [](Json& d) { d["schemaVersion"] = 2.5; }).dump(), docker},
      {"unknown media type",
       mutate(kDockerV2, [](Json& d) { d["mediaType"] = "application/vnd.docker.container.image.v1+json"; }).dump(),
       ""},
      {"media type not string", mutate(kDockerV2, [](Json& d) { d["mediaType"] = 5; }).dump(), ""},
      {"missing config", mutate(kDockerV2, [](Json& d) { d.erase("config"); }).dump(), docker},
      {"null config", mutate(kDockerV2, [](Json& d) { d["config"] = nullptr; }).dump(), docker},
      {"config not object", mutate(kDockerV2, [](Json& d) { d["config"] = "x"; }).dump(), docker},
      {"config without digest", mutate(kDockerV2, [](Json& d) { d["config"].erase("digest"); }).dump(), docker},
      {"config bad digest", mutate(kDockerV2, [](Json& d) { d["config"]["digest"] = "sha256:abc"; }).dump(), docker},
      {"config upper-case digest",
       mutate(kDockerV2,
              [](Json& d) {
                d["config"]["digest"] = "sha256:FEB5D9FEA6A5E9606AA995E879D862B825965BA48DE054CAAB5EF356DC6B3412";
              })
           .dump(),
       docker},
      {"config without size", mutate(kDockerV2, [](Json& d) { d["config"].erase("size"); }).dump(), docker},
      {"config negative size", mutate(kDockerV2, [](Json& d) { d["config"]["size"] = -1; }).dump(), docker},
      {"config float size", mutate(kDockerV2, [](Json& d) { d["config"]["size"] = 1.5; }).dump(), docker},
      {"config string size", mutate(kDockerV2, [](Json& d) { d["config"]["size"] = "1470"; }).dump(), docker},
      {"config without media type", mutate(kDockerV2, [](Json& d) { d["config"].erase("mediaType"); }).dump(), docker},
      {"config empty media type", mutate(kDockerV2, [](Json& d) { d["config"]["mediaType"] = ""; }).dump(), docker},
      {"layers not array", mutate(kDockerV2, [](Json& d) { d["layers"] = Json::object(); }).dump(), docker},
      {"layer not object", mutate(kDockerV2, [](Json& d) { d["layers"][1] = 7; }).dump(), docker},
      {"layer without media type", mutate(kDockerV2, [](Json& d) { d["layers"][1].erase("mediaType"); }).dump(),
       docker},
      {"layer bad digest", mutate(kDockerV2, [](Json& d) { d["layers"][0]["digest"] = "nodigest"; }).dump(), docker},
      {"annotations not object", mutate(kOciManifestDoc, [](Json& d) { d["annotations"] = Json::array(); }).dump(), ""},
      {"annotation not string", mutate(kOciManifestDoc, [](Json& d) { d["annotations"]["x"] = 1; }).dump(), ""},
      {"layer annotation not string",
       mutate(kArtifact, [](Json& d) { d["layers"][0]["annotations"]["n"] = true; }).dump(), ""},
      {"artifactType not string", mutate(kArtifact, [](Json& d) { d["artifactType"] = 1; }).dump(), ""},
      {"subject without digest", mutate(kArtifact, [](Json& d) { d["subject"].erase("digest"); }).dump(), ""},
      {"subject not object", mutate(kArtifact, [](Json& d) { d["subject"] = "sha256:x"; }).dump(), ""},
      {"image manifest with manifests", mutate(kOciManifestDoc, [](Json& d) { d["manifests"] = Json::array(); }).dump(),
       ""},
      {"index without manifests", mutate(kBuildxIndex, [](Json& d) { d.erase("manifests"); }).dump(), oci_index},
      {"index manifests not array", mutate(kBuildxIndex, [](Json& d) { d["manifests"] = "x"; }).dump(), oci_index},
      {"index entry bad digest", mutate(kBuildxIndex, [](Json& d) { d["manifests"][1]["digest"] = "sha256:"; }).dump(),
       oci_index},
      {"index entry without size", mutate(kBuildxIndex, [](Json& d) { d["manifests"][0].erase("size"); }).dump(),
       oci_index},
      {"index entry platform not object",
       mutate(kBuildxIndex, [](Json& d) { d["manifests"][0]["platform"] = "linux/amd64"; }).dump(), oci_index},
      {"index with config",
       mutate(kBuildxIndex, [](Json& d) { d["config"] = Json::parse(kDockerV2)["config"]; }).dump(), oci_index},
      {"index with layers", mutate(kBuildxIndex, [](Json& d) { d["layers"] = Json::array(); }).dump(), oci_index},
  };
}

TEST(ManifestInvalid, EachCaseIsRefused) {
  for (const InvalidCase& c : invalid_cases()) {
    auto manifest = oci::parse_manifest(c.body, c.content_type);
    EXPECT_FALSE(manifest) << c.name;
    if (!manifest) {
      EXPECT_EQ(manifest.error().kind, common::ErrorKind::InvalidArgument) << c.name;
      EXPECT_FALSE(manifest.error().message.empty()) << c.name;
    }
  }
}

// Accept negotiation.

TEST(Accept, DockerManifestAlwaysServed) {
  EXPECT_TRUE(oci::acceptable(oci::kDockerManifest, {}));
  EXPECT_TRUE(oci::acceptable(oci::kDockerManifest, {"*/*"}));
  EXPECT_TRUE(oci::acceptable(oci::kDockerManifest, {std::string(oci::kDockerManifest)}));
  EXPECT_TRUE(oci::acceptable(oci::kDockerManifest, {std::string(oci::kOciManifest)}));
}

TEST(Accept, OciManifestNeedsItsTypeOnceAcceptIsGiven) {
  EXPECT_TRUE(oci::acceptable(oci::kOciManifest, {}));
  EXPECT_TRUE(oci::acceptable(oci::kOciManifest, {"*/*"}));
  EXPECT_TRUE(oci::acceptable(oci::kOciManifest, {std::string(oci::kOciManifest)}));
  EXPECT_FALSE(oci::acceptable(oci::kOciManifest, {std::string(oci::kDockerManifest)}));
  EXPECT_FALSE(oci::acceptable(oci::kOciManifest, {"application/json"}));
}

TEST(Accept, IndexesNeedTheirTypeOrWildcard) {
  EXPECT_FALSE(oci::acceptable(oci::kOciIndex, {}));
  EXPECT_FALSE(oci::acceptable(oci::kDockerManifestList, {}));
  EXPECT_TRUE(oci::acceptable(oci::kOciIndex, {"*/*"}));
  EXPECT_TRUE(oci::acceptable(oci::kOciIndex, {std::string(oci::kOciIndex)}));
  EXPECT_FALSE(oci::acceptable(oci::kOciIndex, {std::string(oci::kDockerManifestList)}));
  EXPECT_TRUE(oci::acceptable(oci::kDockerManifestList, {std::string(oci::kDockerManifestList)}));
  EXPECT_FALSE(oci::acceptable(oci::kDockerManifestList, {std::string(oci::kOciIndex)}));
}

TEST(Accept, CommaSeparatedValuesWithParameters) {
  // What docker/containerd send: several types in one header, some with q-values.
  std::vector<std::string> accept = {
      "application/vnd.docker.distribution.manifest.v2+json, "
      "application/vnd.docker.distribution.manifest.list.v2+json;q=0.9",
      " application/vnd.oci.image.index.v1+json ; q=0.5,application/vnd.oci.image.manifest.v1+json"};
  EXPECT_TRUE(oci::acceptable(oci::kDockerManifestList, accept));
  EXPECT_TRUE(oci::acceptable(oci::kOciIndex, accept));
  EXPECT_TRUE(oci::acceptable(oci::kOciManifest, accept));
  EXPECT_FALSE(oci::acceptable(oci::kOciIndex, {"application/vnd.docker.distribution.manifest.v2+json, "
                                                "application/vnd.docker.distribution.manifest.list.v2+json"}));
}

}  // namespace
