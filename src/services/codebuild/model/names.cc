#include "services/codebuild/model/names.h"

namespace codebuild {

std::string project_arn(std::string_view region, std::string_view account, std::string_view name) {
  return "arn:aws:codebuild:" + std::string(region) + ":" + std::string(account) + ":project/" + std::string(name);
}

std::string build_arn(std::string_view region, std::string_view account, std::string_view build_id) {
  return "arn:aws:codebuild:" + std::string(region) + ":" + std::string(account) + ":build/" + std::string(build_id);
}

std::string project_of_build_id(std::string_view build_id) {
  auto colon = build_id.rfind(':');
  return colon == std::string_view::npos ? std::string() : std::string(build_id.substr(0, colon));
}

std::string uuid_of_build_id(std::string_view build_id) {
  auto colon = build_id.rfind(':');
  return colon == std::string_view::npos ? std::string(build_id) : std::string(build_id.substr(colon + 1));
}

namespace {
// The part after "<marker>" when `text` is an ARN of that resource type.
std::string_view after_marker(std::string_view text, std::string_view marker) {
  if (text.substr(0, 18) != "arn:aws:codebuild:") return text;
  auto at = text.find(marker);
  return at == std::string_view::npos ? text : text.substr(at + marker.size());
}
}  // namespace

std::string build_id_of(std::string_view id_or_arn) { return std::string(after_marker(id_or_arn, ":build/")); }
std::string project_name_of(std::string_view name_or_arn) {
  return std::string(after_marker(name_or_arn, ":project/"));
}

}  // namespace codebuild
