// Image manifests and indexes as registries see them: media types, the descriptors a
// manifest references (config, layers, child manifests, subject), parsed from the exact bytes
// a client pushed. The bytes themselves are stored and served verbatim; this only reads them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace oci {

inline constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciEmpty = "application/vnd.oci.empty.v1+json";

struct Descriptor {
  std::string media_type;
  std::string digest;  // "sha256:..."
  int64_t size = 0;
  std::string artifact_type;                       // OCI 1.1, optional
  std::map<std::string, std::string> annotations;  // optional
  std::optional<std::string> platform_json;        // index entries: the "platform" object as JSON text
};

struct Manifest {
  std::string media_type;             // one of the four manifest types above
  bool is_index = false;              // manifest list / image index
  std::optional<Descriptor> config;   // image manifests
  std::vector<Descriptor> layers;     // image manifests
  std::vector<Descriptor> manifests;  // indexes
  std::optional<Descriptor> subject;  // OCI 1.1 referrers
  std::string artifact_type;          // manifest's artifactType, else config.mediaType (the
                                      // distribution spec's referrers rule); "" for indexes without one
  std::map<std::string, std::string> annotations;
  // Sum of layer sizes (image manifests) - what ECR reports as imageSizeInBytes.
  int64_t layers_size() const;
};

// Parses and validates a pushed manifest. `content_type` is the request's Content-Type ("" when
// absent); the document's own "mediaType" wins when present, and they must agree when both
// are given. Fails (message for MANIFEST_INVALID) on bad JSON, an unknown or missing media
// type, schemaVersion != 2, a descriptor without a valid digest/size/mediaType, or an image
// manifest without config.
common::Result<Manifest> parse_manifest(std::string_view bytes, std::string_view content_type);

// Accept negotiation (what Distribution does): a stored manifest of `media_type` may be
// served to a request whose Accept headers (all values, comma-split, parameters ignored)
// are `accept`. Docker v2 schema 2 and OCI image manifests are always served when Accept is
// empty or "*/*"; OCI manifests need their type listed when any Accept is given; manifest
// lists / indexes need their type (or "*/*") listed.
bool acceptable(std::string_view media_type, const std::vector<std::string>& accept);

}  // namespace oci
