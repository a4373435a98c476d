#include "services/codebuild/buildspec/environment.h"

#include <unordered_map>

namespace buildspec {

std::vector<NameValue> merge_environment(const EnvironmentLayers& layers) {
  std::vector<NameValue> merged;
  std::unordered_map<std::string, size_t> position;
  for (const auto* layer : {&layers.service, &layers.buildspec_plain, &layers.buildspec_secrets, &layers.project,
                            &layers.overrides, &layers.codebuild}) {
    for (const auto& [name, value] : *layer) {
      auto [it, inserted] = position.emplace(name, merged.size());
      if (inserted) {
        merged.emplace_back(name, value);
      } else {
        merged[it->second].second = value;
      }
    }
  }
  return merged;
}

}  // namespace buildspec
