// The buildspec's env section, on-failure policies, secret references and the scalar helpers
// the other parser files share.
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <regex>
#include <string>

#include "common/strings.h"
#include "services/codebuild/buildspec/buildspec.h"
#include "services/codebuild/buildspec/parse_internal.h"

namespace buildspec {

SecretReference parse_secret_reference(std::string_view text) {
  std::vector<std::string> parts;
  for (std::string_view part : common::split(text, ':')) parts.emplace_back(part);
  SecretReference ref;
  size_t next = 1;
  // An ARN secret id is arn:<partition>:secretsmanager:<region>:<account>:secret:<name>.
  if (text.substr(0, 4) == "arn:" && parts.size() >= 7) {
    ref.secret_id = parts[0];
    for (size_t i = 1; i < 7; ++i) ref.secret_id += ":" + parts[i];
    next = 7;
  } else if (!parts.empty()) {
    ref.secret_id = parts[0];
  }
  if (next < parts.size()) ref.json_key = parts[next];
  if (next + 1 < parts.size()) ref.version_stage = parts[next + 1];
  if (next + 2 < parts.size()) ref.version_id = parts[next + 2];
  return ref;
}

bool is_shell_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

namespace internal {

std::string at_line(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return "";
  return " at line " + std::to_string(mark.line + 1);
}

std::string found(const YAML::Node& node) {
  if (node.IsMap()) return "subkeys";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "null";
  return "a scalar";
}

Parsed<std::string> scalar(const YAML::Node& node, const std::string& what, bool allow_null) {
  if (node.IsScalar()) return node.Scalar();
  if (node.IsNull() && allow_null) return std::string();
  return common::fail(
      yaml_error("Expected " + what + " to be of string type: found " + found(node) + " instead" + at_line(node)));
}

Parsed<bool> boolean(const YAML::Node& node, const std::string& what) {
  auto text = scalar(node, what);
  if (!text.ok()) return common::fail(text.error());
  const std::string lower = common::to_lower(common::trim(*text));
  if (lower == "yes" || lower == "true") return true;
  if (lower == "no" || lower == "false") return false;
  return common::fail(yaml_error("Invalid value for " + what + ": " + *text + ". Expecting: yes,no" + at_line(node)));
}

Parsed<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& what, bool allow_scalar) {
  std::vector<std::string> out;
  if (node.IsScalar() && allow_scalar) {
    out.push_back(node.Scalar());
    return out;
  }
  if (node.IsNull()) return out;
  if (!node.IsSequence()) {
    return common::fail(
        yaml_error("Expected " + what + " to be of array type: found " + found(node) + " instead" + at_line(node)));
  }
  for (size_t i = 0; i < node.size(); ++i) {
    auto item = scalar(node[i], what + "[" + std::to_string(i) + "]");
    if (!item.ok()) return common::fail(item.error());
    out.push_back(std::move(*item));
  }
  return out;
}

Parsed<std::vector<NameValue>> string_map(const YAML::Node& node, const std::string& what) {
  std::vector<NameValue> out;
  if (auto e = expect_map(node, what)) return common::fail(std::move(*e));
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string name = it->first.Scalar();
    auto value = scalar(it->second, what + " " + name, /*allow_null=*/true);
    if (!value.ok()) return common::fail(value.error());
    out.emplace_back(name, std::move(*value));
  }
  return out;
}

std::optional<PhaseError> expect_map(const YAML::Node& node, const std::string& what) {
  if (node.IsMap() || node.IsNull()) return std::nullopt;
  return yaml_error("Expected " + what + " to be of map type: found " + found(node) + " instead" + at_line(node));
}

