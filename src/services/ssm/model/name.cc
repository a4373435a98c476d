#include "services/ssm/model/name.h"

#include <fmt/format.h>

#include "common/strings.h"

namespace ssm {
namespace {

constexpr const char* kInvalidNameMessage =
    "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can "
    "consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the "
    "following 3 symbols .-_";

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

bool reserved_prefix(std::string_view s) {
  return common::starts_with_icase(s, "aws") || common::starts_with_icase(s, "ssm");
}

}  // namespace

std::string_view trim_name(std::string_view name) {
  size_t begin = name.find_first_not_of(' ');
  if (begin == std::string_view::npos) return {};
  size_t end = name.find_last_not_of(' ');
  return name.substr(begin, end - begin + 1);
}

Status check_parameter_name(std::string_view name, std::string_view region, std::string_view account) {
  if (name.empty()) return common::fail(make_error(Reason::InvalidInput, kInvalidNameMessage));
  bool hierarchical = name.find('/') != std::string_view::npos;
  if (hierarchical && name.front() != '/') {
    return common::fail(make_error(Reason::InvalidInput,
                                   "Parameter name must be a fully qualified name: a name with \"/\" must start "
                                   "with \"/\", e.g. /app/dev/key."));
  }
  std::string_view key = name_key(name);
  int levels = 0;
  for (std::string_view segment : common::split(key, '/')) {
    if (segment.empty()) return common::fail(make_error(Reason::InvalidInput, kInvalidNameMessage));
    for (char c : segment) {
      if (!is_name_char(c)) return common::fail(make_error(Reason::InvalidInput, kInvalidNameMessage));
    }
    ++levels;
  }
  if (reserved_prefix(key)) return common::fail(make_error(Reason::InvalidInput, kInvalidNameMessage));
  if (levels > kMaxHierarchyLevels) {
    return common::fail(make_error(Reason::HierarchyTooDeep,
                                   "A hierarchy can have a maximum of 15 levels. For more information, see "
                                   "Requirements and constraints for parameter names in the AWS Systems Manager "
                                   "User Guide."));
  }
  size_t with_arn = parameter_arn(region, account, name).size();
  if (with_arn > kMaxNameWithArnPrefix) {
    return common::fail(make_error(
        Reason::InvalidInput,
        fmt::format("Parameter name is too long: including its ARN prefix (arn:aws:ssm:{}:{}:parameter/) it has {} "
                    "characters; the maximum is {}.",
                    region, account, with_arn, kMaxNameWithArnPrefix)));
  }
  return common::ok();
}

bool is_valid_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  std::string_view rest = path.substr(1);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return true;
  for (std::string_view segment : common::split(rest, '/')) {
    if (segment.empty()) return false;
    for (char c : segment) {
      if (!is_name_char(c)) return false;
    }
  }
  return true;
}

std::string path_prefix(std::string_view path) {
  std::string prefix(name_key(path));
  if (!prefix.empty() && prefix.back() != '/') prefix.push_back('/');
  return prefix;
}

std::string parameter_arn(std::string_view region, std::string_view account, std::string_view name) {
  return fmt::format("arn:aws:ssm:{}:{}:parameter/{}", region, account, name_key(name));
}

bool is_valid_label(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelLength) return false;
  if (label.front() >= '0' && label.front() <= '9') return false;
  if (reserved_prefix(label)) return false;
  for (char c : label) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

std::optional<ParameterReference> parse_reference(std::string_view text) {
  ParameterReference ref;
  std::string_view rest = text;
  if (rest.starts_with("arn:")) {
    // arn:<partition>:ssm:<region>:<account>:parameter/<name>[:<selector>]
    std::string_view fields[5];
    for (auto& field : fields) {
      size_t colon = rest.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      field = rest.substr(0, colon);
      rest.remove_prefix(colon + 1);
    }
    if (fields[2] != "ssm" || !rest.starts_with("parameter/")) return std::nullopt;
    ref.arn_region = std::string(fields[3]);
    ref.arn_account = std::string(fields[4]);
    rest.remove_prefix(std::string_view("parameter").size());  // keep the slash: "/name"
  }
  size_t colon = rest.find(':');
  ref.name = std::string(rest.substr(0, colon));
  if (ref.name.empty()) return std::nullopt;
  if (colon == std::string_view::npos) return ref;
  std::string_view selector = rest.substr(colon + 1);
  if (selector.empty() || selector.find(':') != std::string_view::npos) return std::nullopt;
  ref.selector.reserve(selector.size() + 1);
  ref.selector.push_back(':');
  ref.selector.append(selector);
  bool digits = selector.find_first_not_of("0123456789") == std::string_view::npos;
  if (digits) {
    if (selector.size() > 18) return std::nullopt;
    ref.version = std::stoll(std::string(selector));
  } else {
    ref.label = std::string(selector);
  }
  return ref;
}

}  // namespace ssm
