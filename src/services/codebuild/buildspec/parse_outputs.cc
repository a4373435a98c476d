// The buildspec's outputs: reports, artifacts (with secondary artifacts) and cache.
#include <yaml-cpp/yaml.h>

#include <array>
#include <cctype>
#include <string>

#include "common/strings.h"
#include "services/codebuild/buildspec/buildspec.h"
#include "services/codebuild/buildspec/parse_internal.h"

namespace buildspec::internal {
namespace {

constexpr std::array<const char*, 10> kReportFormats{"CUCUMBERJSON", "JUNITXML",        "NUNITXML",  "NUNIT3XML",
                                                     "TESTNGXML",    "VISUALSTUDIOTRX", "CLOVERXML", "COBERTURAXML",
                                                     "JACOCOXML",    "SIMPLECOV"};

std::string upper(std::string_view text) {
  std::string out;
  for (char c : text) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<PhaseError> parse_report(const std::string& group, const YAML::Node& node, ReportSpec& report) {
  const std::string where = "reports/" + group;
  if (!node.IsMap()) {
    return yaml_error("Expected " + where + " to be of map type: found " + found(node) + " instead" + at_line(node));
  }
  report.group = group;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    const YAML::Node& value = it->second;
    if (key == "files") {
      auto files = string_list(value, where + "/files", /*allow_scalar=*/true);
      if (!files.ok()) return files.error();
      report.files = std::move(*files);
    } else if (key == "base-directory") {
      auto dir = scalar(value, where + "/base-directory");
      if (!dir.ok()) return dir.error();
      report.base_directory = *dir;
    } else if (key == "discard-paths") {
      auto flag = boolean(value, where + "/discard-paths");
      if (!flag.ok()) return flag.error();
      report.discard_paths = *flag;
    } else if (key == "file-format") {
      auto format = scalar(value, where + "/file-format");
      if (!format.ok()) return format.error();
      report.file_format = upper(common::trim(*format));
      bool known = false;
      for (const char* f : kReportFormats) known = known || report.file_format == f;
      if (!known) {
        return yaml_error("Invalid report file format: " + *format +
                          ". Expecting: CUCUMBERJSON,JUNITXML,NUNITXML,NUNIT3XML,TESTNGXML,VISUALSTUDIOTRX,"
                          "CLOVERXML,COBERTURAXML,JACOCOXML,SIMPLECOV");
      }
    }
  }
  if (report.files.empty()) return yaml_error("Missing files in " + where + ": files are required");
  return std::nullopt;
}

std::optional<PhaseError> parse_artifact(const std::string& where, const YAML::Node& node, ArtifactSpec& out,
                                         bool secondary_allowed, ArtifactsSpec* parent) {
  if (!node.IsMap()) {
    return yaml_error("Expected " + where + " to be of map type: found " + found(node) + " instead" + at_line(node));
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    const YAML::Node& value = it->second;
    std::optional<PhaseError> error;
    if (key == "files") {
      auto files = string_list(value, where + "/files", /*allow_scalar=*/true);
      if (!files.ok()) return files.error();
      out.files = std::move(*files);
    } else if (key == "name" || key == "base-directory" || key == "s3-prefix") {
      auto text = scalar(value, where + "/" + key);
      if (!text.ok()) return text.error();
      (key == "name" ? out.name : key == "s3-prefix" ? out.s3_prefix : out.base_directory) = *text;
    } else if (key == "discard-paths" || key == "enable-symlinks") {
      auto flag = boolean(value, where + "/" + key);
      if (!flag.ok()) return flag.error();
      (key == "discard-paths" ? out.discard_paths : out.enable_symlinks) = *flag;
    } else if (key == "exclude-paths") {
      auto paths = string_list(value, where + "/exclude-paths", /*allow_scalar=*/true);
      if (!paths.ok()) return paths.error();
      out.exclude_paths = std::move(*paths);
    } else if (key == "secondary-artifacts" && secondary_allowed) {
      if ((error = expect_map(value, where + "/secondary-artifacts"))) return error;
      for (auto s = value.begin(); s != value.end(); ++s) {
        const std::string id = s->first.Scalar();
        ArtifactSpec secondary;
        if ((error = parse_artifact(where + "/secondary-artifacts/" + id, s->second, secondary, false, nullptr))) {
          return error;
        }
        parent->secondary.emplace_back(id, std::move(secondary));
      }
    }
  }
  // AWS: artifacts/files is required, even when only secondary artifacts are wanted.
  if (out.files.empty()) return yaml_error("Missing files in " + where + ": files are required");
  return std::nullopt;
}

}  // namespace

std::optional<PhaseError> parse_reports(const YAML::Node& node, std::vector<ReportSpec>& reports) {
  if (auto e = expect_map(node, "reports")) return e;
  for (auto it = node.begin(); it != node.end(); ++it) {
    ReportSpec report;
    if (auto e = parse_report(it->first.Scalar(), it->second, report)) return e;
    reports.push_back(std::move(report));
  }
  return std::nullopt;
}

std::optional<PhaseError> parse_artifacts(const YAML::Node& node, ArtifactsSpec& artifacts) {
  return parse_artifact("artifacts", node, artifacts.primary, /*secondary_allowed=*/true, &artifacts);
}

std::optional<PhaseError> parse_cache(const YAML::Node& node, CacheSpec& cache) {
  if (auto e = expect_map(node, "cache")) return e;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    const YAML::Node& value = it->second;
    if (key == "paths" || key == "fallback-keys") {
      auto list = string_list(value, "cache/" + key, /*allow_scalar=*/true);
      if (!list.ok()) return list.error();
      (key == "paths" ? cache.paths : cache.fallback_keys) = std::move(*list);
    } else if (key == "key") {
      auto text = scalar(value, "cache/key");
      if (!text.ok()) return text.error();
      cache.key = *text;
    } else if (key == "action") {
      auto text = scalar(value, "cache/action");
      if (!text.ok()) return text.error();
      const std::string action = common::to_lower(common::trim(*text));
      if (action != "restore" && action != "save") {
        return yaml_error("Invalid cache action: " + *text + ". Expecting: restore,save");
      }
      cache.action = action;
    }
  }
  if (cache.paths.empty()) return yaml_error("Missing paths in cache: paths are required");
  return std::nullopt;
}

}  // namespace buildspec::internal
