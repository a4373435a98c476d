// Helpers shared by the buildspec parser's files (parse.cc, parse_env.cc, parse_outputs.cc).
// Every helper returns the YAML_FILE_ERROR to report instead of throwing; yaml-cpp's own
// exceptions are caught once, in parse_buildspec().
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "services/codebuild/buildspec/buildspec.h"

namespace buildspec::internal {

template <class T>
using Parsed = common::Result<T, PhaseError>;

// " at line N" (1-based) for a node that came from the document.
std::string at_line(const YAML::Node& node);
// "subkeys", "a list", "null", "a scalar": what a node is, in error messages.
std::string found(const YAML::Node& node);

// A scalar's text exactly as written (numbers and booleans are not normalised); `what` names
// the key in the error. Null is an error unless `allow_null` (then "").
Parsed<std::string> scalar(const YAML::Node& node, const std::string& what, bool allow_null = false);
// yes/no/true/false (any case).
Parsed<bool> boolean(const YAML::Node& node, const std::string& what);
// A list of scalars; a single scalar counts as a one-item list when `allow_scalar`.
Parsed<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& what, bool allow_scalar);
// A mapping whose values are scalars (null values read as ""), in document order.
Parsed<std::vector<NameValue>> string_map(const YAML::Node& node, const std::string& what);
// A mapping or null (null: an empty section).
std::optional<PhaseError> expect_map(const YAML::Node& node, const std::string& what);

// The sections.
std::optional<PhaseError> parse_env(const YAML::Node& node, EnvSpec& env);
std::optional<PhaseError> parse_phases(const YAML::Node& node, Buildspec& spec);
std::optional<PhaseError> parse_reports(const YAML::Node& node, std::vector<ReportSpec>& reports);
std::optional<PhaseError> parse_artifacts(const YAML::Node& node, ArtifactsSpec& artifacts);
std::optional<PhaseError> parse_cache(const YAML::Node& node, CacheSpec& cache);
Parsed<FailurePolicy> parse_on_failure(const std::string& text);

}  // namespace buildspec::internal