Parsed<FailurePolicy> parse_on_failure(const std::string& text) {
  const std::string value(common::trim(text));
  FailurePolicy policy;
  auto invalid = [&] {
    return common::fail(
        yaml_error("Invalid on-failure value: " + value +
                   ". Expecting: ABORT,CONTINUE,RETRY,RETRY-<count>,RETRY-<regex>,RETRY-<count>-<regex>"));
  };
  const std::string upper = [&] {
    std::string u;
    for (char c : value) u += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
  }();
  if (upper == "ABORT") {
    policy.action = OnFailure::Abort;
    return policy;
  }
  if (upper == "CONTINUE") {
    policy.action = OnFailure::Continue;
    return policy;
  }
  if (upper.rfind("RETRY", 0) != 0) return invalid();
  policy.action = OnFailure::Retry;
  policy.retries = 3;
  if (value.size() == 5) return policy;
  if (value[5] != '-' || value.size() == 6) return invalid();
  std::string rest = value.substr(6);
  // RETRY-<count>, RETRY-<count>-<regex>, else RETRY-<regex>.
  size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
  if (digits > 0 && (digits == rest.size() || rest[digits] == '-')) {
    if (digits > 3 || std::stoi(rest.substr(0, digits)) > 100) {
      return common::fail(yaml_error("Invalid on-failure value: " + value + ". The retry count must be 0 to 100"));
    }
    policy.retries = std::stoi(rest.substr(0, digits));
    const bool has_regex = digits < rest.size();
    rest = has_regex ? rest.substr(digits + 1) : "";
    if (has_regex && rest.empty()) return invalid();
  }
  policy.retry_regex = rest;
  if (!rest.empty()) {
    try {
      std::regex check(rest, std::regex::extended);
    } catch (const std::regex_error&) {
      return common::fail(yaml_error("Invalid on-failure value: " + value + ". The regular expression is invalid"));
    }
  }
  return policy;
}

namespace {

// Names a build defines: shell names, and none in CodeBuild's reserved CODEBUILD_ prefix.
std::optional<PhaseError> check_variable_name(const std::string& name, const std::string& section) {
  if (!is_shell_name(name)) return yaml_error("Invalid environment variable name in env/" + section + ": " + name);
  if (name.rfind("CODEBUILD_", 0) == 0) {
    return yaml_error("Invalid environment variable name in env/" + section + ": " + name +
                      ". Names starting with CODEBUILD_ are reserved");
  }
  return std::nullopt;
}

std::optional<PhaseError> parse_shell(const YAML::Node& node, EnvSpec& env) {
  auto text = scalar(node, "env/shell");
  if (!text.ok()) return text.error();
  const std::string shell(common::trim(*text));
  if (shell == "bash" || shell == "/bin/bash" || shell == "/usr/bin/bash") {
    env.shell = Shell::Bash;
  } else if (shell == "sh" || shell == "/bin/sh") {
    env.shell = Shell::Sh;
  } else if (shell == "powershell.exe" || shell == "cmd.exe") {
    return yaml_error("Invalid shell: " + shell + " is only available on Windows images. Expecting: bash,/bin/sh");
  } else {
    return yaml_error("Invalid shell: " + shell + ". Expecting: bash,/bin/sh");
  }
  return std::nullopt;
}

std::optional<PhaseError> parse_named_values(const YAML::Node& node, const std::string& section,
                                             std::vector<NameValue>& out) {
  auto values = string_map(node, "env/" + section);
  if (!values.ok()) return values.error();
  for (const auto& [name, value] : *values) {
    if (auto e = check_variable_name(name, section)) return e;
  }
  out = std::move(*values);
  return std::nullopt;
}

}  // namespace

std::optional<PhaseError> parse_env(const YAML::Node& node, EnvSpec& env) {
  if (auto e = expect_map(node, "env")) return e;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    const YAML::Node& value = it->second;
    if (key == "shell") {
      if (auto e = parse_shell(value, env)) return e;
    } else if (key == "variables") {
      if (auto e = parse_named_values(value, "variables", env.variables)) return e;
    } else if (key == "parameter-store") {
      if (auto e = parse_named_values(value, "parameter-store", env.parameter_store)) return e;
    } else if (key == "secrets-manager") {
      std::vector<NameValue> refs;
      if (auto e = parse_named_values(value, "secrets-manager", refs)) return e;
      for (auto& [name, text] : refs) {
        if (common::trim(text).empty()) return yaml_error("Missing secret id in env/secrets-manager " + name);
        env.secrets_manager.emplace_back(name, parse_secret_reference(common::trim(text)));
      }
    } else if (key == "exported-variables") {
      auto names = string_list(value, "env/exported-variables", /*allow_scalar=*/false);
      if (!names.ok()) return names.error();
      for (const auto& name : *names) {
        if (!is_shell_name(name)) return yaml_error("Invalid variable name in env/exported-variables: " + name);
      }
      env.exported_variables = std::move(*names);
    } else if (key == "git-credential-helper") {
      auto flag = boolean(value, "env/git-credential-helper");
      if (!flag.ok()) return flag.error();
      env.git_credential_helper = *flag;
    }
  }
  return std::nullopt;
}

}  // namespace internal
}  // namespace buildspec
