#include "services/codebuild/buildspec/agent_log.h"

#include <time.h>

#include <cstdio>

namespace buildspec {

std::string agent_line(common::TimePoint time, std::string_view message) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  const time_t seconds = static_cast<time_t>(micros / 1000000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char prefix[64];
  std::snprintf(prefix, sizeof prefix, "[Container] %04d/%02d/%02d %02d:%02d:%02d.%06lld ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros % 1000000));
  std::string line = prefix;
  line.append(message);
  line += '\n';
  return line;
}

std::vector<std::string> phase_end_messages(std::string_view phase_type, const PhaseError* error) {
  std::string phase(phase_type);
  if (error == nullptr) {
    return {"Phase complete: " + phase + " State: SUCCEEDED", "Phase context status code:  Message: "};
  }
  return {"Phase complete: " + phase + " State: FAILED",
          "Phase context status code: " + error->code + " Message: " + error->message};
}

std::vector<std::string> download_source_start_messages(std::string_view src_dir, std::string_view yaml_location) {
  return {"Running on CodeBuild On-demand",
          "Waiting for agent ping",
          "Waiting for DOWNLOAD_SOURCE",
          "Phase is DOWNLOAD_SOURCE",
          "CODEBUILD_SRC_DIR=" + std::string(src_dir),
          "YAML location is " + std::string(yaml_location)};
}

std::vector<std::string> download_source_end_messages(const Buildspec& spec, std::string_view src_dir) {
  std::vector<std::string> out{"Processing environment variables"};
  if (spec.phase(Phase::Install).runtime_versions.empty())
    out.emplace_back("No runtime version selected in buildspec.");
  out.push_back("Moving to directory " + std::string(src_dir));
  if (!spec.cache) {
    out.emplace_back("Cache is not defined in the buildspec");
    out.emplace_back("Skip cache due to: no paths specified to be cached");
  }
  out.emplace_back("Registering with agent");
  int present = 0;
  for (Phase p : kPhases) present += spec.phase(p).present ? 1 : 0;
  out.push_back("Phases found in YAML: " + std::to_string(present));
  for (Phase p : kPhases) {
    const PhaseSpec& phase = spec.phase(p);
    if (phase.present) {
      std::string line(" ");
      line += phase_type(p);
      line += ": " + std::to_string(phase.commands.size()) + " commands";
      out.push_back(std::move(line));
    }
  }
  for (auto& line : phase_end_messages("DOWNLOAD_SOURCE", nullptr)) out.push_back(std::move(line));
  return out;
}

}  // namespace buildspec
