#include "services/codebuild/buildspec/location.h"

#include <yaml-cpp/yaml.h>

#include "common/strings.h"

namespace buildspec {
namespace {

bool parses_as_mapping(std::string_view text) {
  try {
    return YAML::Load(std::string(text)).IsMap();
  } catch (const YAML::Exception&) {
    return false;
  }
}

}  // namespace

Location locate_buildspec(std::string_view field) {
  Location location;
  const std::string_view trimmed = common::trim(field);
  if (trimmed.empty()) {
    location.path = "buildspec.yml";
    return location;
  }
  // arn:aws:s3:::bucket/key (any partition: aws, aws-cn, aws-us-gov).
  const size_t s3 = trimmed.find(":s3:::");
  if (trimmed.substr(0, 4) == "arn:" && s3 != std::string_view::npos && trimmed.find('\n') == std::string_view::npos) {
    const std::string_view object = trimmed.substr(s3 + 6);
    const size_t slash = object.find('/');
    location.kind = LocationKind::S3Object;
    location.bucket = std::string(object.substr(0, slash));
    location.key = slash == std::string_view::npos ? "" : std::string(object.substr(slash + 1));
    return location;
  }
  if (trimmed.find('\n') != std::string_view::npos || parses_as_mapping(trimmed)) {
    location.kind = LocationKind::Inline;
    location.text = std::string(field);
    return location;
  }
  std::string_view path = trimmed;
  while (path.substr(0, 2) == "./") path.remove_prefix(2);
  location.path = std::string(path);
  return location;
}

}  // namespace buildspec
