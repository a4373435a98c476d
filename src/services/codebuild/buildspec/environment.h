// The build's environment variables: which definition wins when a name is defined in several
// places, and which values are secrets the log must not show.
#pragma once

#include <string>
#include <vector>

#include "services/codebuild/buildspec/buildspec.h"

namespace buildspec {

// Every source of variables, each already resolved to values (PARAMETER_STORE and
// SECRETS_MANAGER references read by the runner). AWS: "The value in the start build operation
// call takes highest precedence. The value in the build project definition takes next
// precedence. The value in the buildspec declaration takes lowest precedence."
struct EnvironmentLayers {
  std::vector<NameValue> service;            // AWS_REGION, AWS_DEFAULT_REGION, HOME, credentials URI...
  std::vector<NameValue> buildspec_plain;    // env/variables
  std::vector<NameValue> buildspec_secrets;  // env/parameter-store and env/secrets-manager, resolved
  std::vector<NameValue> project;            // the project's environmentVariables
  std::vector<NameValue> overrides;          // StartBuild environmentVariablesOverride (CodePipeline's too)
  std::vector<NameValue> codebuild;          // CODEBUILD_*: reserved, nobody overrides them
};

// One list, lowest precedence first overridden by later layers; each name once, at the
// position of its first definition. Pass it as DriverOptions::environment.
std::vector<NameValue> merge_environment(const EnvironmentLayers& layers);

}  // namespace buildspec
