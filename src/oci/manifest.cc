#include "oci/manifest.h"

#include <fmt/format.h>

#include <utility>

#include "common/json.h"
#include "common/strings.h"
#include "oci/digest.h"

namespace oci {
namespace {

using common::Json;

common::Unexpected<common::Error> invalid(std::string message) {
  return common::fail(common::make_error(common::ErrorKind::InvalidArgument, std::move(message)));
}

// "type/subtype; param=x" -> "type/subtype", lower-cased (media types are case-insensitive).
std::string bare_media_type(std::string_view value) {
  size_t semicolon = value.find(';');
  if (semicolon != std::string_view::npos) {
    value = value.substr(0, semicolon);
  }
  return common::to_lower(common::trim(value));
}

bool is_manifest_type(std::string_view media_type) {
  return media_type == kDockerManifest || media_type == kDockerManifestList || media_type == kOciManifest ||
         media_type == kOciIndex;
}

bool is_index_type(std::string_view media_type) { return media_type == kDockerManifestList || media_type == kOciIndex; }

common::Result<std::map<std::string, std::string>> parse_annotations(const Json& parent, std::string_view where) {
  std::map<std::string, std::string> annotations;
  auto it = parent.find("annotations");
  if (it == parent.end() || it->is_null()) {
    return annotations;
  }
  if (!it->is_object()) {
    return invalid(fmt::format("{}annotations must be an object", where));
  }
  for (const auto& [key, value] : it->items()) {
    if (!value.is_string()) {
      return invalid(fmt::format("{}annotation {} must be a string", where, key));
    }
    annotations.emplace(key, value.get<std::string>());
  }
  return annotations;
}

// An optional string member; a present member of another type is an error.
common::Result<std::string> optional_string(const Json& parent, const char* name, std::string_view where) {
  auto it = parent.find(name);
  if (it == parent.end() || it->is_null()) {
    return std::string();
  }
  if (!it->is_string()) {
    return invalid(fmt::format("{}{} must be a string", where, name));
  }
  return it->get<std::string>();
}

// A content descriptor (image-spec descriptor.md): mediaType, digest and size are required.
common::Result<Descriptor> parse_descriptor(const Json& json, const std::string& where) {
  if (!json.is_object()) {
    return invalid(fmt::format("{} must be an object", where));
  }
  Descriptor descriptor;
  auto media_type = json.find("mediaType");
  if (media_type == json.end() || !media_type->is_string() || media_type->get<std::string>().empty()) {
    return invalid(fmt::format("{}: mediaType is required", where));
  }
  descriptor.media_type = media_type->get<std::string>();
  auto digest = json.find("digest");
  if (digest == json.end() || !digest->is_string() || !parse_digest(digest->get<std::string>())) {
    return invalid(fmt::format("{}: invalid digest", where));
  }
  descriptor.digest = digest->get<std::string>();
  auto size = json.find("size");
  if (size == json.end() || !size->is_number_integer() || size->get<int64_t>() < 0) {
    return invalid(fmt::format("{}: size must be a non-negative integer", where));
  }
  descriptor.size = size->get<int64_t>();
  auto artifact_type = optional_string(json, "artifactType", where + ": ");
  if (!artifact_type) {
    return common::fail(std::move(artifact_type.error()));
  }
  descriptor.artifact_type = std::move(*artifact_type);
  auto annotations = parse_annotations(json, where + ": ");
  if (!annotations) {
    return common::fail(std::move(annotations.error()));
  }
  descriptor.annotations = std::move(*annotations);
  auto platform = json.find("platform");
  if (platform != json.end() && !platform->is_null()) {
    if (!platform->is_object()) {
      return invalid(fmt::format("{}: platform must be an object", where));
    }
    descriptor.platform_json = platform->dump();
  }
  return descriptor;
}

common::Result<std::vector<Descriptor>> parse_descriptor_list(const Json& document, const char* name, bool required) {
  std::vector<Descriptor> list;
  auto it = document.find(name);
  if (it == document.end() || it->is_null()) {
    if (required) {
      return invalid(fmt::format("{} is required", name));
    }
    return list;
  }
  if (!it->is_array()) {
    return invalid(fmt::format("{} must be an array", name));
  }
  for (size_t i = 0; i < it->size(); ++i) {
    auto descriptor = parse_descriptor((*it)[i], fmt::format("{}[{}]", name, i));
    if (!descriptor) {
      return common::fail(std::move(descriptor.error()));
    }
    list.push_back(std::move(*descriptor));
  }
  return list;
}

// Distribution's rule: the document's mediaType and a manifest Content-Type must agree; without a
// document mediaType the Content-Type decides; OCI documents may omit both, and then the shape
// (a "manifests" array) tells an index from an image manifest.
common::Result<std::string> resolve_media_type(const Json& document, std::string_view content_type) {
  std::string header = bare_media_type(content_type);
  auto it = document.find("mediaType");
  if (it != document.end() && !it->is_null()) {
    if (!it->is_string()) {
      return invalid("mediaType must be a string");
    }
    std::string declared = it->get<std::string>();
    if (!is_manifest_type(declared)) {
      return invalid(fmt::format("unsupported manifest media type {}", declared));
    }
    if (is_manifest_type(header) && header != declared) {
      return invalid(fmt::format("mediaType in manifest ({}) does not match Content-Type ({})", declared, header));
    }
    return declared;
  }
  if (is_manifest_type(header)) {
    return header;
  }
  return std::string(document.contains("manifests") ? kOciIndex : kOciManifest);
}

common::Status<> parse_image_fields(const Json& document, Manifest& manifest) {
  // An image manifest carrying "manifests" is ambiguous (CVE-2021-41190); Distribution refuses it.
  if (document.contains("manifests")) {
    return invalid("image manifest must not contain manifests");
  }
  auto config = document.find("config");
  if (config == document.end() || config->is_null()) {
    return invalid("config is required");
  }
  auto descriptor = parse_descriptor(*config, "config");
  if (!descriptor) {
    return common::fail(std::move(descriptor.error()));
  }
  manifest.config = std::move(*descriptor);
  auto layers = parse_descriptor_list(document, "layers", false);
  if (!layers) {
    return common::fail(std::move(layers.error()));
  }
  manifest.layers = std::move(*layers);
  return common::ok();
}

common::Status<> parse_index_fields(const Json& document, Manifest& manifest) {
  if (document.contains("config") || document.contains("layers")) {
    return invalid("index must not contain config or layers");
  }
  auto manifests = parse_descriptor_list(document, "manifests", true);
  if (!manifests) {
    return common::fail(std::move(manifests.error()));
  }
  manifest.manifests = std::move(*manifests);
  return common::ok();
}

common::Status<> parse_common_fields(const Json& document, Manifest& manifest) {
  auto subject = document.find("subject");
  if (subject != document.end() && !subject->is_null()) {
    auto descriptor = parse_descriptor(*subject, "subject");
    if (!descriptor) {
      return common::fail(std::move(descriptor.error()));
    }
    manifest.subject = std::move(*descriptor);
  }
  auto artifact_type = optional_string(document, "artifactType", "");
  if (!artifact_type) {
    return common::fail(std::move(artifact_type.error()));
  }
  // Distribution spec, referrers API: the manifest's artifactType, else (image manifests only)
  // the config descriptor's mediaType; an index without artifactType has none.
  manifest.artifact_type = std::move(*artifact_type);
  if (manifest.artifact_type.empty() && manifest.config) {
    manifest.artifact_type = manifest.config->media_type;
  }
  auto annotations = parse_annotations(document, "");
  if (!annotations) {
    return common::fail(std::move(annotations.error()));
  }
  manifest.annotations = std::move(*annotations);
  return common::ok();
}

bool schema_version_is_2(const Json& document) {
  auto it = document.find("schemaVersion");
  return it != document.end() && it->is_number_integer() && it->get<int64_t>() == 2;
}

}  // namespace

int64_t Manifest::layers_size() const {
  int64_t total = 0;
  for (const Descriptor& layer : layers) {
    total += layer.size;
  }
  return total;
}

common::Result<Manifest> parse_manifest(std::string_view bytes, std::string_view content_type) {
  Json document = Json::parse(bytes, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return invalid("manifest is not a JSON object");
  }
  if (!schema_version_is_2(document)) {
    return invalid("schemaVersion must be 2");
  }
  auto media_type = resolve_media_type(document, content_type);
  if (!media_type) {
    return common::fail(std::move(media_type.error()));
  }
  Manifest manifest;
  manifest.media_type = std::move(*media_type);
  manifest.is_index = is_index_type(manifest.media_type);
  auto shape = manifest.is_index ? parse_index_fields(document, manifest) : parse_image_fields(document, manifest);
  if (!shape) {
    return common::fail(std::move(shape.error()));
  }
  auto rest = parse_common_fields(document, manifest);
  if (!rest) {
    return common::fail(std::move(rest.error()));
  }
  return manifest;
}

bool acceptable(std::string_view media_type, const std::vector<std::string>& accept) {
  bool any_given = false;
  bool wildcard = false;
  bool listed = false;
  for (const std::string& header : accept) {
    for (std::string_view value : common::split(header, ',')) {
      std::string type = bare_media_type(value);
      if (type.empty()) {
        continue;
      }
      any_given = true;
      wildcard = wildcard || type == "*/*";
      listed = listed || type == media_type;
    }
  }
  if (media_type == kDockerManifest) {
    return true;
  }
  if (media_type == kOciManifest) {
    return !any_given || wildcard || listed;
  }
  return wildcard || listed;
}

}  // namespace oci
