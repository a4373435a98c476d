// Parameter Store naming rules, as pure functions: names, paths, labels, ARNs and the
// `name:selector` references GetParameter(s) accept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/ssm/model/errors.h"

namespace ssm {

constexpr size_t kMaxNameWithArnPrefix = 1011;  // the name counts with its ARN prefix
constexpr int kMaxHierarchyLevels = 15;
constexpr size_t kMaxLabelLength = 100;

// AWS trims leading and trailing spaces from names; inner spaces are invalid.
std::string_view trim_name(std::string_view name);

// Checks a name for PutParameter (already trimmed): characters, reserved prefixes, the
// fully-qualified rule for hierarchies, the 15-level limit and the 1011-character limit
// (which includes "arn:aws:ssm:<region>:<account>:parameter/").
Status check_parameter_name(std::string_view name, std::string_view region, std::string_view account);

// A path for GetParametersByPath or a Path filter: "/" or "/a/b" (a trailing slash is allowed).
bool is_valid_path(std::string_view path);

// The identity of a parameter within (account, region): the name without its leading slash,
// so "/Name" and "Name" are the same parameter, as in AWS.
inline std::string_view name_key(std::string_view name) {
  return !name.empty() && name.front() == '/' ? name.substr(1) : name;
}
// The key prefix that selects everything beneath a path: "/a/b/" -> "a/b/", "/" -> "".
std::string path_prefix(std::string_view path);

// arn:aws:ssm:<region>:<account>:parameter/<name without leading slash>
std::string parameter_arn(std::string_view region, std::string_view account, std::string_view name);

// Labels: 1-100 characters of letters, digits, '.', '-', '_'; not starting with a digit,
// "aws" or "ssm" (any case).
bool is_valid_label(std::string_view label);

// "name", "name:3", "name:prod", or a parameter ARN with an optional selector.
struct ParameterReference {
  std::string name;                  // without selector; from an ARN, "/" + resource path
  std::optional<int64_t> version;    // "name:3"
  std::optional<std::string> label;  // "name:prod"
  std::string selector;              // ":3" / ":prod", empty without one
  std::optional<std::string> arn_region;
  std::optional<std::string> arn_account;
};
// nullopt when the text cannot name any parameter (empty selector, malformed ARN, bad version).
std::optional<ParameterReference> parse_reference(std::string_view text);

}  // namespace ssm
