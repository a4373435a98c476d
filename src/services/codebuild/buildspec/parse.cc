// parse_buildspec(): the document, its version and its phases; parse_env.cc and
// parse_outputs.cc read the other sections. Error wording follows the messages CodeBuild logs
// ("Invalid buildspec phase name: POSTBUILD. Expecting: BUILD,INSTALL,POST_BUILD,PRE_BUILD",
// "Expected Commands[0] to be of string type: found subkeys instead at line 6").
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <string>

#include "common/strings.h"
#include "services/codebuild/buildspec/buildspec.h"
#include "services/codebuild/buildspec/parse_internal.h"

namespace buildspec {

std::string_view phase_type(Phase phase) {
  switch (phase) {
    case Phase::Install: return "INSTALL";
    case Phase::PreBuild: return "PRE_BUILD";
    case Phase::Build: return "BUILD";
    case Phase::PostBuild: return "POST_BUILD";
  }
  return "BUILD";
}

namespace internal {
namespace {

std::string upper_key(const std::string& key) {
  std::string upper;
  for (char c : key) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

// Phase keys are compared upper-cased, as AWS's "Invalid buildspec phase name" message shows.
std::optional<Phase> phase_from_key(const std::string& key) {
  const std::string upper = upper_key(key);
  for (Phase p : kPhases) {
    if (phase_type(p) == upper) return p;
  }
  return std::nullopt;
}

// "Commands" / "Finally": each item is one command, a string (a `|` block is one multi-line
// command). AWS names the list with a capital letter in its errors.
std::optional<PhaseError> command_list(const YAML::Node& node, const std::string& label,
                                       std::vector<std::string>& out) {
  if (node.IsNull()) return std::nullopt;
  if (!node.IsSequence()) {
    return yaml_error("Expected " + label + " to be of array type: found " + found(node) + " instead" + at_line(node));
  }
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node& item = node[i];
    if (!item.IsScalar()) {
      return yaml_error("Expected " + label + "[" + std::to_string(i) + "] to be of string type: found " + found(item) +
                        " instead" + at_line(item));
    }
    out.push_back(item.Scalar());
  }
  return std::nullopt;
}

std::optional<PhaseError> parse_phase(Phase phase, const YAML::Node& node, PhaseSpec& out) {
  const std::string name(phase_type(phase));
  out.present = true;
  if (!node.IsNull() && !node.IsMap()) {
    return yaml_error("Expected phase " + name + " to be of map type: found " + found(node) + " instead" +
                      at_line(node));
  }
  bool has_commands = false;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    const YAML::Node& value = it->second;
    if (key == "commands") {
      has_commands = true;
      if (auto e = command_list(value, "Commands", out.commands)) return e;
    } else if (key == "finally") {
      if (auto e = command_list(value, "Finally", out.finally)) return e;
    } else if (key == "run-as") {
      auto user = scalar(value, "run-as");
      if (!user.ok()) return user.error();
      if (user->empty()) return yaml_error("run-as in phase " + name + " must name a user" + at_line(value));
      out.run_as = *user;
    } else if (key == "on-failure") {
      auto text = scalar(value, "on-failure");
      if (!text.ok()) return text.error();
      auto policy = parse_on_failure(*text);
      if (!policy.ok()) return policy.error();
      out.on_failure = *policy;
    } else if (key == "runtime-versions") {
      if (phase != Phase::Install) {
        return yaml_error("runtime-versions is only allowed in the install phase, found in phase " + name +
                          at_line(value));
      }
      auto versions = string_map(value, "runtime-versions");
      if (!versions.ok()) return versions.error();
      out.runtime_versions = std::move(*versions);
    }
    // Other keys are ignored, as AWS's agent ignores fields it does not know.
  }
  // AWS documents commands as required once pre_build, build or post_build is specified; the
  // install phase may hold only runtime-versions.
  if (!has_commands && phase != Phase::Install) {
    return yaml_error("Missing commands in phase " + name + ": commands are required when the phase is specified" +
                      at_line(node));
  }
  return std::nullopt;
}

Parsed<Version> parse_version(const YAML::Node& root) {
  const YAML::Node node = root["version"];
  if (!node) return common::fail(yaml_error("Missing buildspec version. Expecting: 0.1,0.2"));
  if (!node.IsScalar()) {
    return common::fail(yaml_error("Invalid buildspec version: found " + found(node) + " instead" + at_line(node) +
                                   ". Expecting: 0.1,0.2"));
  }
  const std::string text(common::trim(node.Scalar()));
  if (text == "0.1") return Version::V0_1;
  if (text == "0.2") return Version::V0_2;
  return common::fail(yaml_error("Invalid buildspec version: " + text + ". Expecting: 0.1,0.2"));
}

std::optional<PhaseError> parse_document(const YAML::Node& root, Buildspec& spec) {
  if (!root || root.IsNull()) return yaml_error("The buildspec is empty");
  if (!root.IsMap()) {
    return yaml_error("Expected the buildspec to be of map type: found " + found(root) + " instead" + at_line(root));
  }
  auto version = parse_version(root);
  if (!version.ok()) return version.error();
  spec.version = *version;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string key = it->first.Scalar();
    const YAML::Node& value = it->second;
    std::optional<PhaseError> error;
    if (key == "run-as") {
      auto user = scalar(value, "run-as");
      if (!user.ok()) return user.error();
      if (user->empty()) return yaml_error("run-as must name a user" + at_line(value));
      spec.run_as = *user;
    } else if (key == "env") {
      error = parse_env(value, spec.env);
    } else if (key == "proxy") {
      if ((error = expect_map(value, "proxy"))) return error;
      for (auto p = value.begin(); p != value.end(); ++p) {
        const std::string name = p->first.Scalar();
        if (name != "upload-artifacts" && name != "logs") continue;
        auto flag = boolean(p->second, "proxy " + name);
        if (!flag.ok()) return flag.error();
        (name == "logs" ? spec.proxy.logs : spec.proxy.upload_artifacts) = *flag;
      }
    } else if (key == "batch") {
      spec.batch = true;
    } else if (key == "phases") {
      error = parse_phases(value, spec);
    } else if (key == "reports") {
      error = parse_reports(value, spec.reports);
    } else if (key == "artifacts") {
      if (!value.IsNull()) {
        spec.artifacts.emplace();
        error = parse_artifacts(value, *spec.artifacts);
      }
    } else if (key == "cache") {
      if (!value.IsNull()) {
        spec.cache.emplace();
        error = parse_cache(value, *spec.cache);
      }
    }
    if (error) return error;
  }
  if (!root["phases"]) return yaml_error("Missing phases: a buildspec needs a phases section");
  return std::nullopt;
}

}  // namespace

std::optional<PhaseError> parse_phases(const YAML::Node& node, Buildspec& spec) {
  if (!node.IsMap()) {
    return yaml_error("Expected phases to be of map type: found " + found(node) + " instead" + at_line(node));
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.Scalar();
    auto phase = phase_from_key(key);
    if (!phase) {
      return yaml_error("Invalid buildspec phase name: " + upper_key(key) +
                        ". Expecting: BUILD,INSTALL,POST_BUILD,PRE_BUILD");
    }
    if (auto e = parse_phase(*phase, it->second, spec.phase(*phase))) return e;
  }
  return std::nullopt;
}

}  // namespace internal

common::Result<Buildspec, PhaseError> parse_buildspec(std::string_view yaml_text) {
  Buildspec spec;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    if (auto error = internal::parse_document(root, spec)) return common::fail(std::move(*error));
  } catch (const YAML::Exception& e) {
    // yaml-cpp: "illegal map value", "end of map not found", ...; AWS appends the line.
    std::string message = e.msg.empty() ? std::string(e.what()) : e.msg;
    if (e.mark.line >= 0) message += " at line " + std::to_string(e.mark.line + 1);
    return common::fail(yaml_error(std::move(message)));
  }
  return spec;
}

}  // namespace buildspec
